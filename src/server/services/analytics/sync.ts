/**
 * Pulls one social account's metrics into the snapshot tables (a background function's step).
 * Account metrics: one row per UTC day (90 days on the first sync, then the last 3, which the
 * networks still revise, or from just before the newest stored day for a network that lags). Post metrics: lifetime totals of the account's posts published in the
 * last 90 days, stored as today's row — growth over a range is the difference of two days' rows.
 * Re-running it the same day overwrites the same rows, so a retried or duplicated run never adds
 * snapshots. The outcome is recorded on the connection: lastSyncAt / lastError (the Connections
 * page) and metadata.analyticsSyncedAt / analyticsError (the analytics page).
 */
import { ConnectorError } from "~/server/connectors/common";
import { getSocialConnector, isSocialProvider } from "~/server/connectors/social/registry";
import {
  findSocialConnection,
  listPublishedPostsPage,
  mergeConnectionMetadata,
  newestAccountSnapshotDay,
  upsertAccountSnapshots,
  upsertContentSnapshots,
} from "~/server/repositories/analytics";
import { updateConnection } from "~/server/repositories/connections";
import type { AccountDailyMetrics, PostMetrics } from "~/server/connectors/social/types";
import { RawArchiveRecorder } from "../archive/raw-archive";
import { ConnectorCaller, ParkRun, StopSync } from "../connectors/caller";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { accountSyncWindow, addUtcDays, utcDay } from "./range";

/** Posts asked per getPostMetrics call (Instagram's batch requests take up to 50). */
export const POST_BATCH = 50;
/** How far back posts keep being measured. */
export const POST_WINDOW_DAYS = 90;

export type AnalyticsSyncOutcome =
  | { kind: "done"; accountDays: number; posts: number; firstSync: boolean }
  | { kind: "skipped"; reason: "not_found" | "not_active" | "needs_reconnect" | "disconnected" }
  /** The network asked for a long pause: the function sleeps and runs the sync again. */
  | { kind: "wait"; waitMs: number };

/** What the connection's metadata holds about analytics (read by the analytics page). */
export type AnalyticsSyncMetadata = { analyticsSyncedAt?: string; analyticsError?: string | null; analyticsErrorAt?: string | null };

export function analyticsMetadataOf(metadata: unknown): AnalyticsSyncMetadata {
  if (!metadata || typeof metadata !== "object") return {};
  const m = metadata as Record<string, unknown>;
  return {
    analyticsSyncedAt: typeof m.analyticsSyncedAt === "string" ? m.analyticsSyncedAt : undefined,
    analyticsError: typeof m.analyticsError === "string" ? m.analyticsError : null,
    analyticsErrorAt: typeof m.analyticsErrorAt === "string" ? m.analyticsErrorAt : null,
  };
}

export async function syncSocialAnalytics(ctx: JobTenantCtx, connectionId: string, now = new Date()): Promise<AnalyticsSyncOutcome> {
  const connection = await findSocialConnection(ctx.db, ctx.organizationId, connectionId);
  if (!connection || !isSocialProvider(connection.provider)) return { kind: "skipped", reason: "not_found" };
  if (connection.status !== "ACTIVE") return { kind: "skipped", reason: "not_active" };

  const connector = getSocialConnector(connection.provider);
  const caller = new ConnectorCaller(ctx, connectionId, connection.provider, connector.isSandbox);
  const archive = new RawArchiveRecorder(ctx, { kind: "metrics", provider: connection.provider, connectionId });
  const firstSync = !analyticsMetadataOf(connection.metadata).analyticsSyncedAt;

  try {
    const window = accountSyncWindow(now, firstSync, firstSync ? null : await newestAccountSnapshotDay(ctx.db, ctx.organizationId, connectionId));
    const from = isoDate(window.from);
    const to = isoDate(window.to);
    const days = await archive.fetch("getAccountMetrics", { from, to }, () => caller.call((creds) => connector.getAccountMetrics(creds, window.from, window.to)));
    await storeAccountMetrics(ctx, connectionId, { from, to }, days);

    const today = utcDay(now);
    const since = addUtcDays(today, -POST_WINDOW_DAYS);
    let posts = 0;
    let afterId: string | null = null;
    for (;;) {
      const page = await listPublishedPostsPage(ctx.db, ctx.organizationId, connectionId, since, afterId, POST_BATCH);
      if (page.length === 0) break;
      const byExternalId = new Map(page.map((p) => [p.externalId!, p.id]));
      const externalIds = [...byExternalId.keys()];
      const metrics = await archive.fetch("getPostMetrics", { externalIds, day: isoDate(today) }, () => caller.call((creds) => connector.getPostMetrics(creds, externalIds)));
      posts += await storePostMetrics(ctx, today, byExternalId, metrics);
      afterId = page[page.length - 1]!.id;
      if (page.length < POST_BATCH) break;
    }

    await archive.flush();
    await mergeConnectionMetadata(ctx.db, ctx.organizationId, connectionId, { analyticsSyncedAt: now.toISOString(), analyticsError: null, analyticsErrorAt: null });
    // The Connections page's "last sync" and error line of a social account.
    await updateConnection(ctx.db, ctx.organizationId, connectionId, { lastSyncAt: now, lastError: null });
    ctx.log.info({ connectionId, accountDays: days.length, posts, firstSync }, "social analytics synced");
    return { kind: "done", accountDays: days.length, posts, firstSync };
  } catch (error) {
    if (error instanceof ParkRun) return { kind: "wait", waitMs: error.waitMs };
    if (error instanceof StopSync) {
      await recordError(ctx, connectionId, error.reason === "needs_reconnect" ? "The network no longer accepts this account's authorization. Reconnect it." : "The account is disconnected.", now);
      return { kind: "skipped", reason: error.reason };
    }
    // Recorded for the page, then rethrown so the function retries with backoff.
    await recordError(ctx, connectionId, describe(error), now);
    throw error;
  }
}

/**
 * The store steps of an analytics sync, shared with the archive reprocess
 * (services/archive/reprocess.ts): the same payload always becomes the same rows.
 */
export async function storeAccountMetrics(ctx: JobTenantCtx, connectionId: string, window: { from: string; to: string }, days: AccountDailyMetrics[]) {
  return upsertAccountSnapshots(
    ctx.db,
    ctx.organizationId,
    connectionId,
    days
      // Only the asked window: a network answering more days must not rewrite older history.
      .filter((d) => d.date >= window.from && d.date <= window.to)
      .map((d) => ({
        date: new Date(`${d.date}T00:00:00Z`),
        followers: d.followers,
        views: d.views,
        reach: d.reach,
        profileViews: d.profileViews,
        engagements: d.engagements,
      })),
  );
}

/** Post metrics as today's content snapshot rows; `byExternalId` maps the network's post id to ours. */
export async function storePostMetrics(ctx: JobTenantCtx, day: Date, byExternalId: Map<string, string>, metrics: PostMetrics[]) {
  const rows = metrics.flatMap((m) => {
    const publicationId = byExternalId.get(m.externalId);
    return publicationId ? [{ publicationId, views: m.views, reach: m.reach, likes: m.likes, comments: m.comments, shares: m.shares, saves: m.saves }] : [];
  });
  return upsertContentSnapshots(ctx.db, ctx.organizationId, day, rows);
}

function isoDate(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** The network's words (never a token: connector messages carry none), or a generic sentence. */
function describe(error: unknown): string {
  if (error instanceof ConnectorError) return error.message.slice(0, 500);
  return "Unexpected error while reading the account's metrics.";
}

async function recordError(ctx: JobTenantCtx, connectionId: string, message: string, now: Date) {
  await mergeConnectionMetadata(ctx.db, ctx.organizationId, connectionId, { analyticsError: message, analyticsErrorAt: now.toISOString() });
  await updateConnection(ctx.db, ctx.organizationId, connectionId, { lastError: message });
  ctx.log.warn({ connectionId, error: message }, "social analytics sync failed");
}
