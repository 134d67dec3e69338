import { db } from "~/server/db";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { backfillSalesDay, finishSalesBackfill, planSalesBackfill } from "~/server/services/listings/sales-backfill";
import { inngest } from "../client";
import { runPriority } from "../priority";
import { salesBackfillRequested, scoresRecomputeRequested } from "../events";

/**
 * After a connection's first full sync: a month of daily sales from the marketplace's orders (one
 * step per day, paced like the sync), then sales_since moves back and the scores are recomputed
 * with real conversion, days of cover and dead-listing figures. Its own queue per connection, like
 * the market signals: it writes only days before sales_since, which the sync never touches, so it
 * need not hold up syncs and notifications.
 */
export const backfillListingSales = inngest.createFunction(
  {
    id: "backfill-listing-sales",
    name: "Backfill listings' daily sales from orders",
    triggers: [salesBackfillRequested],
    concurrency: { limit: 1, key: "event.data.connectionId" },
    priority: runPriority.bulk,
    retries: 6,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const { organizationId, userId, correlationId, connectionId } = event.data;
    const plan = await step.run("plan", () => planSalesBackfill(ctx, { connectionId }));
    if (plan.kind === "skip") return { skipped: plan.reason };
    let rows = 0;
    for (const day of plan.days) {
      for (let attempt = 0; ; attempt++) {
        const result = await step.run(attempt === 0 ? `day-${day}` : `day-${day}-${attempt}`, () =>
          backfillSalesDay(ctx, { connectionId, day, existedAt: plan.existedAt }),
        );
        if (result.kind === "wait") {
          // The marketplace asked for a long pause: park the run, then read the same day again.
          await step.sleep(`rate-limit-${day}-${attempt}`, Math.max(1000, result.waitMs));
          continue;
        }
        // Days written so far stay (they are before sales_since, so nothing reads them); a later
        // full sync plans the backfill again and rewrites the same figures.
        if (result.kind === "stopped") return { stopped: result.reason, rows };
        rows += result.rows;
        break;
      }
    }
    const { listings } = await step.run("finish", () => finishSalesBackfill(ctx, { connectionId, from: plan.from, existedAt: plan.existedAt }));
    await step.sendEvent("recompute", scoresRecomputeRequested.create({ organizationId, userId, correlationId }));
    return { listings, rows, days: plan.days.length };
  },
);

export const salesBackfillFunctions = [backfillListingSales];
