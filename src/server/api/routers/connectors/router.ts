import { z } from "zod";

import * as connectors from "~/server/services/connectors/connectors";
import { providerStatus } from "~/server/services/resilience/provider-status";
import { RestConnection } from "../../openapi/contracts";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZId } from "../../schemas";
import { ZConnection, ZConnectionCard, ZConnectionIdInput, ZProviderInfo, ZProviderStatus } from "./schemas";

// Connecting itself is a browser redirect flow: GET /api/v1/auth/<provider>/connect|callback.
export const connectorsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({
      permission: "connections:read",
      openapi: {
        method: "GET",
        path: "/connections",
        summary: "List connections",
        description: "The organization's connected marketplace and social accounts with their status and last sync.",
        tags: ["Connections"],
        output: z.array(RestConnection),
      },
    })
    .output(z.array(ZConnection))
    .query(({ ctx }) => connectors.listOrganizationConnections(ctx.tenantCtx)),
  cards: tenantProcedure
    .meta({ permission: "connections:read" })
    .output(z.array(ZConnectionCard))
    .query(({ ctx }) => connectors.connectionCards(ctx.tenantCtx)),
  // Open circuit breakers (provider outages) for the banner on the affected pages.
  circuits: tenantProcedure
    .meta({ permission: "connections:read" })
    .output(ZProviderStatus)
    .query(({ ctx }) => providerStatus(ctx.tenantCtx)),
  providers: tenantProcedure
    .meta({ permission: "connections:read" })
    .output(z.array(ZProviderInfo))
    .query(() => connectors.connectableProviders()),
  disconnect: tenantProcedure
    .meta({ permission: "connections:manage", stepUp: true })
    .input(ZConnectionIdInput)
    .output(z.object({ id: ZId, status: z.literal("DISCONNECTED") }))
    .mutation(({ ctx, input }) => connectors.disconnect(ctx.tenantCtx, input)),
  resync: tenantProcedure
    .meta({ permission: "connections:manage" })
    .input(ZConnectionIdInput)
    .output(z.object({ id: ZId, queued: z.literal(true) }))
    .mutation(({ ctx, input }) => connectors.requestResync(ctx.tenantCtx, input)),
});
