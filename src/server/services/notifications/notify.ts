/**
 * In-app notifications (the bell in the header). A notification stores its kind and parameters,
 * never a rendered sentence: each reader sees it in their own language
 * (messages notifications.kinds.<kind>). Called from background functions and services alike.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { logger } from "~/server/lib/logger";
import { anyoneWantsEmail, createNotification, recentNotificationExists, recentNotificationsWithEmailWanted } from "~/server/repositories/notifications";
import { categoryOf } from "./categories";

export const NOTIFICATION_KINDS = [
  // A connection's token refresh was refused (services/connectors/tokens.ts): reconnect it.
  "connection.needsReconnect",
  // A circuit breaker opened (services/resilience/circuit-breaker.ts): the provider, or one account
  // at it, stopped answering; calls wait and resume on their own.
  "connection.providerUnavailable",
  // Applying an approved action failed (services/actions/apply.ts).
  "action.failed",
  // The month's AI credits ran out where a call was refused or fell back (src/server/ai).
  "ai.limitReached",
  "publication.failed",
  "publication.unconfirmed",
  // Billing (services/billing): a failed payment, a cancellation, the fall back to the free plan.
  "billing.pastDue",
  "billing.graceEnding",
  "billing.canceled",
  "billing.downgraded",
  // Entitlements: a sync left new listings out at the plan's limit (once per connection per month).
  "listings.limitReached",
  // Outbound webhooks: an endpoint failing for too long was disabled (owners and managers).
  "webhooks.endpointDisabled",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export type NotifyInput = {
  organizationId: string;
  /** Who should see it; null or absent = everyone in the organization. */
  userId?: string | null;
  kind: NotificationKind;
  /** Message parameters (titles, network names, reasons); never secrets. */
  params: Prisma.InputJsonObject;
  /** Where the notification leads in the app (a path). */
  link?: string | null;
  /**
   * Skips the notification when one of the same kind with the same params[key] was created within
   * the window (a run that gets retried must not alert twice for one failure).
   */
  dedupe?: { key: string; withinMs: number };
};

export async function notify(db: DbOrTx, input: NotifyInput, now = new Date()) {
  if (input.dedupe) {
    const id = input.params[input.dedupe.key];
    if (typeof id === "string" && (await recentNotificationExists(db, input.organizationId, input.kind, input.dedupe.key, id, new Date(now.getTime() - input.dedupe.withinMs)))) {
      return null;
    }
  }
  const row = await createNotification(db, input.organizationId, { userId: input.userId ?? null, kind: input.kind, params: input.params, link: input.link ?? null });
  if (await anyoneWantsEmail(db, row.organizationId, categoryOf(row.kind), row.userId)) requestEmail(row.organizationId, row.id, !("$transaction" in db));
  return row;
}

/** A job event sent from inside a transaction waits this long, so the commit is (almost always) done. */
const IN_TX_SEND_DELAY_MS = 2_000;

/**
 * Asks the e-mail function to send this notification to whoever wants it. Never awaited and never
 * throws: the code path that raised the notification must not wait for or fail on e-mail.
 */
function requestEmail(organizationId: string, notificationId: string, inTransaction: boolean) {
  void sendEmailRequest(organizationId, notificationId, inTransaction);
}

function sendEmailRequest(organizationId: string, notificationId: string, inTransaction: boolean) {
  // Loaded on first use: notify sits in code that scripts run without the jobs client.
  return Promise.all([import("~/server/jobs/client"), import("~/server/jobs/events")])
    .then(([{ inngest }, { notificationCreated }]) =>
      inngest.send(
        notificationCreated.create(
          { organizationId, notificationId },
          // The event id makes a repeated request one run (one e-mail per notification and person).
          { id: `notification-email-${notificationId}`, ...(inTransaction ? { ts: Date.now() + IN_TX_SEND_DELAY_MS } : {}) },
        ),
      ),
    )
    .catch((error: unknown) => logger.warn({ organizationId, notificationId, err: error instanceof Error ? error.message : String(error) }, "notification e-mail not requested"));
}

/** How far back the sweep looks, and how long it leaves a fresh notification to its own request. */
export const EMAIL_SWEEP_WINDOW_MS = 2 * 60 * 60_000;
const EMAIL_SWEEP_GRACE_MS = 2 * 60_000;

/**
 * The safety net for an e-mail request that never reached the queue (the database or Inngest away
 * at that moment): asks again for every recent notification someone may want by e-mail. The event
 * id is the same as the first request's, so a notification already handled starts no second run
 * (Inngest deduplicates event ids for 24 h, the local runner for as long as it keeps the run).
 */
export async function requeueRecentEmails(db: DbOrTx, now = new Date(), limit = 500) {
  const rows = await recentNotificationsWithEmailWanted(db, new Date(now.getTime() - EMAIL_SWEEP_WINDOW_MS), new Date(now.getTime() - EMAIL_SWEEP_GRACE_MS), limit);
  const wanted = new Map<string, boolean>();
  let requested = 0;
  for (const n of rows) {
    const key = `${n.organizationId}:${categoryOf(n.kind)}:${n.userId ?? ""}`;
    if (!wanted.has(key)) wanted.set(key, await anyoneWantsEmail(db, n.organizationId, categoryOf(n.kind), n.userId));
    if (!wanted.get(key)) continue;
    await sendEmailRequest(n.organizationId, n.id, false);
    requested++;
  }
  return { requested };
}
