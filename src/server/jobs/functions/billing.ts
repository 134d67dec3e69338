import { cron } from "inngest";

import { db } from "~/server/db";
import { downgradeLapsedBatch, warnGraceEnding } from "~/server/services/billing/lapse";
import { inngest } from "../client";

/** Organizations downgraded per step: a step stays short and its result small. */
const BATCH = 100;
/** A bound on steps per run (100 × 200 = 20 000 organizations); the rest wait for tomorrow. */
const MAX_BATCHES = 200;

/**
 * Daily at 06:15 UTC: subscriptions whose paid plan lapsed move to the free plan, and owners of
 * past-due subscriptions near the end of their grace period are warned. The rules live in
 * services/billing/lapse.ts; this only schedules them, one step per batch.
 */
export const billingDaily = inngest.createFunction(
  {
    id: "billing-daily",
    name: "Billing: downgrade lapsed subscriptions",
    triggers: [cron("15 6 * * *")],
    concurrency: { limit: 1 },
    retries: 3,
  },
  async ({ step }) => {
    let downgraded = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const result = await step.run(`downgrade-batch-${batch}`, () => downgradeLapsedBatch(db, { limit: BATCH }));
      downgraded += result.downgraded;
      if (!result.more) break;
    }
    const { warned } = await step.run("warn-grace-ending", () => warnGraceEnding(db));
    return { downgraded, warned };
  },
);

export const billingFunctions = [billingDaily];
