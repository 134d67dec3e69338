import { z } from "zod";

import { listOrganizationActions } from "~/server/services/actions/actions";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZId, ZPage, ZPageInput } from "../../schemas";

const ZActionStatus = z.enum(["PENDING", "APPROVED", "APPLYING", "APPLIED", "FAILED", "REJECTED"]);
const ZActionRow = z.object({
  id: ZId,
  type: z.string(),
  status: ZActionStatus,
  reason: z.string(),
  expectedGain: z.number().int(),
  createdAt: z.date(),
  listing: z.object({ id: ZId, title: z.string() }).nullable(),
});

export const actionsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "actions:read" })
    .input(ZPageInput.extend({ status: ZActionStatus.optional() }))
    .output(ZPage(ZActionRow))
    .query(({ ctx, input }) => listOrganizationActions(ctx.tenantCtx, input)),
});
