/**
 * Comments of connected social accounts: what arrived (webhook, polling) and our replies. The
 * organization id is in every where; the few system queries (webhook routing, the poll fan-out,
 * the stuck-reply sweep) say so in their names and comments.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { SocialNetwork } from "~/generated/prisma/enums";
import type { Db, DbOrTx, DbTx } from "~/server/db";
import { paginate } from "./pagination";

/** Delivery states of our replies (Comment.deliveryStatus when fromAccount). */
export type ReplyStatus = "PENDING" | "SENDING" | "SENT" | "FAILED";
/**
 * A hide/unhide waiting for the network, or the last one that failed. Stored in deliveryStatus
 * of a comment that is not ours (a comment the account did not write has no delivery of its own).
 */
export type VisibilityStatus = "HIDING" | "UNHIDING" | "VISIBILITY_FAILED";

export type InboundCommentRow = {
  externalId: string;
  parentExternalId: string | null;
  threadExternalId: string;
  postExternalId: string | null;
  publicationId: string | null;
  authorName: string;
  authorExternalId: string | null;
  text: string;
  fromAccount: boolean;
  receivedAt: Date;
  hiddenAt: Date | null;
};

// ─── System queries (no tenant yet) ─────────────────────────────────────────────────────────

/** System (webhook routing): every organization's ACTIVE social connection to this account. */
export function findActiveSocialConnectionsByAccount(db: DbOrTx, provider: SocialNetwork, externalAccountId: string) {
  return db.connection.findMany({
    where: { provider, externalAccountId, kind: "SOCIAL", status: "ACTIVE", deletedAt: null },
    select: { id: true, organizationId: true, externalAccountId: true },
    orderBy: { id: "asc" },
  });
}

/** System (poll fan-out): ACTIVE social connections not paused by a rate limit, with when comments were last polled. */
export async function listPollableSocialConnections(db: DbOrTx, now: Date) {
  const rows = await db.connection.findMany({
    where: {
      kind: "SOCIAL",
      status: "ACTIVE",
      deletedAt: null,
      provider: { in: ["INSTAGRAM", "TIKTOK", "YOUTUBE"] },
      OR: [{ blockedUntil: null }, { blockedUntil: { lte: now } }],
      // Polling skips suspended organizations.
      organization: { status: "ACTIVE" },
    },
    select: { id: true, organizationId: true, provider: true, metadata: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({ id: r.id, organizationId: r.organizationId, provider: r.provider as SocialNetwork, commentsPolledAt: polledAtOf(r.metadata) }));
}

function polledAtOf(metadata: Prisma.JsonValue): Date | null {
  const value = metadata && typeof metadata === "object" && !Array.isArray(metadata) ? metadata.commentsPolledAt : undefined;
  if (typeof value !== "string") return null;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** System (sweep): replies still PENDING since before `before` (their send event may have been lost). */
export function findStuckReplies(db: DbOrTx, before: Date, limit: number) {
  return db.comment.findMany({
    where: { fromAccount: true, deliveryStatus: "PENDING", createdAt: { lt: before }, organization: { status: "ACTIVE" } },
    select: { id: true, organizationId: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
}

// ─── Connections (the tenant's social accounts) ─────────────────────────────────────────────

export async function findSocialConnection(db: DbOrTx, organizationId: string, connectionId: string) {
  const row = await db.connection.findFirst({
    where: { id: connectionId, organizationId, kind: "SOCIAL", deletedAt: null },
    select: { id: true, provider: true, externalAccountId: true, accountName: true, status: true, metadata: true },
  });
  return row ? { ...row, provider: row.provider as SocialNetwork, commentsPolledAt: polledAtOf(row.metadata) } : null;
}

export function listSocialConnections(db: DbOrTx, organizationId: string) {
  return db.connection.findMany({
    where: { organizationId, kind: "SOCIAL", deletedAt: null },
    select: { id: true, provider: true, accountName: true, externalAccountId: true, status: true },
    orderBy: [{ provider: "asc" }, { createdAt: "asc" }],
  });
}

/** Merges commentsPolledAt into the connection's metadata (other keys, written by other features, are kept). */
export function markCommentsPolled(db: DbOrTx, organizationId: string, connectionId: string, at: Date) {
  return db.$executeRaw`
    UPDATE connections
    SET metadata = COALESCE(metadata, '{}'::jsonb) || jsonb_build_object('commentsPolledAt', ${at.toISOString()}::text),
        updated_at = now()
    WHERE id = ${connectionId} AND organization_id = ${organizationId}`;
}

// ─── Posts ──────────────────────────────────────────────────────────────────────────────────

/** Network ids of the posts this connection published through us since `since`. */
export async function listPublishedPostIds(db: DbOrTx, organizationId: string, connectionId: string, since: Date) {
  const rows = await db.publication.findMany({
    where: { organizationId, connectionId, status: "PUBLISHED", externalId: { not: null }, publishedAt: { gte: since }, deletedAt: null },
    select: { externalId: true },
    orderBy: { publishedAt: "desc" },
    take: 500,
  });
  return rows.map((r) => r.externalId!);
}

/** Our PUBLISHED publications by their network id (comments on them link to them). */
export async function publicationIdsByExternalId(db: DbOrTx, organizationId: string, connectionId: string, externalIds: string[]) {
  if (externalIds.length === 0) return new Map<string, string>();
  const rows = await db.publication.findMany({
    where: { organizationId, connectionId, status: "PUBLISHED", externalId: { in: externalIds }, deletedAt: null },
    select: { id: true, externalId: true },
  });
  return new Map(rows.map((r) => [r.externalId!, r.id]));
}

// ─── Inbound comments ───────────────────────────────────────────────────────────────────────

/**
 * Stores comments that arrived; one already stored (same organization, connection and network
 * id) is left as it is. Returns the rows that are new.
 */
export function insertInboundComments(db: DbOrTx, organizationId: string, connectionId: string, rows: InboundCommentRow[]) {
  if (rows.length === 0) return Promise.resolve([] as { id: string; externalId: string; fromAccount: boolean; threadExternalId: string | null }[]);
  return db.comment.createManyAndReturn({
    data: rows.map((r) => ({ ...r, organizationId, connectionId })),
    skipDuplicates: true,
    select: { id: true, externalId: true, fromAccount: true, threadExternalId: true },
  });
}

/** The account answered in these threads (from the network's own app, or our reply came back). */
export function markThreadsReplied(db: DbOrTx, organizationId: string, connectionId: string, threadExternalIds: string[], at: Date) {
  if (threadExternalIds.length === 0) return Promise.resolve({ count: 0 });
  return db.comment.updateMany({
    where: { organizationId, connectionId, externalId: { in: threadExternalIds }, repliedAt: null },
    data: { repliedAt: at },
  });
}

// ─── Reading ────────────────────────────────────────────────────────────────────────────────

const COMMENT_ROW = {
  id: true,
  connectionId: true,
  publicationId: true,
  externalId: true,
  parentExternalId: true,
  threadExternalId: true,
  postExternalId: true,
  authorName: true,
  authorExternalId: true,
  fromAccount: true,
  deliveryStatus: true,
  deliveryError: true,
  automationId: true,
  text: true,
  receivedAt: true,
  repliedAt: true,
  hiddenAt: true,
  createdAt: true,
} satisfies Prisma.CommentSelect;

const WITH_CONTEXT = {
  ...COMMENT_ROW,
  connection: { select: { id: true, provider: true, accountName: true, externalAccountId: true, status: true } },
  publication: { select: { id: true, permalink: true } },
} satisfies Prisma.CommentSelect;

export type CommentRecord = Prisma.CommentGetPayload<{ select: typeof WITH_CONTEXT }>;

export function findComment(db: DbOrTx, organizationId: string, commentId: string) {
  return db.comment.findFirst({ where: { id: commentId, organizationId }, select: WITH_CONTEXT });
}

export type InboxFilter = {
  network?: SocialNetwork;
  connectionId?: string;
  status?: "all" | "unanswered" | "hidden";
  search?: string;
  limit: number;
  cursor?: string;
};

/** Top-level comments written by others, newest first (keyset on receivedAt, id). */
export async function listInbox(db: DbOrTx, organizationId: string, filter: InboxFilter) {
  const where: Prisma.CommentWhereInput = {
    organizationId,
    parentExternalId: null,
    fromAccount: false,
    connection: { kind: "SOCIAL", deletedAt: null, ...(filter.network ? { provider: filter.network } : {}) },
    ...(filter.connectionId ? { connectionId: filter.connectionId } : {}),
    ...(filter.status === "unanswered" ? { repliedAt: null, hiddenAt: null } : {}),
    ...(filter.status === "hidden" ? { hiddenAt: { not: null } } : {}),
    ...(filter.search
      ? { OR: [{ text: { contains: filter.search, mode: "insensitive" } }, { authorName: { contains: filter.search, mode: "insensitive" } }] }
      : {}),
  };
  const rows = await db.comment.findMany({
    where,
    select: WITH_CONTEXT,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  return paginate(rows, filter.limit);
}

export async function commentExists(db: DbOrTx, organizationId: string, commentId: string) {
  return (await db.comment.count({ where: { id: commentId, organizationId } })) === 1;
}

/** Reply counts and the newest reply of each thread (inbox rows). */
export async function threadSummaries(db: DbOrTx, organizationId: string, threads: { connectionId: string; threadExternalId: string }[]) {
  const summaries = new Map<string, { replies: number; last: Prisma.CommentGetPayload<{ select: typeof COMMENT_ROW }> | null }>();
  const key = (connectionId: string, thread: string | null) => `${connectionId}\u0000${thread ?? ""}`;
  const result = { get: (connectionId: string, thread: string) => summaries.get(key(connectionId, thread)) ?? { replies: 0, last: null } };
  if (threads.length === 0) return result;
  const byThread = threads.map((t) => ({ connectionId: t.connectionId, threadExternalId: t.threadExternalId, parentExternalId: { not: null } }));
  const [counts, latest] = await Promise.all([
    db.comment.groupBy({ by: ["connectionId", "threadExternalId"], where: { organizationId, OR: byThread }, _count: { _all: true } }),
    db.comment.findMany({
      where: { organizationId, OR: byThread },
      select: COMMENT_ROW,
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      distinct: ["connectionId", "threadExternalId"],
    }),
  ]);
  for (const c of counts) summaries.set(key(c.connectionId, c.threadExternalId), { replies: c._count._all, last: null });
  for (const l of latest) {
    const entry = summaries.get(key(l.connectionId, l.threadExternalId));
    if (entry) entry.last = l;
  }
  return result;
}

/** Every comment of a thread, oldest first (the root, replies from others and ours). */
export function listThread(db: DbOrTx, organizationId: string, connectionId: string, threadExternalId: string) {
  return db.comment.findMany({
    where: { organizationId, connectionId, OR: [{ threadExternalId }, { externalId: threadExternalId }] },
    select: COMMENT_ROW,
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
    take: 500,
  });
}

// ─── Our replies ────────────────────────────────────────────────────────────────────────────

export function insertReply(
  db: DbOrTx,
  organizationId: string,
  data: {
    id: string;
    connectionId: string;
    publicationId: string | null;
    postExternalId: string | null;
    threadExternalId: string;
    parentExternalId: string;
    authorName: string;
    authorExternalId: string;
    text: string;
    automationId: string | null;
    now: Date;
  },
) {
  const { now, ...rest } = data;
  return db.comment.create({
    data: { ...rest, organizationId, externalId: `pending:${data.id}`, fromAccount: true, deliveryStatus: "PENDING", receivedAt: now },
    select: { id: true },
  });
}

export function findReply(db: DbOrTx, organizationId: string, replyId: string) {
  return db.comment.findFirst({ where: { id: replyId, organizationId, fromAccount: true, deliveryStatus: { not: null } }, select: WITH_CONTEXT });
}

/** Compare-and-set on the delivery status: true when this call made the change. */
export async function transitionComment(db: DbOrTx, organizationId: string, commentId: string, from: (string | null)[], data: Prisma.CommentUpdateManyMutationInput) {
  const statuses = from.filter((s): s is string => s !== null);
  const { count } = await db.comment.updateMany({
    where: {
      id: commentId,
      organizationId,
      OR: [...(statuses.length ? [{ deliveryStatus: { in: statuses } }] : []), ...(from.includes(null) ? [{ deliveryStatus: null }] : [])],
    },
    data,
  });
  return count === 1;
}

/**
 * Records the network's id of a sent reply. If that comment already came back by webhook or
 * polling (stored as a separate inbound row before we knew its id), the inbound copy goes: the
 * reply row is the one that carries the delivery history.
 */
export async function markReplySent(tx: DbTx, organizationId: string, reply: { id: string; connectionId: string; threadExternalId: string | null }, externalId: string, at: Date) {
  await tx.comment.deleteMany({ where: { organizationId, connectionId: reply.connectionId, externalId, id: { not: reply.id }, deliveryStatus: null } });
  await tx.comment.updateMany({
    where: { id: reply.id, organizationId },
    data: { externalId, deliveryStatus: "SENT", deliveryError: null, repliedAt: at },
  });
  if (reply.threadExternalId) {
    await tx.comment.updateMany({ where: { organizationId, connectionId: reply.connectionId, externalId: reply.threadExternalId, repliedAt: null }, data: { repliedAt: at } });
  }
}

export function updateComment(db: DbOrTx, organizationId: string, commentId: string, data: Prisma.CommentUpdateManyMutationInput) {
  return db.comment.updateMany({ where: { id: commentId, organizationId }, data });
}

// ─── Automations' bookkeeping ───────────────────────────────────────────────────────────────

/** Automatic replies already in a thread (failed ones never reached anyone and do not count). */
export function countAutoReplies(db: DbOrTx, organizationId: string, connectionId: string, threadExternalId: string) {
  return db.comment.count({
    where: { organizationId, connectionId, threadExternalId, fromAccount: true, automationId: { not: null }, deliveryStatus: { not: "FAILED" } },
  });
}

/** Bumps the thread root's counter of automatic replies (shown in the inbox). */
export function incrementAutoReplies(db: DbOrTx, organizationId: string, connectionId: string, threadExternalId: string) {
  return db.comment.updateMany({ where: { organizationId, connectionId, externalId: threadExternalId }, data: { autoReplies: { increment: 1 } } });
}

/** Has this automation already answered this comment (ProcessedExternalEvent source "automation")? */
export async function automationHandled(db: DbOrTx, key: string) {
  return (await db.processedExternalEvent.count({ where: { source: "automation", externalId: key } })) > 0;
}

/** Serialises automatic replies per thread until the transaction ends (the per-thread limit holds under concurrency). */
export async function lockThread(tx: DbTx, organizationId: string, connectionId: string, threadExternalId: string) {
  const key = `comment-thread:${organizationId}:${connectionId}:${threadExternalId}`;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
}

export function withTransaction<T>(db: Db, fn: (tx: DbTx) => Promise<T>) {
  return db.$transaction(fn);
}
