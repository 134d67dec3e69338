/**
 * Recording product telemetry (docs/product-telemetry.md): which feature a member used, when, in
 * which organization — ids and a fixed feature name only. The tRPC tenant middleware calls
 * `recordProcedureUse` after a successful call; services call `recordProductEvent` for moments
 * no single procedure marks (an account connected through the OAuth callback).
 *
 * Writes never slow or fail the request: they are not awaited, a failure is logged (without the
 * input, which is never read) and dropped. The opt-out is checked by the INSERT itself.
 */
import type { DbOrTx } from "~/server/db";
import type { Logger } from "~/server/lib/logger";
import { insertProductEvent } from "~/server/repositories/product-events";

/**
 * Procedure path → feature name. Several paths that are one user-visible feature share a name
 * (the list and its filters are "listings.view"); paths not listed are recorded by their path.
 */
export const FEATURE_OF_PATH: Readonly<Record<string, string>> = {
  "listings.list": "listings.view",
  "listings.get": "listings.detail",
  "listings.metrics": "listings.detail",
  "scores.summary": "scores.view",
  "scores.listing": "scores.view",
  "scores.setWeights": "scores.weights",
  "actions.list": "actions.view",
  "actions.recommendations": "actions.view",
  "actions.get": "actions.view",
  "actions.approve": "actions.approve",
  "actions.bulkApprove": "actions.approve",
  "actions.reject": "actions.reject",
  "actions.effectsSummary": "actions.effects",
  "connectors.list": "connections.view",
  "connectors.cards": "connections.view",
  "connectors.resync": "connections.resync",
  "connectors.disconnect": "connections.disconnect",
  "content.list": "content.view",
  "content.get": "content.view",
  "content.create": "content.create",
  "content.update": "content.edit",
  "content.upsertVariant": "content.edit",
  "content.submitForReview": "content.review",
  "content.approve": "content.review",
  "content.requestChanges": "content.review",
  "content.campaigns.list": "campaigns.view",
  "content.campaigns.create": "campaigns.create",
  "publications.schedule": "publications.schedule",
  "publications.reschedule": "publications.schedule",
  "publications.calendar": "calendar.view",
  "publications.list": "publications.view",
  "analytics.overview": "analytics.view",
  "analytics.accountSeries": "analytics.view",
  "analytics.posts": "analytics.view",
  "analytics.topPosts": "analytics.view",
  "analytics.syncNow": "analytics.sync",
  "engagement.inbox": "comments.view",
  "engagement.thread": "comments.view",
  "engagement.reply": "comments.reply",
  "engagement.automations.create": "automations.create",
  "media.attach": "media.upload",
  "billing.checkout": "billing.checkout",
  "billing.current": "billing.view",
  "apiKeys.create": "apiKeys.create",
  "webhooks.create": "webhooks.create",
  "tenants.invitations.create": "members.invite",
  "tenants.auditExport": "audit.export",
};

/**
 * Not product usage: calls the app makes by itself (the bell's unread count every minute, the
 * shell's organization lookup) and the telemetry settings themselves.
 */
export const IGNORED_PATHS: ReadonlySet<string> = new Set(["tenants.current", "notifications.unreadCount", "productTelemetry.settings", "productTelemetry.setEnabled"]);

/** Explicit events of moments no procedure marks by itself. */
export const EXPLICIT_FEATURES = { connected: "connections.connected" } as const;

export function featureOfPath(path: string): string | null {
  if (IGNORED_PATHS.has(path)) return null;
  return FEATURE_OF_PATH[path] ?? path;
}

/**
 * The same member using the same feature again within this window is one use: screens that poll
 * (a running sync, the calendar) would otherwise count every refresh.
 */
export const DEDUP_WINDOW_MS = 60_000;
const DEDUP_MAX_KEYS = 10_000;
const lastRecorded = new Map<string, number>();
const pending = new Set<Promise<unknown>>();

function firstInWindow(key: string, now: number): boolean {
  const last = lastRecorded.get(key);
  if (last !== undefined && now - last < DEDUP_WINDOW_MS) return false;
  // A bounded map: past the cap the oldest keys go (Map keeps insertion order).
  lastRecorded.delete(key);
  lastRecorded.set(key, now);
  if (lastRecorded.size > DEDUP_MAX_KEYS) {
    const oldest = lastRecorded.keys().next().value;
    if (oldest !== undefined) lastRecorded.delete(oldest);
  }
  return true;
}

/** Records one feature use in the background; returns at once. */
export function recordProductEvent(db: DbOrTx, log: Logger, event: { organizationId: string; userId: string | null; feature: string }, now = new Date()) {
  if (!firstInWindow(`${event.organizationId}|${event.userId ?? ""}|${event.feature}`, now.getTime())) return;
  const write = insertProductEvent(db, event.organizationId, { userId: event.userId, feature: event.feature, occurredAt: now })
    .catch((error: unknown) => log.warn({ err: error, feature: event.feature }, "product event not recorded"))
    .finally(() => pending.delete(write));
  pending.add(write);
}

/** A successful tenant procedure call, as a feature use (never its input or output). */
export function recordProcedureUse(db: DbOrTx, log: Logger, tenant: { organizationId: string; userId: string }, path: string) {
  const feature = featureOfPath(path);
  if (feature) recordProductEvent(db, log, { organizationId: tenant.organizationId, userId: tenant.userId, feature });
}

/** Waits for the writes started so far (tests, and a graceful shutdown). */
export async function flushProductEvents() {
  await Promise.allSettled([...pending]);
}
