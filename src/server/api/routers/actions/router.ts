import * as actions from "~/server/services/actions/actions";
import { RestAction, RestActionDetail, RestActionStatus } from "../../openapi/contracts";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZActionDetail,
  ZActionIdInput,
  ZActionList,
  ZActionListInput,
  ZRecommendationsInput,
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
    .meta({
      permission: "actions:read",
      openapi: {
        method: "GET",
        path: "/actions",
        summary: "List actions",
        description: "Recommended actions by status (PENDING when `status` is not given; ALL for every status), biggest expected gain first by default; paginated by cursor.",
        tags: ["Actions"],
        output: RestAction,
        paginated: true,
      },
    })
    .input(ZActionListInput)
    .output(ZActionList)
    .query(({ ctx, input }) => actions.listOrganizationActions(ctx.tenantCtx, input)),
  /** The pending queue (what GET /api/v1/actions/recommendations serves). */
  recommendations: tenantProcedure
    .meta({
      permission: "actions:read",
      openapi: {
        method: "GET",
        path: "/actions/recommendations",
        summary: "Pending recommendations",
        description: "The recommended actions waiting for a decision, biggest expected gain first by default; paginated by cursor.",
        tags: ["Actions"],
        output: RestAction,
        paginated: true,
      },
    })
    .input(ZRecommendationsInput)
    .output(ZActionList)
    .query(({ ctx, input }) => actions.listOrganizationActions(ctx.tenantCtx, { ...input, status: "PENDING" })),
  get: tenantProcedure
    .meta({
      permission: "actions:read",
      openapi: {
        method: "GET",
        path: "/actions/{id}",
        summary: "Get an action",
        description: "One action with its timeline and measured effects.",
        tags: ["Actions"],
        output: RestActionDetail,
      },
    })
    .input(ZActionIdInput)
    .output(ZActionDetail)
    .query(({ ctx, input }) => actions.getAction(ctx.tenantCtx, input)),
  approve: tenantProcedure
    .meta({
      permission: "actions:approve",
      openapi: {
        method: "POST",
        path: "/actions/{id}/approve",
        summary: "Approve an action",
        description:
          "Approves a pending action, optionally with an edited `payload` (validated against the action's type). The change is applied to the marketplace in the background: poll the action's status. A second approval is refused (409 `actionAlreadyApproved`).",
        tags: ["Actions"],
        output: RestActionStatus,
      },
    })
    .input(ZApproveInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => actions.approveAction(ctx.tenantCtx, input)),
  reject: tenantProcedure
    .meta({
      permission: "actions:approve",
      openapi: {
        method: "POST",
        path: "/actions/{id}/reject",
        summary: "Reject an action",
        description: "Rejects a pending action, with an optional `note`.",
        tags: ["Actions"],
        output: RestActionStatus,
      },
    })
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
