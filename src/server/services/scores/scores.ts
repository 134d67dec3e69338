/**
 * What the `scores` router serves: summary, a listing's score with history, recompute requests and
 * weights. The recompute itself lives in recompute.ts (no jobs client, so scripts can run it).
 */
import { inngest } from "~/server/jobs/client";
import { jobContextOf, scoresRecomputeRequested } from "~/server/jobs/events";
import { notFound } from "~/server/lib/errors";
import { healthBandCounts } from "~/server/repositories/listings";
import {
  findScoredListing,
  listScoreHistory,
  scoreAverages,
  scoreMovers,
  setScoreWeightsSetting,
  worstListings,
} from "~/server/repositories/scores";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { penaltyOf } from "./engine";
import { DEFAULT_SCORE_WEIGHTS, type ScoreComponent, type ScoreWeights } from "./types";
import { loadScoresComputedAt, loadScoreWeights } from "./recompute";

/** History points served with a listing's score (about three months of daily points). */
export const HISTORY_POINTS = 90;
const DAY_MS = 86_400_000;

// ─── Router services ──────────────────────────────────────────────────────────────────────────

const SUMMARY_LIST = 10;
const MOVERS_DAYS = 7;

export async function scoreSummary(ctx: TenantCtx) {
  const { db } = ctx;
  const organizationId = ctx.tenant.organizationId;
  const [bands, averages, worst, movers, lastScoredAt] = await Promise.all([
    healthBandCounts(db, organizationId),
    scoreAverages(db, organizationId),
    worstListings(db, organizationId, SUMMARY_LIST),
    scoreMovers(db, organizationId, new Date(Date.now() - MOVERS_DAYS * DAY_MS), SUMMARY_LIST / 2),
    loadScoresComputedAt(db, organizationId),
  ]);
  return {
    bands,
    total: bands.poor + bands.fair + bands.good + bands.unscored,
    average: averages.average === null ? null : Math.round(averages.average * 10) / 10,
    averageConfidence: averages.confidence === null ? null : Math.round(averages.confidence * 1000) / 1000,
    lastScoredAt,
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
      // The newest history row: written when the score changes and at least daily.
      computedAt: latest.computedAt,
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
