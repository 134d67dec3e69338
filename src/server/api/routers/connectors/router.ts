import { z } from "zod";

import { listOrganizationConnections } from "~/server/services/connectors/connectors";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZId, ZProvider } from "../../schemas";

const ZConnection = z.object({
  id: ZId,
  provider: ZProvider,
  kind: z.enum(["MARKETPLACE", "SOCIAL"]),
  externalAccountId: z.string(),
  accountName: z.string().nullable(),
  status: z.enum(["ACTIVE", "NEEDS_RECONNECT", "ERROR", "DISCONNECTED"]),
  expiresAt: z.date().nullable(),
  lastSyncAt: z.date().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.date(),
});

// Connecting accounts arrives with the marketplace and social issues; listing exists already.
export const connectorsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "connections:read" })
    .output(z.array(ZConnection))
    .query(({ ctx }) => listOrganizationConnections(ctx.tenantCtx)),
});
