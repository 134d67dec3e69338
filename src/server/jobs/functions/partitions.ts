import { cron } from "inngest";

import { db } from "~/server/db";
import { maintainMetricPartitions } from "~/server/services/partitions/maintenance";
import { inngest } from "../client";

/**
 * Daily at 04:30 UTC (before the 05:00 reconciliation writes the day's snapshots): creates the
 * metric snapshot tables' monthly partitions for this month and the next three, and moves rows
 * that landed in a DEFAULT partition into their month. The rules live in the service.
 */
export const metricPartitions = inngest.createFunction(
  {
    id: "metric-partitions",
    name: "Create monthly partitions of the metric snapshot tables",
    triggers: [cron("30 4 * * *")],
    // Two runs would only wait on each other's table locks.
    concurrency: { limit: 1 },
    retries: 3,
  },
  async ({ step }) => step.run("maintain-partitions", () => maintainMetricPartitions(db)),
);

export const partitionFunctions = [metricPartitions];
