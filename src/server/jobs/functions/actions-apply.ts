import { cron } from "inngest";

import { db } from "~/server/db";
import { stuckApprovals } from "~/server/services/actions/actions";
import { applyAction, failAfterRetries } from "~/server/services/actions/apply";
import { applyBlockedUntil } from "~/server/services/actions/apply-circuit";
import { measureDueEffects } from "~/server/services/actions/effects";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { MAX_CIRCUIT_WAITS, retryWhenCircuitOpens } from "../circuit";
import { inngest } from "../client";
import { runPriority } from "../priority";
import { actionApplyRequested, scoresRecomputeRequested } from "../events";

/**
 * Applies one approved action through the marketplace connector. The step is idempotent (see
 * services/actions/apply.ts): retried with backoff on outages and rate limits, and once the
 * retries run out the action is marked FAILED with the last reason. One apply at a time per
 * organization keeps a bulk approval within the marketplace's rate limits.
 */
export const applyActionFn = inngest.createFunction(
  {
    id: "apply-action",
    name: "Apply an approved action to the marketplace",
    triggers: [actionApplyRequested],
    concurrency: { limit: 1, key: "event.data.organizationId" },
    priority: runPriority.userVisible,
    retries: 5,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const { actionId, organizationId, userId, correlationId } = event.data;
    // The marketplace's circuit breaker is open: sleep until it half-opens (docs/resilience.md).
    for (let round = 0; round < MAX_CIRCUIT_WAITS; round++) {
      const until = await step.run(`circuit-${round}`, () => applyBlockedUntil(ctx, { actionId }));
      if (!until) break;
      await step.sleepUntil(`circuit-wait-${round}`, until);
    }
    let outcome;
    try {
      outcome = await step.run("apply", () => retryWhenCircuitOpens(() => applyAction(ctx, { actionId })));
    } catch (error) {
      // The step's retries are used up: record the failure instead of leaving it APPLYING.
      const message = error instanceof Error ? error.message : String(error);
      return step.run("give-up", () => failAfterRetries(ctx, { actionId, error: message }));
    }
    if (outcome.status === "APPLIED") {
      await step.sendEvent(
        "rescore",
        scoresRecomputeRequested.create({ organizationId, userId, correlationId, listingIds: [outcome.listingId] }, { id: `rescore-action-${actionId}` }),
      );
    }
    return outcome;
  },
);

/**
 * Daily at 06:00 UTC (after the 05:00 reconciliation wrote yesterday's metrics): measures the
 * effect of actions applied 7 and 30 days ago against their baseline.
 */
export const measureActionEffects = inngest.createFunction(
  { id: "measure-action-effects", name: "Measure the effect of applied actions", triggers: [cron("0 6 * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => step.run("measure", () => measureDueEffects(db)),
);

/**
 * Every 10 minutes: approvals whose apply event never arrived (the queue was unreachable just
 * after the approval) are sent again. A duplicate finds the action settled and does nothing.
 */
export const requeueStuckApprovals = inngest.createFunction(
  { id: "requeue-stuck-approvals", name: "Re-send apply events of stuck approvals", triggers: [cron("*/10 * * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => {
    const stuck = await step.run("find", () => stuckApprovals(db));
    if (stuck.length === 0) return { sent: 0 };
    await step.sendEvent(
      "requeue",
      stuck.map((a) =>
        actionApplyRequested.create({ organizationId: a.organizationId, ...(a.userId ? { userId: a.userId } : {}), actionId: a.actionId }, { id: a.eventId }),
      ),
    );
    return { sent: stuck.length };
  },
);

export const actionFunctions = [applyActionFn, measureActionEffects, requeueStuckApprovals];
