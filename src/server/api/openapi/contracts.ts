import { z } from "zod";

import { ZActionDetail, ZActionRow, ZStatusResult as ZActionStatusResult } from "../routers/actions/schemas";
import { ZConnection } from "../routers/connectors/schemas";
import { ZContentDetail, ZContentRow, ZIdResult, ZVariant } from "../routers/content/schemas";
import { ZListingDetail, ZListingMetrics, ZListingRow } from "../routers/listings/schemas";
import { ZPublicationRow } from "../routers/publications/schemas";
import { ZListingScore, ZScoreSummary } from "../routers/scores/schemas";

/**
 * The public REST contracts (`meta.openapi.output`): what a procedure's result looks like once
 * serialized to JSON (Dates as ISO 8601 strings), and no more — fields not listed here are
 * stripped from REST responses. Built from the procedures' own output schemas, so a renamed or
 * retyped field breaks here at compile time or in the contract test, not silently in production.
 */
const at = z.iso.datetime({ offset: true });
const atOrNull = at.nullable();

export const RestListing = ZListingRow.extend({ syncedAt: atOrNull });
export const RestListingDetail = ZListingDetail.extend({ syncedAt: atOrNull, createdAt: at });
export const RestListingMetrics = ZListingMetrics;

const scoreNow = ZListingScore.shape.current.unwrap();
export const RestListingScore = ZListingScore.extend({
  current: scoreNow.extend({ computedAt: at }).nullable(),
  history: z.array(ZListingScore.shape.history.element.extend({ computedAt: at })),
});
export const RestScoreSummary = ZScoreSummary.extend({ lastScoredAt: atOrNull });

export const RestAction = ZActionRow.extend({
  createdAt: at,
  editedAt: atOrNull,
  approvedAt: atOrNull,
  rejectedAt: atOrNull,
  applyingAt: atOrNull,
  appliedAt: atOrNull,
  failedAt: atOrNull,
});
// The audit trail stays in the app: reading it needs audit:read, which no API scope grants.
export const RestActionDetail = RestAction.extend({
  timeline: z.array(ZActionDetail.shape.timeline.element.extend({ at })),
  effects: z.array(ZActionDetail.shape.effects.element.extend({ measuredAt: at })),
});
export const RestActionStatus = ZActionStatusResult;

export const RestContent = ZContentRow.extend({ createdAt: at, updatedAt: at });
export const RestContentDetail = ZContentDetail.extend({
  submittedAt: atOrNull,
  approvedAt: atOrNull,
  createdAt: at,
  updatedAt: at,
  variants: z.array(ZVariant.extend({ updatedAt: at })),
  reviewComments: z.array(ZContentDetail.shape.reviewComments.element.extend({ createdAt: at })),
});
export const RestCreated = ZIdResult;

export const RestPublication = ZPublicationRow.extend({
  scheduledAt: at,
  dispatchedAt: atOrNull,
  publishedAt: atOrNull,
  nextAttemptAt: atOrNull,
  createdAt: at,
});

export const RestConnection = ZConnection.extend({ expiresAt: atOrNull, lastSyncAt: atOrNull, createdAt: at });
