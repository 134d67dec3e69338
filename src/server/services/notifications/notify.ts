/**
 * In-app notifications (the bell in the header). A notification stores its kind and parameters,
 * never a rendered sentence: each reader sees it in their own language
 * (messages notifications.kinds.<kind>). Called from background functions and services alike.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { createNotification, recentNotificationExists } from "~/server/repositories/notifications";

export const NOTIFICATION_KINDS = [
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
  return createNotification(db, input.organizationId, { userId: input.userId ?? null, kind: input.kind, params: input.params, link: input.link ?? null });
}
