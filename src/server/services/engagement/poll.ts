/**
 * Polling for comments: TikTok and YouTube have no comment webhooks, and Instagram's webhooks can
 * be missed (an outage on either side), so every network is polled — TikTok every five minutes,
 * YouTube every fifteen (its daily quota), Instagram hourly as a safety net. A poll reads the
 * comments on the posts we published in the last 30 days plus the account's newest posts, newer
 * than the last poll (with a small overlap: a comment written while the previous poll ran is not
 * missed, and one seen twice is stored once).
 */
import { ConnectorError } from "~/server/connectors/common";
import { getSocialConnector } from "~/server/connectors/social/registry";
import type { SocialConnector, SocialProvider } from "~/server/connectors/social/types";
import type { Db } from "~/server/db";
import { findSocialConnection, listPollableSocialConnections, listPublishedPostIds, markCommentsPolled } from "~/server/repositories/comments";
import { ConnectorCaller, ParkRun, StopSync } from "../connectors/caller";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { announceComments, storeComments } from "./inbound";

const DAY_MS = 86_400_000;
/** Comments newer than the last poll minus this are asked for again. */
export const POLL_OVERLAP_MS = 2 * 60_000;
/** Posts we published this recently are polled. */
export const POLL_POSTS_DAYS = 30;
/** Networks with webhooks are still polled this often (the cron runs every 5 minutes, hence the slack). */
export const WEBHOOK_SAFETY_POLL_MS = 55 * 60_000;
/**
 * Least time between two polls of a polling network. TikTok: every cron run. YouTube: every 15
 * minutes, because each poll spends units of the project's shared 10 000-unit daily quota
 * (channels + playlistItems + commentThreads, ≈3 units), ≈290 units a day per channel.
 */
export const MIN_POLL_INTERVAL_MS: Record<SocialProvider, number> = { INSTAGRAM: WEBHOOK_SAFETY_POLL_MS, TIKTOK: 0, YOUTUBE: 14 * 60_000 };
/** Post ids per listComments call, and pages per poll (a bound on one run's work). */
const POSTS_PER_CALL = 50;
const MAX_PAGES = 20;

function connectorOf(provider: SocialProvider): SocialConnector | null {
  try {
    return getSocialConnector(provider);
  } catch {
    return null;
  }
}

/** System (the 5-minute cron): the connections whose comments are due for a poll. */
export async function connectionsDueForPolling(db: Db, now = new Date()) {
  const connections = await listPollableSocialConnections(db, now);
  return connections.filter((c) => {
    const connector = connectorOf(c.provider);
    if (!connector) return false;
    const interval = connector.commentsDelivery === "polling" ? MIN_POLL_INTERVAL_MS[c.provider] : WEBHOOK_SAFETY_POLL_MS;
    return !c.commentsPolledAt || now.getTime() - c.commentsPolledAt.getTime() >= interval;
  });
}

export type PollOutcome =
  | { status: "polled"; posts: number; fetched: number; stored: number }
  | { status: "skipped"; reason: "not_found" | "inactive" | "needs_reconnect" | "disconnected" | "rate_limited" };

/** One poll of one connection (the background function runs one at a time per connection). */
export async function pollComments(ctx: JobTenantCtx, input: { connectionId: string }, now = new Date()): Promise<PollOutcome> {
  const connection = await findSocialConnection(ctx.db, ctx.organizationId, input.connectionId);
  if (!connection) return { status: "skipped", reason: "not_found" };
  if (connection.status !== "ACTIVE") return { status: "skipped", reason: "inactive" };
  const connector = getSocialConnector(connection.provider);
  const caller = new ConnectorCaller(ctx, connection.id, connection.provider, connector.isSandbox);
  const owner = { organizationId: ctx.organizationId, connectionId: connection.id, externalAccountId: connection.externalAccountId };
  const since = connection.commentsPolledAt ? new Date(connection.commentsPolledAt.getTime() - POLL_OVERLAP_MS) : new Date(now.getTime() - POLL_POSTS_DAYS * DAY_MS);

  let fetched = 0;
  const created: string[] = [];
  let posts: string[] = [];
  try {
    const ours = await listPublishedPostIds(ctx.db, ctx.organizationId, connection.id, new Date(now.getTime() - POLL_POSTS_DAYS * DAY_MS));
    const recent = await caller.call((creds) => connector.listPosts(creds, null));
    posts = [...new Set([...ours, ...recent.posts.map((p) => p.externalId)])];
    for (let i = 0; i < posts.length; i += POSTS_PER_CALL) {
      const postExternalIds = posts.slice(i, i + POSTS_PER_CALL);
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const result = await caller.call((creds) => connector.listComments(creds, { postExternalIds, since, cursor }));
        fetched += result.comments.length;
        created.push(...(await storeComments(ctx.db, owner, result.comments, now)));
        cursor = result.nextCursor;
        if (!cursor) break;
      }
    }
  } catch (error) {
    if (error instanceof StopSync) return { status: "skipped", reason: error.reason };
    // The caller marked the connection blocked until the network lets us in again; the cron skips it till then.
    if (error instanceof ParkRun) return { status: "skipped", reason: "rate_limited" };
    // A post deleted at the network between listing and reading: the next poll no longer lists it.
    if (!(error instanceof ConnectorError && error.kind === "not_found")) {
      await announceComments(ctx.organizationId, created, ctx.correlationId);
      throw error;
    }
  }
  await markCommentsPolled(ctx.db, ctx.organizationId, connection.id, now);
  await announceComments(ctx.organizationId, created, ctx.correlationId);
  ctx.log.info({ connectionId: connection.id, posts: posts.length, fetched, stored: created.length }, "comments polled");
  return { status: "polled", posts: posts.length, fetched, stored: created.length };
}
