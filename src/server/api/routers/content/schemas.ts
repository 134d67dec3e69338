import { z } from "zod";

import { SOCIAL_NETWORKS } from "~/lib/social/networks";
import { CAMPAIGN_OBJECTIVES } from "~/server/services/content/campaigns";
import { ZId, ZInstant, ZPage, ZPageInput } from "../../schemas";

export const ZNetwork = z.enum(SOCIAL_NETWORKS);
export const ZContentStatus = z.enum(["DRAFT", "IN_REVIEW", "APPROVED"]);
export const ZCampaignStatus = z.enum(["PLANNED", "ACTIVE", "FINISHED", "ARCHIVED"]);
export const ZCampaignObjective = z.enum(CAMPAIGN_OBJECTIVES);
const ZPublicationStatus = z.enum(["SCHEDULED", "DISPATCHED", "PUBLISHING", "PUBLISHED", "UNCONFIRMED", "FAILED", "CANCELED"]);

const ZTitle = z.string().trim().min(1).max(200);
// The longest network caption is YouTube's 5 000 bytes; the base caption may be a bit longer while drafting.
const ZCaption = z.string().max(10_000);
const ZComment = z.string().trim().max(2000);

export const ZContentIdInput = z.object({ id: ZId });

export const ZContentListInput = ZPageInput.extend({
  status: ZContentStatus.optional(),
  campaignId: ZId.optional(),
  network: ZNetwork.optional(),
  search: z.string().trim().max(120).optional(),
});

export const ZContentRow = z.object({
  id: ZId,
  title: z.string(),
  status: ZContentStatus,
  createdAt: z.date(),
  updatedAt: z.date(),
  campaign: z.object({ id: ZId, name: z.string() }).nullable(),
  variants: z.array(z.object({ network: ZNetwork })),
});
export const ZContentList = ZPage(ZContentRow);

const ZPerson = z.object({ id: ZId, name: z.string() }).nullable();

export const ZVariant = z.object({
  id: ZId,
  network: ZNetwork,
  caption: z.string(),
  hashtags: z.array(z.string()),
  title: z.string().nullable(),
  privacy: z.string().nullable(),
  updatedAt: z.date(),
});

export const ZContentDetail = z.object({
  id: ZId,
  title: z.string(),
  baseCaption: z.string(),
  status: ZContentStatus,
  submittedAt: z.date().nullable(),
  approvedAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  campaign: z.object({ id: ZId, name: z.string() }).nullable(),
  createdBy: ZPerson,
  variants: z.array(ZVariant),
  reviewComments: z.array(
    z.object({
      id: ZId,
      body: z.string(),
      fromStatus: ZContentStatus.nullable(),
      toStatus: ZContentStatus.nullable(),
      createdAt: z.date(),
      author: ZPerson,
    }),
  ),
  mediaCount: z.number().int(),
  publications: z.array(z.object({ status: ZPublicationStatus, count: z.number().int() })),
  approvalRequired: z.boolean(),
});

export const ZContentCreateInput = z.object({
  title: ZTitle,
  baseCaption: ZCaption.optional(),
  campaignId: ZId.nullish(),
  networks: z.array(ZNetwork).max(SOCIAL_NETWORKS.length).optional(),
});

export const ZContentUpdateInput = z.object({
  id: ZId,
  title: ZTitle.optional(),
  baseCaption: ZCaption.optional(),
  campaignId: ZId.nullable().optional(),
});

export const ZUpsertVariantInput = z.object({
  contentId: ZId,
  network: ZNetwork,
  caption: ZCaption,
  hashtags: z.array(z.string().trim().max(120)).max(60),
  title: z.string().max(500).nullish(),
  privacy: z.string().max(40).nullish(),
});

export const ZRemoveVariantInput = z.object({ contentId: ZId, network: ZNetwork });

export const ZIdResult = z.object({ id: ZId });
export const ZStatusResult = z.object({ id: ZId, status: ZContentStatus });
export const ZUpsertVariantResult = z.object({ variant: ZVariant, status: ZContentStatus });
export const ZRemoveVariantResult = z.object({ status: ZContentStatus });

export const ZReviewInput = z.object({ id: ZId, comment: ZComment.optional() });
export const ZRequestChangesInput = z.object({ id: ZId, comment: ZComment.min(1) });
export const ZCommentInput = z.object({ id: ZId, body: ZComment.min(1) });

export const ZContentSettings = z.object({ approvalRequired: z.boolean() });
export const ZSetApprovalRequiredInput = z.object({ required: z.boolean() });

// ─── Campaigns ───────────────────────────────────────────────────────────────────────────────

export const ZCampaignListInput = ZPageInput.extend({
  status: ZCampaignStatus.optional(),
  /** Archived campaigns are hidden unless asked for (or a status filter names them). */
  includeArchived: z.boolean().optional(),
});

export const ZCampaignRow = z.object({
  id: ZId,
  name: z.string(),
  objective: ZCampaignObjective.nullable(),
  status: ZCampaignStatus,
  startsAt: z.date().nullable(),
  endsAt: z.date().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  contentCount: z.number().int(),
});
export const ZCampaignList = ZPage(ZCampaignRow);
export const ZCampaignDetail = ZCampaignRow.extend({
  contentsByStatus: z.array(z.object({ status: ZContentStatus, count: z.number().int() })),
});

const ZCampaignFields = z.object({
  name: z.string().trim().min(1).max(120),
  objective: ZCampaignObjective.nullish(),
  status: ZCampaignStatus.exclude(["ARCHIVED"]).optional(),
  startsAt: ZInstant.nullish(),
  endsAt: ZInstant.nullish(),
});
const endsAfterStart = (v: { startsAt?: Date | null; endsAt?: Date | null }) => !(v.startsAt && v.endsAt && v.endsAt < v.startsAt);

export const ZCampaignCreateInput = ZCampaignFields.refine(endsAfterStart, { path: ["endsAt"], message: "endsAt must not be before startsAt" });
export const ZCampaignUpdateInput = ZCampaignFields.partial()
  .extend({ id: ZId, status: ZCampaignStatus.optional() })
  .refine(endsAfterStart, { path: ["endsAt"], message: "endsAt must not be before startsAt" });
export const ZCampaignIdInput = z.object({ id: ZId });
export const ZCampaignArchiveResult = z.object({ id: ZId, status: z.literal("ARCHIVED") });
