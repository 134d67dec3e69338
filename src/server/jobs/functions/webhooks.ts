import { cron } from "inngest";

import { db } from "~/server/db";
import { deliverDue, pruneDeliveries } from "~/server/services/developer/webhooks/deliver";
import { inngest } from "../client";
import { webhookDeliveryRequested } from "../webhook-events";

/** Deliveries claimed per step, and steps per cron run (a backlog drains over the next minutes). */
const BATCH = 50;
const MAX_BATCHES = 20;

/**
 * Sends the deliveries an event asked for, right away (emitWebhookEvent, a replay, a test event).
 * Retries are not this function's: a failed delivery is rescheduled on its row and the cron
 * picks it up when due.
 */
export const webhooksDeliver = inngest.createFunction(
  {
    id: "webhooks-deliver",
    name: "Webhooks: send new deliveries",
    triggers: [webhookDeliveryRequested],
    retries: 2,
  },
  async ({ event, step }) => {
    const { organizationId, eventId, deliveryIds } = event.data;
    const result = await step.run("send", () => deliverDue(db, { organizationId, eventId: eventId ?? null, deliveryIds: deliveryIds ?? null, limit: BATCH }));
    return { claimed: result.claimed };
  },
);

/** Every minute: due deliveries (retries, and any whose event was lost) of every organization. */
export const webhooksDeliverDue = inngest.createFunction(
  {
    id: "webhooks-deliver-due",
    name: "Webhooks: send due deliveries and retries",
    triggers: [cron("* * * * *")],
    concurrency: { limit: 1 },
    retries: 1,
  },
  async ({ step }) => {
    let claimed = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const result = await step.run(`send-batch-${batch}`, async () => (await deliverDue(db, { limit: BATCH })).claimed);
      claimed += result;
      if (result < BATCH) break;
    }
    return { claimed };
  },
);

/** Daily at 06:45 UTC: settled deliveries older than the log's retention (30 days) go. */
export const webhooksPrune = inngest.createFunction(
  {
    id: "webhooks-prune-deliveries",
    name: "Webhooks: remove old deliveries",
    triggers: [cron("45 6 * * *")],
    concurrency: { limit: 1 },
    retries: 2,
  },
  async ({ step }) => {
    let deleted = 0;
    for (let batch = 0; batch < 100; batch++) {
      const result = await step.run(`prune-batch-${batch}`, () => pruneDeliveries(db));
      deleted += result.deleted;
      if (!result.more) break;
    }
    return { deleted };
  },
);

export const webhookFunctions = [webhooksDeliver, webhooksDeliverDue, webhooksPrune];
