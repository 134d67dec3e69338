import { cron } from "inngest";

import { db } from "~/server/db";
import { listActiveSocialConnections } from "~/server/repositories/analytics";
import { syncSocialAnalytics } from "~/server/services/analytics/sync";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { MAX_CIRCUIT_WAITS } from "../circuit";
import { inngest } from "../client";
import { runPriority } from "../priority";
import { socialAccountConnected, socialAnalyticsSyncRequested } from "../events";

/** Events per sendEvent call of the fan-out. */
const FAN_OUT_CHUNK = 500;

/**
 * Hourly: one sync request per active social account. The event id names the account and the hour,
 * so a cron tick delivered twice (or a restarted fan-out) queues each account once.
 */
export const fanOutSocialAnalytics = inngest.createFunction(
  { id: "social-analytics-fan-out", name: "Queue the hourly social analytics syncs", triggers: [cron("0 * * * *")], concurrency: { limit: 1 }, priority: runPriority.bulk, retries: 2 },
  async ({ step }) => {
    const connections = await step.run("list", () => listActiveSocialConnections(db));
    const hour = new Date().toISOString().slice(0, 13);
    for (let i = 0; i < connections.length; i += FAN_OUT_CHUNK) {
      await step.sendEvent(
        `queue-${i / FAN_OUT_CHUNK}`,
        connections
          .slice(i, i + FAN_OUT_CHUNK)
          .map((c) => socialAnalyticsSyncRequested.create({ organizationId: c.organizationId, connectionId: c.id }, { id: `analytics-${c.id}-${hour}` })),
      );
    }
    return { queued: connections.length };
  },
);

/**
 * Pulls one account's metrics (services/analytics/sync.ts), one run at a time per account; a
 * freshly connected account gets its first (90-day) sync right away.
 */
export const syncSocialAnalyticsFn = inngest.createFunction(
  {
    id: "social-analytics-sync",
    name: "Sync a social account's metrics",
    triggers: [socialAnalyticsSyncRequested, socialAccountConnected],
    concurrency: { limit: 1, key: "event.data.connectionId" },
    priority: runPriority.manualElseBulk,
    retries: 3,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const { connectionId } = event.data;
    let result = await step.run("sync", () => syncSocialAnalytics(ctx, connectionId));
    // The network asked for a long pause, or its circuit breaker is open: sleep instead of holding
    // a worker, then try again.
    for (let round = 0; result.kind === "wait" && round < MAX_CIRCUIT_WAITS; round++) {
      const suffix = round === 0 ? "" : `-${round}`;
      await step.sleep(`rate-limit${suffix}`, Math.max(1000, result.waitMs));
      result = await step.run(`sync-again${suffix}`, () => syncSocialAnalytics(ctx, connectionId));
    }
    return result;
  },
);

export const socialAnalyticsFunctions = [fanOutSocialAnalytics, syncSocialAnalyticsFn];
