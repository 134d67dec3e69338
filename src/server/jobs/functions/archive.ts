import { db } from "~/server/db";
import { planReprocess, reprocessDay, type ReprocessOutcome } from "~/server/services/archive/reprocess";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { inngest } from "../client";
import { archiveReprocessRequested } from "../events";

/** Archive objects replayed per step: a retried step redoes at most this many (the store steps are upserts). */
const OBJECTS_PER_STEP = 20;

/**
 * Rebuilds listings or social metrics from the raw archive (services/archive/reprocess.ts), never
 * calling the provider. One run per organization at a time; objects replay oldest first.
 */
export const reprocessArchive = inngest.createFunction(
  {
    id: "archive-reprocess",
    name: "Rebuild listings or metrics from the raw archive",
    triggers: [archiveReprocessRequested],
    concurrency: { limit: 1, key: "event.data.organizationId" },
    retries: 3,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const { kind, connectionId, from, to } = event.data;
    const input = { kind, from, to, ...(connectionId ? { connectionId } : {}) };
    const days = await step.run("plan", () => planReprocess(ctx, input));
    const total: ReprocessOutcome = { objects: 0, lines: 0, skipped: 0, listings: 0, newerKept: 0, accountDays: 0, posts: 0 };
    for (const { date, objects } of days) {
      // A day's objects sort by fetch time, so an offset names the same objects on a retry; objects
      // a sync writes today while this runs normally sort after the planned ones (a step still
      // fetching when the plan was made could slip in earlier: replays are upserts, so at worst one
      // object is replayed twice or left to the next request).
      for (let offset = 0; offset < objects; offset += OBJECTS_PER_STEP) {
        const part = await step.run(`replay-${date}-${offset}`, () => reprocessDay(ctx, input, date, offset, Math.min(OBJECTS_PER_STEP, objects - offset)));
        for (const k of Object.keys(total) as (keyof ReprocessOutcome)[]) total[k] += part[k];
      }
    }
    return total;
  },
);

export const archiveFunctions = [reprocessArchive];
