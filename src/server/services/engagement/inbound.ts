/**
 * Comments arriving from the networks, by signed webhook (Instagram) or polling (every network).
 * Both land here: stored once per organization and connection (the unique network id makes a
 * comment seen twice — a webhook retry, an overlapping poll, the webhook and then the poll — one
 * row), linked to our publication when we published the post, and announced with
 * `commentReceived` so automations look at it. Nothing here calls a network.
 */
import { env } from "~/env";
import { getSocialConnector } from "~/server/connectors/social/registry";
import type { SocialComment, SocialProvider } from "~/server/connectors/social/types";
import type { InboundWebhook } from "~/server/connectors/common";
import type { Db, DbOrTx } from "~/server/db";
import { inngest } from "~/server/jobs/client";
import { commentReceived } from "~/server/jobs/events";
import type { Logger } from "~/server/lib/logger";
import {
  findActiveSocialConnectionsByAccount,
  insertInboundComments,
  markThreadsReplied,
  publicationIdsByExternalId,
  type InboundCommentRow,
} from "~/server/repositories/comments";
import { recordExternalEvent } from "~/server/repositories/connections";
import { MAX_DELIVERY_AGE_MS } from "~/server/services/connectors/webhooks";
import { emitCommentsReceived } from "~/server/services/developer/webhooks/hooks";

export type CommentOwner = { organizationId: string; connectionId: string; externalAccountId: string };

/** The rows to store for comments of one connection. */
async function rowsFor(db: DbOrTx, owner: CommentOwner, comments: SocialComment[], now: Date): Promise<InboundCommentRow[]> {
  const postIds = [...new Set(comments.map((c) => c.postExternalId).filter(Boolean))];
  const publications = await publicationIdsByExternalId(db, owner.organizationId, owner.connectionId, postIds);
  return comments.map((c) => ({
    externalId: c.externalId.slice(0, 256),
    parentExternalId: c.parentExternalId,
    threadExternalId: c.parentExternalId ?? c.externalId,
    postExternalId: c.postExternalId || null,
    publicationId: publications.get(c.postExternalId) ?? null,
    authorName: (c.authorName || c.authorExternalId || "?").slice(0, 200),
    authorExternalId: c.authorExternalId || null,
    text: c.text.slice(0, 10_000),
    // Written by the connected account itself (our reply coming back, or one typed in the network's app).
    fromAccount: !!c.authorExternalId && c.authorExternalId === owner.externalAccountId,
    receivedAt: c.createdAt,
    hiddenAt: c.hidden ? now : null,
  }));
}

/** Stores the comments; returns the ids of the rows that are new. */
export async function storeComments(db: DbOrTx, owner: CommentOwner, comments: SocialComment[], now = new Date()): Promise<string[]> {
  if (comments.length === 0) return [];
  const rows = await rowsFor(db, owner, comments, now);
  const created = await insertInboundComments(db, owner.organizationId, owner.connectionId, rows);
  const answered = [...new Set(created.filter((c) => c.fromAccount && c.threadExternalId && c.threadExternalId !== c.externalId).map((c) => c.threadExternalId!))];
  await markThreadsReplied(db, owner.organizationId, owner.connectionId, answered, now);
  await emitCommentsReceived(db, owner, rows, created);
  return created.map((c) => c.id);
}

/** Announces new comments to the automations (one event each; the id makes a re-send harmless). */
export async function announceComments(organizationId: string, commentIds: string[], correlationId?: string) {
  if (commentIds.length === 0) return;
  await inngest.send(
    commentIds.map((commentId) =>
      commentReceived.create({ organizationId, commentId, ...(correlationId ? { correlationId } : {}) }, { id: `comment-received-${commentId}` }),
    ),
  );
}

export type SocialWebhookOutcome = { status: 200 | 400 | 401; accepted: number; duplicates: number; ignored: number; stored: number };

/**
 * One webhook delivery: signature checked on the raw body (nothing is stored when it fails), each
 * event recorded by its id (a retried delivery changes nothing), and the comment stored for every
 * organization with an ACTIVE connection to that account — each gets its own copy.
 */
export async function receiveSocialWebhook(db: Db, log: Logger, provider: SocialProvider, webhook: InboundWebhook): Promise<SocialWebhookOutcome> {
  const connector = getSocialConnector(provider);
  let verified = false;
  try {
    verified = connector.verifyWebhook(webhook);
  } catch {
    verified = false;
  }
  if (!verified) {
    // Headers and body are not logged: they carry the signature and people's comments.
    log.warn({ provider, bytes: webhook.rawBody.length }, "social webhook rejected: bad signature");
    return { status: 401, accepted: 0, duplicates: 0, ignored: 0, stored: 0 };
  }
  let events;
  try {
    events = connector.parseWebhook(webhook.rawBody);
  } catch {
    log.warn({ provider }, "social webhook rejected: body could not be parsed");
    return { status: 400, accepted: 0, duplicates: 0, ignored: 0, stored: 0 };
  }
  const outcome: SocialWebhookOutcome = { status: 200, accepted: 0, duplicates: 0, ignored: 0, stored: 0 };
  const source = `${provider.toLowerCase()}:webhook`;
  for (const event of events) {
    // Older than any retry of the network (Meta: 36 hours): a replay of a captured delivery.
    if (event.comment.createdAt.getTime() < Date.now() - MAX_DELIVERY_AGE_MS) {
      outcome.ignored++;
      continue;
    }
    const connections = await findActiveSocialConnectionsByAccount(db, provider, event.externalAccountId);
    const created = await db.$transaction(async (tx) => {
      const isNew = await recordExternalEvent(tx, {
        source,
        externalId: event.id.slice(0, 500),
        type: event.type,
        organizationId: connections.length === 1 ? connections[0]!.organizationId : null,
      });
      if (!isNew) return null;
      const perOrg: { organizationId: string; ids: string[] }[] = [];
      for (const c of connections) {
        const ids = await storeComments(tx, { organizationId: c.organizationId, connectionId: c.id, externalAccountId: c.externalAccountId }, [event.comment]);
        perOrg.push({ organizationId: c.organizationId, ids });
      }
      return perOrg;
    });
    if (created === null) {
      outcome.duplicates++;
      continue;
    }
    if (connections.length === 0) {
      outcome.ignored++;
      continue;
    }
    outcome.accepted++;
    for (const { organizationId, ids } of created) {
      outcome.stored += ids.length;
      await announceComments(organizationId, ids);
    }
  }
  log.info({ provider, ...outcome }, "social webhook processed");
  return outcome;
}

/**
 * The webhook subscription handshake: the challenge to echo, or null. The verify token is
 * INSTAGRAM_WEBHOOK_VERIFY_TOKEN, or the sandbox's public one when it is not set (the sandbox is
 * then the only party that can subscribe).
 */
/** The verify token subscriptions use when INSTAGRAM_WEBHOOK_VERIFY_TOKEN is not set (public, like the sandbox's app secret). */
export const SANDBOX_WEBHOOK_VERIFY_TOKEN = "sandbox-instagram-verify-token";

export function answerSocialWebhookChallenge(provider: SocialProvider, query: URLSearchParams): string | null {
  if (provider !== "INSTAGRAM") return null;
  const verifyToken = env.INSTAGRAM_WEBHOOK_VERIFY_TOKEN ?? SANDBOX_WEBHOOK_VERIFY_TOKEN;
  try {
    return getSocialConnector(provider).answerWebhookChallenge(query, verifyToken);
  } catch {
    return null;
  }
}
