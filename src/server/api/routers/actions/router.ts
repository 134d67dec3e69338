import * as actions from "~/server/services/actions/actions";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZActionDetail,
  ZActionIdInput,
  ZActionList,
  ZActionListInput,
  ZApproveInput,
  ZBulkApproveInput,
  ZBulkApproveResult,
  ZEffectsSummary,
  ZRegenerateResult,
  ZRejectInput,
  ZStatusResult,
} from "./schemas";

export const actionsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "actions:read" })
    .input(ZActionListInput)
    .output(ZActionList)
    .query(({ ctx, input }) => actions.listOrganizationActions(ctx.tenantCtx, input)),
  get: tenantProcedure
    .meta({ permission: "actions:read" })
    .input(ZActionIdInput)
    .output(ZActionDetail)
    .query(({ ctx, input }) => actions.getAction(ctx.tenantCtx, input)),
  approve: tenantProcedure
    .meta({ permission: "actions:approve" })
    .input(ZApproveInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => actions.approveAction(ctx.tenantCtx, input)),
  reject: tenantProcedure
    .meta({ permission: "actions:approve" })
    .input(ZRejectInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => actions.rejectAction(ctx.tenantCtx, input)),
  bulkApprove: tenantProcedure
    .meta({ permission: "actions:approve" })
    .input(ZBulkApproveInput)
    .output(ZBulkApproveResult)
    .mutation(({ ctx, input }) => actions.bulkApproveActions(ctx.tenantCtx, input)),
  regenerateCopy: tenantProcedure
    .meta({ permission: "actions:approve" })
    .input(ZActionIdInput)
    .output(ZRegenerateResult)
    .mutation(({ ctx, input }) => actions.regenerateActionCopy(ctx.tenantCtx, input)),
  retry: tenantProcedure
    .meta({ permission: "actions:approve" })
    .input(ZActionIdInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => actions.retryAction(ctx.tenantCtx, input)),
  effectsSummary: tenantProcedure
    .meta({ permission: "actions:read" })
    .output(ZEffectsSummary)
    .query(({ ctx }) => actions.effectsSummary(ctx.tenantCtx)),
});
