import * as campaigns from "~/server/services/content/campaigns";
import * as content from "~/server/services/content/content";
import { getContentSettings, setApprovalRequired } from "~/server/services/content/settings";
import { RestContent, RestContentDetail, RestCreated } from "../../openapi/contracts";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZCampaignArchiveResult,
  ZCampaignCreateInput,
  ZCampaignDetail,
  ZCampaignIdInput,
  ZCampaignList,
  ZCampaignListInput,
  ZCampaignUpdateInput,
  ZCommentInput,
  ZContentCreateInput,
  ZContentDetail,
  ZContentIdInput,
  ZContentList,
  ZContentListInput,
  ZContentSettings,
  ZContentUpdateInput,
  ZIdResult,
  ZRemoveVariantInput,
  ZRemoveVariantResult,
  ZRequestChangesInput,
  ZReviewInput,
  ZSetApprovalRequiredInput,
  ZStatusResult,
  ZUpsertVariantInput,
  ZUpsertVariantResult,
} from "./schemas";

const campaignsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZCampaignListInput)
    .output(ZCampaignList)
    .query(({ ctx, input }) => campaigns.listOrganizationCampaigns(ctx.tenantCtx, input)),
  get: tenantProcedure
    .meta({ permission: "content:read" })
    .input(ZCampaignIdInput)
    .output(ZCampaignDetail)
    .query(({ ctx, input }) => campaigns.getCampaign(ctx.tenantCtx, input.id)),
  create: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZCampaignCreateInput)
    .output(ZIdResult)
    .mutation(({ ctx, input }) => campaigns.createCampaign(ctx.tenantCtx, input)),
  update: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZCampaignUpdateInput)
    .output(ZIdResult)
    .mutation(({ ctx, input }) => campaigns.updateCampaign(ctx.tenantCtx, input)),
  archive: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZCampaignIdInput)
    .output(ZCampaignArchiveResult)
    .mutation(({ ctx, input }) => campaigns.archiveCampaign(ctx.tenantCtx, input.id)),
});

export const contentRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({
      permission: "content:read",
      openapi: {
        method: "GET",
        path: "/contents",
        summary: "List contents",
        description: "The organization's social contents (posts and videos being prepared), filtered by status, campaign, network or text; paginated by cursor.",
        tags: ["Contents"],
        output: RestContent,
        paginated: true,
      },
    })
    .input(ZContentListInput)
    .output(ZContentList)
    .query(({ ctx, input }) => content.listOrganizationContents(ctx.tenantCtx, input)),
  get: tenantProcedure
    .meta({
      permission: "content:read",
      openapi: {
        method: "GET",
        path: "/contents/{id}",
        summary: "Get a content",
        description: "One content with its per-network variants, review comments and publication counts.",
        tags: ["Contents"],
        output: RestContentDetail,
      },
    })
    .input(ZContentIdInput)
    .output(ZContentDetail)
    .query(({ ctx, input }) => content.getContent(ctx.tenantCtx, input.id)),
  create: tenantProcedure
    .meta({
      permission: "content:write",
      openapi: {
        method: "POST",
        path: "/contents",
        summary: "Create a content",
        description: "Creates a draft content with a title, an optional base caption and campaign, and a variant per network listed in `networks`.",
        tags: ["Contents"],
        output: RestCreated,
        successStatus: 201,
      },
    })
    .input(ZContentCreateInput)
    .output(ZIdResult)
    .mutation(({ ctx, input }) => content.createContent(ctx.tenantCtx, input)),
  update: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZContentUpdateInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => content.updateContent(ctx.tenantCtx, input)),
  upsertVariant: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZUpsertVariantInput)
    .output(ZUpsertVariantResult)
    .mutation(({ ctx, input }) => content.upsertContentVariant(ctx.tenantCtx, input)),
  removeVariant: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZRemoveVariantInput)
    .output(ZRemoveVariantResult)
    .mutation(({ ctx, input }) => content.removeContentVariant(ctx.tenantCtx, input)),
  delete: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZContentIdInput)
    .output(ZIdResult)
    .mutation(({ ctx, input }) => content.deleteContent(ctx.tenantCtx, input.id)),
  submitForReview: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZReviewInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => content.submitForReview(ctx.tenantCtx, input)),
  approve: tenantProcedure
    .meta({ permission: "content:approve" })
    .input(ZReviewInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => content.approveContent(ctx.tenantCtx, input)),
  requestChanges: tenantProcedure
    .meta({ permission: "content:approve" })
    .input(ZRequestChangesInput)
    .output(ZStatusResult)
    .mutation(({ ctx, input }) => content.requestContentChanges(ctx.tenantCtx, input)),
  comment: tenantProcedure
    .meta({ permission: "content:write" })
    .input(ZCommentInput)
    .output(ZIdResult)
    .mutation(({ ctx, input }) => content.commentOnContent(ctx.tenantCtx, input)),
  settings: tenantProcedure
    .meta({ permission: "content:read" })
    .output(ZContentSettings)
    .query(({ ctx }) => getContentSettings(ctx.tenantCtx)),
  setApprovalRequired: tenantProcedure
    .meta({ permission: "org:update" })
    .input(ZSetApprovalRequiredInput)
    .output(ZContentSettings)
    .mutation(({ ctx, input }) => setApprovalRequired(ctx.tenantCtx, input.required)),
  campaigns: campaignsRouter,
});
