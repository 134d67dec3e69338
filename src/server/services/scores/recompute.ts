/**
 * Set-based recompute of an organization's Health Scores: the background function
 * "scores/recompute.requested", the benchmark and the demo seed call it. Free of the jobs client and
 * of tRPC so scripts outside Next.js (the seed) can run it.
 */
import type { Db } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import type { ItemAttribute, QualityRule } from "~/server/connectors/marketplace/types";
import {
  findOrganizationSettings,
  loadScoringBatch,
  medianConversionByConnection,
  writeScores,
  type HistoryWrite,
  type ScoreWrite,
  type ScoringRow,
} from "~/server/repositories/scores";
import { computeHealthScore, titleMaxLength } from "./engine";
import type { ScoreInput, ScoreWeights } from "./types";
import { weightsFromSettings } from "./weights";

/** Listings per batch: one read and two writes per batch keep 100k listings to ~60 statements. */
export const RECOMPUTE_BATCH = 5000;
/** Window of the metric sums (visits, sales) the score reads. */
export const METRICS_WINDOW_DAYS = 30;
/** A history row is written at least this often per listing, even when its score holds still. */
export const HISTORY_MAX_GAP_MS = 24 * 3_600_000;

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
