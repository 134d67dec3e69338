import { cron } from "inngest";

import { db } from "~/server/db";
import { pruneFinishedJobRuns, purgeSoftDeletedRows } from "~/server/services/jobs/purge";
import { inngest } from "../client";
import { purgeRequested } from "../events";

/**
 * Daily at 06:00 UTC (03:00 in São Paulo): removes rows soft-deleted more than 30 days ago and
 * audits it; on "maintenance/soft-deleted.purge-requested", does the same for one organization.
 * The rules live in the service; this only schedules it.
 */
export const purgeSoftDeleted = inngest.createFunction(
  {
    id: "purge-soft-deleted",
    name: "Purge soft-deleted rows",
    triggers: [cron("0 6 * * *"), purgeRequested],
    // Two purges at once would only contend for the same rows.
    concurrency: { limit: 1 },
    retries: 3,
  },
  async ({ event, step }) => {
    if (event.name === purgeRequested.name) {
      const { organizationId, userId, correlationId } = event.data;
      return step.run("purge-organization", () => purgeSoftDeletedRows(db, { organizationId, userId, correlationId }));
    }
    const purged = await step.run("purge", () => purgeSoftDeletedRows(db));
    const prunedRuns = await step.run("prune-job-runs", () => pruneFinishedJobRuns(db));
    return { ...purged, prunedRuns };
  },
);
