/**
 * Emitting an event: one PENDING delivery per enabled endpoint of the organization subscribed to
 * it, all with the same event id, written with the caller's client — inside the caller's
 * transaction when it passes one, so the deliveries exist exactly when the change does. Sending is
 * asynchronous (a job event, and the every-minute cron as the safety net): a receiver that is down
 * never slows or breaks the business operation.
 */
import { randomUUID } from "node:crypto";

import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { logger } from "~/server/lib/logger";
import { insertDeliveries, subscribedEndpointIds } from "~/server/repositories/webhooks";
import { WEBHOOK_EVENT_SCHEMAS, type SubscribableEvent, type WebhookEnvelope, type WebhookEventPayload } from "./events";

/** A job event sent from inside a transaction waits this long, so the commit is (almost always) done. */
const IN_TX_SEND_DELAY_MS = 2_000;

export function newEventId() {
  return `evt_${randomUUID().replace(/-/g, "")}`;
}

export function envelope(organizationId: string, event: WebhookEnvelope["type"], data: unknown, at: Date, eventId = newEventId()): WebhookEnvelope {
  return { id: eventId, type: event, createdAt: at.toISOString(), organizationId, data };
}

function inTransaction(db: DbOrTx) {
  return !("$transaction" in db);
}

/** Asks the delivery function to send now; a failure here only delays the send until the cron. */
export function requestDelivery(organizationId: string, target: { eventId?: string; deliveryIds?: string[] }, delayMs = 0) {
  // Loaded on first use: the hooks sit in code that scripts run without the jobs client (the
  // score recompute of the demo seed), and importing it would pull in the app's whole environment.
  const send = Promise.all([import("~/server/jobs/client"), import("~/server/jobs/webhook-events")])
    .then(([{ inngest }, { webhookDeliveryRequested }]) =>
      inngest.send(webhookDeliveryRequested.create({ organizationId, ...target }, delayMs > 0 ? { ts: Date.now() + delayMs } : undefined)),
    )
    .catch((error: unknown) => logger.warn({ organizationId, err: error instanceof Error ? error.message : String(error) }, "webhook delivery request not sent; the cron will send"));
  return send.then(() => undefined);
}

/**
 * Emits several events of one type (a recompute batch, a batch of comments). One query finds the
 * subscribed endpoints; nothing is written when there are none. Returns the event ids.
 * Inside a transaction an error propagates (the transaction is aborted anyway); with the root
 * client the business change is already committed, so an error is logged and swallowed.
 */
export async function emitWebhookEvents<E extends SubscribableEvent>(db: DbOrTx, organizationId: string, event: E, payloads: WebhookEventPayload<E>[], now = new Date()): Promise<string[]> {
  if (payloads.length === 0) return [];
  if (!inTransaction(db)) {
    try {
      return await writeEvents(db, organizationId, event, payloads, now);
    } catch (error) {
      logger.error({ organizationId, event, err: error instanceof Error ? error.message : String(error) }, "webhook event not recorded");
      return [];
    }
  }
  return writeEvents(db, organizationId, event, payloads, now);
}

async function writeEvents<E extends SubscribableEvent>(db: DbOrTx, organizationId: string, event: E, payloads: WebhookEventPayload<E>[], now: Date) {
  const endpointIds = await subscribedEndpointIds(db, organizationId, event);
  if (endpointIds.length === 0) return [];
  const schema = WEBHOOK_EVENT_SCHEMAS[event];
  const events = payloads.map((payload) => envelope(organizationId, event, schema.parse(payload), now));
  await insertDeliveries(
    db,
    events.flatMap((e) =>
      endpointIds.map((endpointId) => ({ organizationId, endpointId, eventId: e.id, event, payload: e as unknown as Prisma.InputJsonValue, nextAttemptAt: now })),
    ),
  );
  const delay = inTransaction(db) ? IN_TX_SEND_DELAY_MS : 0;
  // One job event per webhook event (bounded: a large batch is left to one organization-wide request).
  if (events.length <= 20) for (const e of events) void requestDelivery(organizationId, { eventId: e.id }, delay);
  else void requestDelivery(organizationId, {}, delay);
  return events.map((e) => e.id);
}

/** Emits one event. Call it at the place the change happens, with the transaction when there is one. */
export async function emitWebhookEvent<E extends SubscribableEvent>(db: DbOrTx, organizationId: string, event: E, payload: WebhookEventPayload<E>, now = new Date()) {
  const [eventId] = await emitWebhookEvents(db, organizationId, event, [payload], now);
  return eventId ?? null;
}
