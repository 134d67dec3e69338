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
  metricSums,
  insertHistory,
  setScoresComputedAt,
  updateScores,
  type MetricSums,
  type HistoryWrite,
  type ScoreWrite,
  type ScoreColumns,
  type ScoringRow,
} from "~/server/repositories/scores";
import { emitScoreChanges } from "../developer/webhooks/hooks";
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

/** A listing's columns and window metrics as the engine's input (pure; the action engine uses it too). */
export function toScoreInput(row: ScoreColumns, metrics: WindowMetrics | undefined, sellerMedianConversion: number | null): ScoreInput {
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
    visits30d: metrics?.visits30d ?? null,
    sales30d: metrics?.sales30d ?? null,
    sellerMedianConversion,
    // Neither connector reports claims or cancellations per listing yet: a missing input.
    claimsRate: null,
    cancellationRate: null,
  };
}

export async function loadScoreWeights(db: Db, organizationId: string): Promise<ScoreWeights> {
  return weightsFromSettings(await findOrganizationSettings(db, organizationId));
}

/** When the organization's last recompute finished (settings.scoresComputedAt), or null. */
export async function loadScoresComputedAt(db: Db, organizationId: string): Promise<Date | null> {
  const settings = await findOrganizationSettings(db, organizationId);
  const at = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).scoresComputedAt : null;
  const date = typeof at === "string" ? new Date(at) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/** Fewer known days than this and a rate is too noisy to judge a listing by: the input is missing. */
export const MIN_KNOWN_DAYS = 7;

/** A listing's visits and sales as the engine reads them: 30-day equivalents, null when unknown. */
export type WindowMetrics = { connectionId: string; visits30d: number | null; sales30d: number | null };

/**
 * Scales each sum to the 30-day window from the days it covers: a listing whose sales are known for
 * 10 days and sold 4 units reads as 12 a month, not 4 — and never as a month without sales. Fewer
 * than MIN_KNOWN_DAYS known days → null (missing input, lowers confidence, not the score).
 */
export function toWindowMetrics(sums: MetricSums, now: Date): WindowMetrics {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const scaled = (total: number, from: Date | null) => {
    if (!from) return null;
    const days = Math.min(METRICS_WINDOW_DAYS, Math.floor((today - from.getTime()) / DAY_MS) + 1);
    return days < MIN_KNOWN_DAYS ? null : Math.round((total * METRICS_WINDOW_DAYS) / days);
  };
  return { connectionId: sums.connectionId, visits30d: scaled(sums.visits, sums.visitsFrom), sales30d: scaled(sums.sales, sums.salesFrom) };
}

/** Median conversion (sales / visits) of each connection's listings with known visits and sales. */
export function medianConversions(metrics: Iterable<WindowMetrics>): Map<string, number> {
  const rates = new Map<string, number[]>();
  for (const m of metrics) {
    if (m.visits30d === null || m.sales30d === null || m.visits30d <= 0) continue;
    let list = rates.get(m.connectionId);
    if (!list) rates.set(m.connectionId, (list = []));
    list.push(m.sales30d / m.visits30d);
  }
  const medians = new Map<string, number>();
  for (const [connectionId, list] of rates) {
    list.sort((x, y) => x - y);
    const mid = list.length >> 1;
    medians.set(connectionId, list.length % 2 === 1 ? list[mid]! : (list[mid - 1]! + list[mid]!) / 2);
  }
  return medians;
}

/**
 * What the score and the action engine read once per run: the organization's weights, each
 * listing's window metrics and each connection's median conversion. A whole-organization run
 * derives the medians from its own sums (one pass over the snapshots); a run for a few listings (a
 * notification about one item) uses the medians stored by the last whole-organization run — they
 * move slowly and every sync ends with one — and reads every sum only when none is stored yet.
 */
export async function loadScoringContext(db: Db, organizationId: string, now: Date, listingIds?: string[]) {
  const settings = await findOrganizationSettings(db, organizationId);
  const weights = weightsFromSettings(settings);
  const window = { since: new Date(now.getTime() - (METRICS_WINDOW_DAYS - 1) * DAY_MS), until: now };
  const toMap = (sums: MetricSums[]) => new Map(sums.map((m) => [m.listingId, toWindowMetrics(m, now)]));
  const metrics = toMap(await metricSums(db, organizationId, window, listingIds));
  if (listingIds === undefined) return { weights, metrics, medians: medianConversions(metrics.values()), ownMedians: true };

  const stored = storedMedians(settings);
  if ([...metrics.values()].every((m) => stored.has(m.connectionId))) return { weights, metrics, medians: stored, ownMedians: false };
  const all = toMap(await metricSums(db, organizationId, window));
  return { weights, metrics, medians: medianConversions(all.values()), ownMedians: false };
}

function storedMedians(settings: unknown): Map<string, number> {
  const stored = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).scoreMedians : null;
  const medians = new Map<string, number>();
  if (typeof stored === "object" && stored !== null) {
    for (const [connectionId, median] of Object.entries(stored)) if (typeof median === "number") medians.set(connectionId, median);
  }
  return medians;
}

/**
 * Recomputes the scores of an organization's listings (or only `listingIds`) in keyset batches.
 * Once per run: the weights, and the 30-day visit and sales sums of every listing (one pass over
 * the snapshots), from which each connection's median conversion follows (a run for given
 * listings reads only their sums and the stored medians). Per batch: one read
 * (columns and newest history row), the engine in memory, then one UPDATE of the listings whose
 * score changed and one INSERT of history rows.
 */
export async function recomputeScores(
  db: Db,
  organizationId: string,
  options: { listingIds?: string[]; now?: Date; batchSize?: number } = {},
) {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? RECOMPUTE_BATCH;
  const { weights, metrics, medians, ownMedians } = await loadScoringContext(db, organizationId, now, options.listingIds);

  let afterId: string | null = null;
  let scored = 0;
  let changedScores = 0;
  let historyRows = 0;
  // The writes of one batch run while the next batch is read and scored (at most one batch in
  // flight, so memory stays bounded): database and JavaScript work overlap instead of taking turns.
  let writing: Promise<unknown> = Promise.resolve();
  try {
    for (;;) {
      const rows: ScoringRow[] = await loadScoringBatch(db, organizationId, { afterId, limit: batchSize, listingIds: options.listingIds });
      if (rows.length === 0) break;
      const scores: ScoreWrite[] = [];
      const history: HistoryWrite[] = [];
      for (const row of rows) {
        const result = computeHealthScore(toScoreInput(row, metrics.get(row.id), medians.get(row.connection_id) ?? null), weights);
        // Only a changed score is written back: rewriting every row of a 100k catalog on each sync
        // (a new row version and an entry in each of the table's indexes per listing) was the
        // largest cost of a recompute. health_scored_at therefore tells when the score last changed;
        // when the organization was last scored is settings.scoresComputedAt.
        if (row.health_score !== result.score) scores.push({ listingId: row.id, score: result.score });
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
      await writing;
      // The UPDATE and the INSERT go on two connections at once, outside a transaction: each is
      // idempotent against the next recompute (an unchanged score is not rewritten; a history row
      // missing after a crash is written next time because the newest row then differs).
      writing = Promise.all([updateScores(db, organizationId, scores, now), insertHistory(db, organizationId, history, now), emitScoreChanges(db, organizationId, rows, scores, now)]);
      scored += rows.length;
      changedScores += scores.length;
      historyRows += history.length;
      afterId = rows[rows.length - 1]!.id;
      if (rows.length < batchSize) break;
    }
  } catch (error) {
    // A failed read or score: let the batch being written settle before the step fails.
    await writing.catch(() => undefined);
    throw error;
  }
  await writing;
  await setScoresComputedAt(db, organizationId, now, ownMedians ? Object.fromEntries(medians) : undefined);
  return { scored, changedScores, historyRows };
}
