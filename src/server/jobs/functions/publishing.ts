import { cron } from "inngest";

import { db } from "~/server/db";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { dispatchDue } from "~/server/services/publishing/dispatch";
import { giveUp, publishStep } from "~/server/services/publishing/engine";
import { inngest } from "../client";
import { runPriority } from "../priority";
import { publicationPublishRequested } from "../events";

/** Steps one run may take before it goes on in a fresh run (Inngest caps steps per run). */
const MAX_STEPS_PER_RUN = 200;

/**
 * Every minute: sends the publish event of every publication now due (and re-sends the ones whose
 * run never started). One dispatcher at a time; the claim is safe to run twice anyway.
 */
export const dispatchPublications = inngest.createFunction(
  { id: "dispatch-publications", name: "Dispatch due social publications", triggers: [cron("* * * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => step.run("dispatch", () => dispatchDue(db)),
);

/**
 * Publishes one publication through its network's phases (services/publishing/engine.ts), one
 * step per phase: every step re-reads the row and stops when the planned version is gone (edit,
 * reschedule, cancel, delete). One step at a time per account; the throttle mirrors TikTok's 6
 * video/init calls a minute per user for a real Inngest server (the local runner ignores it and
 * the steps pace themselves, see account-pacing.ts). Waits — processing, quotas, backoff,
 * confirming an unknown outcome — are step sleeps, so nothing holds a worker meanwhile.
 */
export const publishPublication = inngest.createFunction(
  {
    id: "publish-publication",
    name: "Publish a social post",
    triggers: [publicationPublishRequested],
    concurrency: [{ key: "event.data.connectionId", limit: 1 }],
    priority: runPriority.userVisible,
    throttle: { key: "event.data.connectionId", limit: 6, period: "1m" },
    retries: 3,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const input = { publicationId: event.data.publicationId, version: event.data.version };
    for (let n = 0; n < MAX_STEPS_PER_RUN; n++) {
      let result;
      try {
        result = await step.run(`phase-${n}`, () => publishStep(ctx, input));
      } catch (error) {
        // Unexpected errors only (connector failures are results): settle the row safely.
        const message = error instanceof Error ? error.message : String(error);
        return step.run("give-up", () => giveUp(ctx, { ...input, error: message }));
      }
      if (result.kind === "wait") {
        await step.sleepUntil(`wait-${n}`, result.until);
        continue;
      }
      if (result.kind === "next") continue;
      return result;
    }
    const stamp = await step.run("continue-stamp", () => Date.now());
    await step.sendEvent("continue", publicationPublishRequested.create(event.data, { id: `publish-${input.publicationId}-v${input.version}-cont-${stamp}` }));
    return { kind: "continued" as const };
  },
);

export const publishingFunctions = [dispatchPublications, publishPublication];
