/**
 * The scoring service: set-based recompute of an organization's Health Scores (background
 * function "scores/recompute.requested"), and what the `scores` router serves.
 */
import type { Db } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import type { ItemAttribute, QualityRule } from "~/server/connectors/marketplace/types";
import { inngest } from "~/server/jobs/client";
import { jobContextOf, scoresRecomputeRequested } from "~/server/jobs/events";
import { notFound } from "~/server/lib/errors";
import { healthBandCounts } from "~/server/repositories/listings";
import {
  findOrganizationSettings,
  findScoredListing,
  listScoreHistory,
  loadScoringBatch,
  medianConversionByConnection,
  scoreAverages,
  scoreMovers,
  setScoreWeightsSetting,
  worstListings,
  writeScores,
  type HistoryWrite,
  type ScoreWrite,
  type ScoringRow,
} from "~/server/repositories/scores";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { computeHealthScore, penaltyOf, titleMaxLength } from "./engine";
import { DEFAULT_SCORE_WEIGHTS, type ScoreComponent, type ScoreInput, type ScoreWeights } from "./types";
import { weightsFromSettings } from "./weights";

/** Listings per batch: one read and two writes per batch keep 100k listings to ~60 statements. */
export const RECOMPUTE_BATCH = 5000;
/** Window of the metric sums (visits, sales) the score reads. */
export const METRICS_WINDOW_DAYS = 30;
/** A history row is written at least this often per listing, even when its score holds still. */
export const HISTORY_MAX_GAP_MS = 24 * 3_600_000;
/** History points served with a listing's score (about three months of daily points). */
export const HISTORY_POINTS = 90;

const DAY_MS = 86_400_000;

/** A snapshot row as the engine's input (pure; the action engine builds its own the same way). */
export function toScoreInput(row: ScoringRow, sellerMedianConversion: number | null): ScoreInput {
  return {
    provider: row.provider,
    status: row.status,
    title: row.title,
    titleMaxLength: titleMaxLength(row.provider, row.category_id),
    description: row.description,
    attributes: Array.isArray(row.attributes) ? (row.attributes as ItemAttribute[]) : [],
    gtin: row.gtin,
    pictureCount: row.picture_count,
    tags: row.tags ?? [],
    priceCents: row.price_cents,
    suggestedPriceCents: row.suggested_price_cents,
    freeShipping: row.free_shipping,
    listingType: row.listing_type,
    qualityScore: row.quality_score,
    qualityRules: Array.isArray(row.quality_rules) ? (row.quality_rules as QualityRule[]) : null,
    stock: row.stock,
    visits30d: row.visits,
    sales30d: row.sales,
    sellerMedianConversion,
    // Neither connector reports claims or cancellations per listing yet: a missing input.
    claimsRate: null,
    cancellationRate: null,
  };
}

export async function loadScoreWeights(db: Db, organizationId: string): Promise<ScoreWeights> {
  return weightsFromSettings(await findOrganizationSettings(db, organizationId));
}

/**
 * Recomputes the scores of an organization's listings (or only `listingIds`) in keyset batches:
 * per batch one read (columns, 30-day sums, newest history row), the engine in memory, then one
 * UPDATE of the listings and one INSERT of history rows, in a transaction.
 */
export async function recomputeScores(
  db: Db,
  organizationId: string,
  options: { listingIds?: string[]; now?: Date; batchSize?: number } = {},
) {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (METRICS_WINDOW_DAYS - 1) * DAY_MS);
  const batchSize = options.batchSize ?? RECOMPUTE_BATCH;
  const weights = await loadScoreWeights(db, organizationId);
  const medians = await medianConversionByConnection(db, organizationId, since);

  let afterId: string | null = null;
  let scored = 0;
  let historyRows = 0;
  for (;;) {
    const rows: ScoringRow[] = await loadScoringBatch(db, organizationId, { afterId, limit: batchSize, since, listingIds: options.listingIds });
    if (rows.length === 0) break;
    const scores: ScoreWrite[] = [];
    const history: HistoryWrite[] = [];
    for (const row of rows) {
      const result = computeHealthScore(toScoreInput(row, medians.get(row.connection_id) ?? null), weights);
      scores.push({ listingId: row.id, score: result.score });
      // History rule: a row only when the score or its confidence moved, or the newest row is a
      // day old. A sync recomputes every listing and most do not change: writing a row each time
      // would add 100k identical rows per sync for a large catalog, while the daily row still
      // gives the history chart and the 7-day movers a point per day.
      const changed =
        row.last_score === null ||
        row.last_score !== result.score ||
        Math.abs((row.last_confidence ?? -1) - result.confidence) > 1e-9 ||
        row.last_at === null ||
        now.getTime() - row.last_at.getTime() >= HISTORY_MAX_GAP_MS;
      if (changed) {
        history.push({
          listingId: row.id,
          score: result.score,
          components: result.components as unknown as Prisma.InputJsonValue,
          missingInputs: result.missingInputs,
          confidence: result.confidence,
        });
      }
    }
    await db.$transaction(async (tx) => writeScores(tx, organizationId, scores, history, now), { timeout: 60_000, maxWait: 30_000 });
    scored += rows.length;
    historyRows += history.length;
    afterId = rows[rows.length - 1]!.id;
    if (rows.length < batchSize) break;
  }
  return { scored, historyRows };
}

// ─── Router services ──────────────────────────────────────────────────────────────────────────

const SUMMARY_LIST = 10;
const MOVERS_DAYS = 7;

export async function scoreSummary(ctx: TenantCtx) {
  const { db } = ctx;
  const organizationId = ctx.tenant.organizationId;
  const [bands, averages, worst, movers] = await Promise.all([
    healthBandCounts(db, organizationId),
    scoreAverages(db, organizationId),
    worstListings(db, organizationId, SUMMARY_LIST),
    scoreMovers(db, organizationId, new Date(Date.now() - MOVERS_DAYS * DAY_MS), SUMMARY_LIST / 2),
  ]);
  return {
    bands,
    total: bands.poor + bands.fair + bands.good + bands.unscored,
    average: averages.average === null ? null : Math.round(averages.average * 10) / 10,
    averageConfidence: averages.confidence === null ? null : Math.round(averages.confidence * 1000) / 1000,
    lastScoredAt: averages.lastScoredAt,
    worst: worst.map((l) => ({ id: l.id, title: l.title, provider: l.provider, score: l.healthScore!, thumbnailUrl: l.thumbnailUrl })),
    movers,
  };
}

/** A listing's current score with its components, and its history (oldest first). */
export async function listingScore(ctx: TenantCtx, listingId: string) {
  const organizationId = ctx.tenant.organizationId;
  const listing = await findScoredListing(ctx.db, organizationId, listingId);
  if (!listing) throw notFound("Listing");
  const rows = await listScoreHistory(ctx.db, organizationId, listingId, HISTORY_POINTS);
  const latest = rows[0];
  const history = rows.map((r) => ({ score: r.score, computedAt: r.computedAt })).reverse();
  if (!latest || listing.healthScore === null) return { listingId, current: null, history };
  return {
    listingId,
    current: {
      score: listing.healthScore,
      components: latest.components as unknown as ScoreComponent[],
      missingInputs: latest.missingInputs,
      confidence: latest.confidence,
      // Derived from the listing's current status and flags (not stored with the history).
      penalty: penaltyOf({ status: listing.status, tags: listing.tags }),
      computedAt: listing.healthScoredAt ?? latest.computedAt,
    },
    history,
  };
}

/** Queues a recompute of one listing (or the whole organization). */
export async function requestRecompute(ctx: TenantCtx, input: { listingId?: string }) {
  if (input.listingId) {
    const listing = await findScoredListing(ctx.db, ctx.tenant.organizationId, input.listingId);
    if (!listing) throw notFound("Listing");
  }
  const listingIds = input.listingId ? [input.listingId] : undefined;
  await inngest.send(scoresRecomputeRequested.create({ ...jobContextOf(ctx), ...(listingIds ? { listingIds } : {}) }));
  return { queued: true as const };
}

export async function getScoreWeights(ctx: TenantCtx) {
  return { weights: await loadScoreWeights(ctx.db, ctx.tenant.organizationId), defaults: { ...DEFAULT_SCORE_WEIGHTS } };
}

/** Stores new weights (audited) and queues the recompute they call for. */
export async function setScoreWeights(ctx: TenantCtx, weights: ScoreWeights) {
  const organizationId = ctx.tenant.organizationId;
  const before = await loadScoreWeights(ctx.db, organizationId);
  await ctx.db.$transaction(async (tx) => {
    await setScoreWeightsSetting(tx, organizationId, weights);
    await audit(tx, { organizationId, userId: ctx.tenant.userId, request: ctx.request }, "scores.weights.updated", { type: "organization", id: organizationId }, {
      before,
      after: weights,
    });
  });
  await inngest.send(scoresRecomputeRequested.create(jobContextOf(ctx)));
  return { weights };
}
