import { z } from "zod";

import { KEYWORDS_MAX, KEYWORDS_MIN } from "~/server/services/engagement/automations";
import { ZId, ZPage, ZPageInput } from "../../schemas";

export const ZNetwork = z.enum(["INSTAGRAM", "TIKTOK", "YOUTUBE"]);
const ZDelivery = z.enum(["PENDING", "SENDING", "SENT", "FAILED"]);
const ZVisibility = z.enum(["visible", "hidden", "hiding", "unhiding", "failed"]);

export const ZInboxInput = ZPageInput.extend({
  network: ZNetwork.optional(),
  connectionId: ZId.optional(),
  status: z.enum(["all", "unanswered", "hidden"]).optional(),
  search: z.string().trim().max(120).optional(),
});

const ZCommentView = z.object({
  id: ZId,
  authorName: z.string(),
  text: z.string(),
  receivedAt: z.date(),
  fromAccount: z.boolean(),
  automatic: z.boolean(),
  isReply: z.boolean(),
  delivery: ZDelivery.nullable(),
  deliveryError: z.string().nullable(),
  visibility: ZVisibility,
});

const ZAccountRef = z.object({ id: ZId, name: z.string().nullable() });

export const ZInboxRow = ZCommentView.extend({
  network: ZNetwork,
  account: ZAccountRef,
  permalink: z.string().nullable(),
  publicationId: ZId.nullable(),
  replied: z.boolean(),
  replyCount: z.number().int(),
  lastReply: ZCommentView.nullable(),
});
export const ZInbox = ZPage(ZInboxRow);

export const ZCommentIdInput = z.object({ commentId: ZId });

export const ZThread = z.object({
  network: ZNetwork,
  account: ZAccountRef,
  permalink: z.string().nullable(),
  maxReplyLength: z.number().int(),
  root: ZCommentView.nullable(),
  comments: z.array(ZCommentView),
});

export const ZReplyInput = z.object({ commentId: ZId, text: z.string().max(10_000) });
export const ZReplyResult = z.object({ replyId: ZId, delivery: z.literal("PENDING") });
export const ZRetryReplyInput = z.object({ replyId: ZId });

export const ZSetHiddenInput = z.object({ commentId: ZId, hidden: z.boolean() });
export const ZSetHiddenResult = z.object({ commentId: ZId, visibility: ZVisibility });

export const ZAccounts = z.array(z.object({ id: ZId, network: ZNetwork, name: z.string(), status: z.string() }));

// ─── Automations ───

const ZKeywords = z.array(z.string().trim().min(1).max(60)).min(KEYWORDS_MIN).max(KEYWORDS_MAX);
const ZTemplate = z.string().trim().min(1).max(2000);

export const ZAutomationInput = z.object({
  name: z.string().trim().min(2).max(80),
  keywords: ZKeywords,
  replyTemplate: ZTemplate,
  useAi: z.boolean(),
  perThreadLimit: z.number().int().min(1).max(5),
  networks: z.array(ZNetwork).max(3),
  enabled: z.boolean(),
});

export const ZAutomationUpdateInput = ZAutomationInput.partial().extend({ id: ZId });
export const ZAutomationIdInput = z.object({ id: ZId });

export const ZAutomation = ZAutomationInput.extend({ id: ZId, createdAt: z.date(), updatedAt: z.date() });
export const ZAutomationList = z.array(ZAutomation);

export const ZPreviewInput = z.object({
  automationId: ZId.optional(),
  draft: z.object({ keywords: ZKeywords, replyTemplate: ZTemplate, networks: z.array(ZNetwork).max(3), useAi: z.boolean().optional() }).optional(),
  text: z.string().trim().min(1).max(2200),
  authorName: z.string().trim().max(80).optional(),
  network: ZNetwork.optional(),
});
export const ZPreview = z.object({
  matches: z.boolean(),
  keyword: z.string().nullable(),
  networkApplies: z.boolean(),
  reply: z.string().nullable(),
  aiWritten: z.boolean(),
});
