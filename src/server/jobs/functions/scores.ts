import { db } from "~/server/db";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { fetchMarketSignalsBatch } from "~/server/services/scores/market-signals";
import { recomputeScores } from "~/server/services/scores/recompute";
import { inngest } from "../client";
import { runPriority } from "../priority";
import { marketSignalsRequested, scoresRecomputed, scoresRecomputeRequested } from "../events";

/** Steps (batches of listings) per run; a larger catalog continues in a new run. */
export const SIGNAL_STEPS_PER_RUN = 150;

/**
 * After a sync: the marketplace's quality report and price reference of the connection's stale
 * listings, then a score recompute. Its own queue per connection (not the sync's: this can take
 * hours on a large Mercado Livre catalog at 5 req/s and must not hold up syncs and notifications);
 * the per-app pacing inside the connector calls keeps both under the provider's rate.
 */
export const fetchMarketSignals = inngest.createFunction(
  {
    id: "fetch-market-signals",
    name: "Fetch listings' market signals",
    triggers: [marketSignalsRequested],
    concurrency: { limit: 1, key: "event.data.connectionId" },
    retries: 6,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const { organizationId, userId, correlationId, connectionId, listingIds } = event.data;
    let fetched = 0;
    let finished = false;
    for (let i = 0; i < SIGNAL_STEPS_PER_RUN; i++) {
      const result = await step.run(`batch-${i}`, () => fetchMarketSignalsBatch(ctx, { connectionId, listingIds }));
      if (result.kind === "wait") {
        await step.sleep(`rate-limit-${i}`, Math.max(1000, result.waitMs));
        continue;
      }
      if (result.kind === "stopped") {
        // Lost access, or the account is no longer active: the listings just synced are still
        // scored, with the signals they have.
        await step.sendEvent("recompute-stopped", scoresRecomputeRequested.create({ organizationId, userId, correlationId, ...(listingIds ? { listingIds } : {}) }));
        return { stopped: result.reason, fetched };
      }
      fetched += result.fetched;
      if (result.done) {
        finished = true;
        break;
      }
    }
    const context = { organizationId, userId, correlationId };
    if (!finished) {
      // Score what is there now, and go on in a new run for the rest of the catalog.
      await step.sendEvent("continue", [
        marketSignalsRequested.create({ ...context, connectionId, ...(listingIds ? { listingIds } : {}) }),
        scoresRecomputeRequested.create({ ...context, ...(listingIds ? { listingIds } : {}) }),
      ]);
      return { fetched, continued: true };
    }
    await step.sendEvent("recompute", scoresRecomputeRequested.create({ ...context, ...(listingIds ? { listingIds } : {}) }));
    return { fetched, continued: false };
  },
);

/** Recomputes an organization's scores (or only some listings) and announces it. */
export const recomputeHealthScores = inngest.createFunction(
  {
    id: "recompute-health-scores",
    name: "Recompute Health Scores",
    triggers: [scoresRecomputeRequested],
    priority: runPriority.manualElseBulk,
    // One recompute per organization at a time: two would write the same history rows twice.
    concurrency: { limit: 1, key: "event.data.organizationId" },
    retries: 4,
  },
  async ({ event, step }) => {
    const { organizationId, userId, correlationId, listingIds } = event.data;
    const result = await step.run("recompute", () => recomputeScores(db, organizationId, { listingIds }));
    await step.sendEvent(
      "recomputed",
      scoresRecomputed.create({ organizationId, userId, correlationId, ...(listingIds ? { listingIds } : {}) }),
    );
    return result;
  },
);

export const scoreFunctions = [fetchMarketSignals, recomputeHealthScores];
