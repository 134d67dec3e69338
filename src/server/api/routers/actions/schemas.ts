import { z } from "zod";

import { BULK_APPROVE_MAX } from "~/server/services/actions/actions";
import { ZId, ZPage, ZPageInput, ZProvider } from "../../schemas";

export const ZActionStatus = z.enum(["PENDING", "APPROVED", "APPLYING", "APPLIED", "FAILED", "REJECTED"]);
export const ZActionType = z.enum([
  "REWRITE_TITLE",
  "COMPLETE_ATTRIBUTES",
  "ADD_PHOTOS",
  "ADJUST_PRICE",
  "ENABLE_FREE_SHIPPING",
  "RESTOCK_ALERT",
  "PAUSE_LISTING",
  "REWRITE_DESCRIPTION",
]);
export const ZActionSource = z.enum(["RULE", "AI", "LOCAL_GENERATOR"]);
const ZMarketplace = z.enum(["MERCADOLIVRE", "SHOPEE"]);

export const ZActionListInput = ZPageInput.extend({
  type: ZActionType.optional(),
  provider: ZMarketplace.optional(),
  /** PENDING when not given (the queue); ALL for every status. */
  status: z.union([ZActionStatus, z.literal("ALL")]).optional(),
  minExpectedGain: z.number().int().min(0).max(100).optional(),
  /** "gain" (default): biggest expected gain first — what to do first; "newest": newest first. */
  sort: z.enum(["gain", "newest"]).optional(),
  listingId: ZId.optional(),
  search: z.string().trim().max(120).optional(),
});
export type TActionListInput = z.infer<typeof ZActionListInput>;
/** The pending queue: the list filters without a status. */
export const ZRecommendationsInput = ZActionListInput.omit({ status: true });

const ZPerson = z.object({ id: ZId, name: z.string() }).nullable();
const ZJsonObject = z.record(z.string(), z.unknown());

export const ZActionRow = z.object({
  id: ZId,
  type: ZActionType,
  status: ZActionStatus,
  source: ZActionSource,
  reason: z.string(),
  expectedGain: z.number().int(),
  payload: ZJsonObject,
  suggestedPayload: ZJsonObject.nullable(),
  attempts: z.number().int(),
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  retryable: z.boolean(),
  createdAt: z.date(),
  editedAt: z.date().nullable(),
  approvedAt: z.date().nullable(),
  rejectedAt: z.date().nullable(),
  applyingAt: z.date().nullable(),
  appliedAt: z.date().nullable(),
  failedAt: z.date().nullable(),
  approvedBy: ZPerson,
  rejectedBy: ZPerson,
  listing: z
    .object({
      id: ZId,
      title: z.string(),
      provider: ZProvider,
      thumbnailUrl: z.string().nullable(),
      healthScore: z.number().int().nullable(),
      priceCents: z.number().int(),
      currency: z.string(),
      status: z.string(),
    })
    .nullable(),
});

export const ZActionList = ZPage(ZActionRow);

export const ZActionIdInput = z.object({ id: ZId });

export const ZActionDetail = ZActionRow.extend({
  timeline: z.array(
    z.object({
      event: z.enum(["created", "edited", "approved", "rejected", "applying", "applied", "failed"]),
      at: z.date(),
      actor: ZPerson,
      note: z.string().nullable().optional(),
    }),
  ),
  effects: z.array(
    z.object({
      horizonDays: z.number().int(),
      scoreBefore: z.number().int().nullable(),
      scoreAfter: z.number().int().nullable(),
      visitsPerDayBefore: z.number(),
      visitsPerDayAfter: z.number(),
      salesPerDayBefore: z.number(),
      salesPerDayAfter: z.number(),
      measuredAt: z.date(),
    }),
  ),
  audit: z.array(z.object({ id: ZId, action: z.string(), at: z.date(), actor: ZPerson, metadata: ZJsonObject })),
});

/** The edited payload is validated against the action's type by the service (payloads.ts). */
export const ZApproveInput = z.object({ id: ZId, payload: ZJsonObject.optional() });
export const ZRejectInput = z.object({ id: ZId, note: z.string().trim().max(500).optional() });
export const ZBulkApproveInput = z.object({ ids: z.array(ZId).min(1).max(BULK_APPROVE_MAX) });

export const ZStatusResult = z.object({ id: ZId, status: ZActionStatus });
export const ZBulkApproveResult = z.object({
  results: z.array(z.object({ id: ZId, outcome: z.enum(["approved", "skipped"]), reason: z.string().optional() })),
  approved: z.number().int(),
  skipped: z.number().int(),
});
export const ZRegenerateResult = z.object({ id: ZId, payload: ZJsonObject, source: ZActionSource });

export const ZEffectsSummary = z.array(
  z.object({
    type: ZActionType,
    horizonDays: z.number().int(),
    count: z.number().int(),
    avgScoreChange: z.number().nullable(),
    avgVisitsPerDayChange: z.number(),
    avgSalesPerDayChange: z.number(),
  }),
);
