import * as automations from "~/server/services/engagement/automations";
import * as inbox from "~/server/services/engagement/inbox";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZAccounts,
  ZAutomation,
  ZAutomationIdInput,
  ZAutomationInput,
  ZAutomationList,
  ZAutomationUpdateInput,
  ZCommentIdInput,
  ZInbox,
  ZInboxInput,
  ZPreview,
  ZPreviewInput,
  ZReplyInput,
  ZReplyResult,
  ZRetryReplyInput,
  ZSetHiddenInput,
  ZSetHiddenResult,
  ZThread,
} from "./schemas";

const automationsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "content:read" })
    .output(ZAutomationList)
    .query(({ ctx }) => automations.listOrganizationAutomations(ctx.tenantCtx)),
  create: tenantProcedure
    .meta({ permission: "automations:manage" })
    .input(ZAutomationInput)
    .output(ZAutomation)
    .mutation(({ ctx, input }) => automations.createAutomation(ctx.tenantCtx, input)),
  update: tenantProcedure
    .meta({ permission: "automations:manage" })
    .input(ZAutomationUpdateInput)
    .output(ZAutomation)
    .mutation(({ ctx, input }) => automations.editAutomation(ctx.tenantCtx, input)),
  remove: tenantProcedure
    .meta({ permission: "automations:manage" })
    .input(ZAutomationIdInput)
    .output(ZAutomationIdInput)
    .mutation(({ ctx, input }) => automations.removeAutomation(ctx.tenantCtx, input)),
  preview: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZPreviewInput)
    .output(ZPreview)
    .query(({ ctx, input }) => automations.previewAutomation(ctx.tenantCtx, input)),
});

export const engagementRouter = createTRPCRouter({
  inbox: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZInboxInput)
    .output(ZInbox)
    .query(({ ctx, input }) => inbox.listInboxComments(ctx.tenantCtx, input)),
  thread: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZCommentIdInput)
    .output(ZThread)
    .query(({ ctx, input }) => inbox.getThread(ctx.tenantCtx, input)),
  accounts: tenantProcedure
    .meta({ permission: "content:read" })
    .output(ZAccounts)
    .query(({ ctx }) => inbox.listAccounts(ctx.tenantCtx)),
  reply: tenantProcedure
    .meta({ permission: "comments:reply" })
    .input(ZReplyInput)
    .output(ZReplyResult)
    .mutation(({ ctx, input }) => inbox.replyToComment(ctx.tenantCtx, input)),
  retryReply: tenantProcedure
    .meta({ permission: "comments:reply" })
    .input(ZRetryReplyInput)
    .output(ZReplyResult)
    .mutation(({ ctx, input }) => inbox.retryReply(ctx.tenantCtx, input)),
  setHidden: tenantProcedure
    .meta({ permission: "comments:reply" })
    .input(ZSetHiddenInput)
    .output(ZSetHiddenResult)
    .mutation(({ ctx, input }) => inbox.setCommentHidden(ctx.tenantCtx, input)),
  automations: automationsRouter,
});
