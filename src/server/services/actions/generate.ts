/**
 * Recommendation runs: turns an organization's listings into PENDING actions (background function
 * "generate-recommendations", after every score recompute). docs/actions.md describes the method.
 *
 * Once per run: the metric window (the same 30-day figures and medians the score reads,
 * services/scores/recompute.ts). Per keyset batch of listings: one read (columns, last sale) and one of the
 * batch's recently decided actions (cool-downs), the engine and the applicability check in memory,
 * then one INSERT … ON CONFLICT DO NOTHING of the new actions and one UPDATE retiring the PENDING
 * actions no longer recommended, in one transaction.
 *
 * The current score is recomputed in memory from the same inputs rather than read from
 * listings.health_score / the newest health_scores row: the engine needs the inputs anyway (to
 * re-score each proposed change), computing a score is microseconds of CPU while reading the
 * newest history row costs a lateral join per listing, and a stored score may predate the inputs
 * (a sync after the last recompute) — current and "after" must come from the same facts and
 * weights, or the expected gain would mix two states of the listing.
 */
import type { Db } from "~/server/db";
import { generateListingCopy, isAiConfigured, localUsage, AI_MAX_SUGGESTIONS_PER_RUN, type AiProviderConfig } from "~/server/ai";
import type { ListingCopy, ListingCopyRequest } from "~/server/ai/types";
import { generateLocalCopy } from "~/server/ai/local";
import { recordAiUsageMany, type AiUsageRecord } from "~/server/repositories/ai-usage";
import { logger } from "~/server/lib/logger";
import {
  insertPendingActions,
  loadGenerationBatch,
  findLocalCopyActions,
  openKeyOf,
  recentlyDecidedKeys,
  replaceGeneratedCopy,
  retireActionsOfDeletedListings,
  retireObsoleteActions,
  type GenerationRow,
  type NewAction,
} from "~/server/repositories/action-generation";
import { audit } from "../audit";
import { computeHealthScore } from "../scores/engine";
import type { ScoreResult } from "../scores/types";
import { loadScoringContext, toScoreInput, type WindowMetrics } from "../scores/recompute";
import { checkApplicability } from "./applicability";
import { copyRequestFor, recommendActions, withCopy, type EngineListing } from "./engine";
import type { Recommendation } from "./payloads";

/** Listings per batch: two reads and two writes per batch. */
export const GENERATION_BATCH = 2000;
/** A suggestion a person rejected is not made again for this long. */
export const REJECTED_COOLDOWN_DAYS = 30;
/** Nor one applied this recently (syncs catch up; its 7-day effect is being measured)… */
export const APPLIED_COOLDOWN_DAYS = 7;
/** …or one whose apply failed this recently (refused, or awaiting a manual retry). */
export const FAILED_COOLDOWN_DAYS = 7;
/** How far back the last sale is looked for (the dead-listing rule needs ≥ 30 days). */
export const SALES_HISTORY_DAYS = 90;

const DAY_MS = 86_400_000;

export type GenerationOptions = {
  listingIds?: string[];
  userId?: string;
  correlationId?: string;
  now?: Date;
  batchSize?: number;
  /** LLM calls allowed in this run (default AI_MAX_SUGGESTIONS_PER_RUN). */
  aiLimit?: number;
  /** The LLM to use instead of env's (tests: a local OpenAI-compatible server); null = none. */
  aiProvider?: AiProviderConfig | null;
  /**
   * Leave the LLM rewrites to a separate upgradeCopyWithAi call (the background function runs it
   * as its own step, so a retry of one never redoes the other); the candidates come back in
   * `aiCandidates`.
   */
  deferAi?: boolean;
};

export type GenerationCounts = {
  listings: number;
  created: number;
  /** Open rule suggestions whose payload followed their inputs (still PENDING, not edited). */
  refreshed: number;
  /** Already open and unchanged (or not refreshable: approved, edited, copy). */
  skippedDuplicate: number;
  notApplicable: number;
  /** Recommended again too soon after a person rejected it, or after it was applied or failed. */
  suppressed: number;
  retired: number;
  /** Title/description suggestions rewritten by the LLM in this run. */
  aiSuggestions: number;
  /** With deferAi: open keys of the new local-copy actions the LLM may rewrite, best gain first. */
  aiCandidates?: string[];
};

/** A row as the engine's input: the score's own input (recompute.ts) plus the applicability facts. */
export function toEngineListing(row: GenerationRow, metrics: WindowMetrics | undefined, sellerMedianConversion: number | null): EngineListing {
  return {
    ...toScoreInput(row, metrics, sellerMedianConversion),
    id: row.id,
    categoryId: row.category_id,
    hasVariations: row.has_variations,
    catalogListing: row.catalog_listing,
    soldQuantity: row.sold_quantity,
    lastSaleAt: row.last_sale_at,
    salesSince: row.sales_since,
  };
}

/** A new title/description action the LLM may rewrite. */
type CopyCandidate = { key: string; expectedGain: number };

/** After this many LLM answers in a row fall back to local copy, a run stops asking: the provider is failing. */
export const AI_CONSECUTIVE_FAILURES_STOP = 2;

const FEATURE = { REWRITE_TITLE: "actions.title", REWRITE_DESCRIPTION: "actions.description" } as const;

export async function generateRecommendations(db: Db, organizationId: string, options: GenerationOptions = {}): Promise<GenerationCounts> {
  const now = options.now ?? new Date();
  const historySince = new Date(now.getTime() - (SALES_HISTORY_DAYS - 1) * DAY_MS);
  const batchSize = options.batchSize ?? GENERATION_BATCH;
  const aiEnabled = options.aiProvider !== undefined ? options.aiProvider !== null : isAiConfigured();
  const aiLimit = aiEnabled ? (options.aiLimit ?? AI_MAX_SUGGESTIONS_PER_RUN) : 0;
  const { weights, metrics, medians } = await loadScoringContext(db, organizationId, now, options.listingIds);

  const counts: GenerationCounts = { listings: 0, created: 0, refreshed: 0, skippedDuplicate: 0, notApplicable: 0, suppressed: 0, retired: 0, aiSuggestions: 0 };
  const cooldown = {
    rejected: new Date(now.getTime() - REJECTED_COOLDOWN_DAYS * DAY_MS),
    applied: new Date(now.getTime() - APPLIED_COOLDOWN_DAYS * DAY_MS),
    failed: new Date(now.getTime() - FAILED_COOLDOWN_DAYS * DAY_MS),
  };
  let candidates: CopyCandidate[] = [];
  let afterId: string | null = null;

  for (;;) {
    const rows: GenerationRow[] = await loadGenerationBatch(db, organizationId, { afterId, limit: batchSize, historySince, listingIds: options.listingIds });
    if (rows.length === 0) break;

    const decided = await recentlyDecidedKeys(db, organizationId, rows.map((r) => r.id), cooldown);
    const fresh: NewAction[] = [];
    const keep: string[] = [];
    const byKey = new Map<string, { listing: EngineListing; score: ScoreResult; recommendation: Recommendation; localMs: number }>();
    for (const row of rows) {
      const listing = toEngineListing(row, metrics.get(row.id), medians.get(row.connection_id) ?? null);
      const score = computeHealthScore(listing, weights);
      const localMs = { title: 0, description: 0 };
      const writeCopy = (request: ListingCopyRequest): ListingCopy => {
        const started = performance.now();
        const copy = generateLocalCopy(request);
        localMs[request.kind] = performance.now() - started;
        return copy;
      };
      for (const recommendation of recommendActions(listing, score, { weights, now, writeCopy })) {
        if (!checkApplicability(listing, recommendation).ok) {
          counts.notApplicable++;
          continue;
        }
        const key = openKeyOf(listing.id, recommendation.type);
        keep.push(key);
        if (decided.has(key)) {
          counts.suppressed++;
          continue;
        }
        const ms = recommendation.type === "REWRITE_TITLE" ? localMs.title : recommendation.type === "REWRITE_DESCRIPTION" ? localMs.description : 0;
        byKey.set(key, { listing, score, recommendation, localMs: ms });
        fresh.push({ listingId: listing.id, ...recommendation });
      }
    }

    const { inserted, refreshed, retired } = await db.$transaction(
      async (tx) => ({
        ...(await insertPendingActions(tx, organizationId, fresh, now)),
        retired: await retireObsoleteActions(tx, organizationId, rows.map((r) => r.id), keep, now),
      }),
      { timeout: 60_000, maxWait: 30_000 },
    );
    counts.listings += rows.length;
    counts.created += inserted.size;
    counts.refreshed += refreshed;
    counts.skippedDuplicate += fresh.length - inserted.size - refreshed;
    counts.retired += retired;

    // Local-generator suggestions are metered like any copy call (0 tokens, 0 cost), one INSERT.
    const metered: AiUsageRecord[] = [];
    for (const key of inserted) {
      const entry = byKey.get(key)!;
      const type = entry.recommendation.type;
      if (type !== "REWRITE_TITLE" && type !== "REWRITE_DESCRIPTION") continue;
      metered.push(localUsage({ organizationId, userId: options.userId, feature: FEATURE[type] }, entry.localMs));
      if (aiLimit > 0) candidates.push({ key, expectedGain: entry.recommendation.expectedGain });
    }
    await recordAiUsageMany(db, metered);
    // Only the best `aiLimit` candidates can reach the LLM: keep the list bounded across batches.
    if (candidates.length > 2 * aiLimit) candidates = bestFirst(candidates).slice(0, aiLimit);

    afterId = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) break;
  }

  if (!options.listingIds) counts.retired += await retireActionsOfDeletedListings(db, organizationId, now);

  const aiCandidates = bestFirst(candidates)
    .slice(0, aiLimit)
    .map((c) => c.key);
  if (options.deferAi) counts.aiCandidates = aiCandidates;
  else counts.aiSuggestions = await upgradeCopyWithAi(db, organizationId, { openKeys: aiCandidates, userId: options.userId, aiProvider: options.aiProvider, now });

  if (counts.retired > 0) {
    // Retirement is housekeeping by the system (a run may retire thousands): one entry per run,
    // not one per action, with no acting user.
    await audit(db, { organizationId, userId: null, request: options.correlationId ? { correlationId: options.correlationId } : undefined }, "actions.retired", undefined, {
      count: counts.retired,
      reason: "obsolete",
    });
  }
  logger.info({ organizationId, correlationId: options.correlationId, ...counts }, "actions: recommendations generated");
  return counts;
}

function bestFirst(candidates: CopyCandidate[]) {
  return [...candidates].sort((a, b) => b.expectedGain - a.expectedGain || a.key.localeCompare(b.key));
}

/**
 * The LLM rewrites the copy of these title/description actions (open keys, best first), each
 * still PENDING, unedited and with local copy; the expected gain is recomputed for the new text.
 * Outside any transaction: a provider call can take seconds. The AI layer never throws for a
 * provider failure (it answers with local copy, and the action keeps its own); after
 * AI_CONSECUTIVE_FAILURES_STOP such answers in a row the run stops asking. Returns how many were
 * rewritten.
 */
export async function upgradeCopyWithAi(
  db: Db,
  organizationId: string,
  options: { openKeys: string[]; userId?: string; aiProvider?: AiProviderConfig | null; now?: Date },
): Promise<number> {
  if (options.openKeys.length === 0) return 0;
  const actions = await findLocalCopyActions(db, organizationId, options.openKeys);
  if (actions.length === 0) return 0;
  const now = options.now ?? new Date();
  const historySince = new Date(now.getTime() - (SALES_HISTORY_DAYS - 1) * DAY_MS);
  const listingIds = [...new Set(actions.map((a) => a.listingId))];
  const { weights, metrics, medians } = await loadScoringContext(db, organizationId, now, listingIds);
  const rows = await loadGenerationBatch(db, organizationId, { afterId: null, limit: listingIds.length, historySince, listingIds });
  const listings = new Map(rows.map((row) => [row.id, toEngineListing(row, metrics.get(row.id), medians.get(row.connection_id) ?? null)]));
  const order = new Map(options.openKeys.map((key, i) => [key, i]));
  actions.sort((a, b) => order.get(a.openKey)! - order.get(b.openKey)!);

  let upgraded = 0;
  let failures = 0;
  for (const action of actions) {
    const listing = listings.get(action.listingId);
    if (!listing) continue;
    const copy = await generateListingCopy(
      db,
      { organizationId, userId: options.userId ?? null, feature: FEATURE[action.type] },
      copyRequestFor(listing, action.type),
      options.aiProvider !== undefined ? { provider: options.aiProvider } : {},
    );
    if (copy.generator !== "ai") {
      if (++failures >= AI_CONSECUTIVE_FAILURES_STOP) break;
      continue;
    }
    failures = 0;
    const score = computeHealthScore(listing, weights);
    const current: Recommendation = { type: action.type, reason: action.reason, payload: action.payload as Recommendation["payload"], expectedGain: action.expectedGain, source: "LOCAL_GENERATOR" };
    const next = withCopy(listing, score, current, copy, weights);
    if (next && (await replaceGeneratedCopy(db, organizationId, action.openKey, { payload: next.payload, source: "AI", expectedGain: next.expectedGain }))) upgraded++;
  }
  return upgraded;
}
