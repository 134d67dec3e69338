/**
 * The comments inbox: top-level comments across the organization's social accounts, a thread with
 * our replies and their delivery, and the person's actions — reply, retry a failed reply, hide or
 * unhide. Actions only record the intent and queue a background function: no network call
 * happens in the request.
 */
import type { SocialNetwork } from "~/generated/prisma/enums";
import { inngest } from "~/server/jobs/client";
import { commentVisibilityRequested, jobContextOf } from "~/server/jobs/events";
import { AppError, notFound } from "~/server/lib/errors";
import {
  commentExists,
  findComment,
  findReply,
  findSocialConnection,
  listInbox,
  listSocialConnections,
  listThread,
  threadSummaries,
  transitionComment,
  type CommentRecord,
  type InboxFilter,
} from "~/server/repositories/comments";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { COMMENT_MAX_LENGTH } from "./limits";
import { createReplyRow, newCommentId, queueReply } from "./replies";

function who(ctx: TenantCtx) {
  return { ...ctx.tenant, request: ctx.request };
}

/**
 * Where the post can be seen: our publication's permalink, else one built from the network's id
 * where the network's URLs allow it (YouTube; Instagram permalinks use a shortcode, TikTok's need
 * the author's handle, so those stay null for posts we did not publish).
 */
function permalinkOf(c: { postExternalId: string | null; publication: { permalink: string | null } | null; connection: { provider: string } }) {
  if (c.publication?.permalink) return c.publication.permalink;
  if (c.connection.provider === "YOUTUBE" && c.postExternalId) return `https://www.youtube.com/watch?v=${encodeURIComponent(c.postExternalId)}`;
  return null;
}

export type Visibility = "visible" | "hidden" | "hiding" | "unhiding" | "failed";

function visibilityOf(c: { fromAccount: boolean; deliveryStatus: string | null; hiddenAt: Date | null }): Visibility {
  if (!c.fromAccount) {
    if (c.deliveryStatus === "HIDING") return "hiding";
    if (c.deliveryStatus === "UNHIDING") return "unhiding";
    if (c.deliveryStatus === "VISIBILITY_FAILED") return "failed";
  }
  return c.hiddenAt ? "hidden" : "visible";
}

type Row = Pick<
  CommentRecord,
  "id" | "externalId" | "authorName" | "text" | "receivedAt" | "hiddenAt" | "fromAccount" | "deliveryStatus" | "deliveryError" | "automationId" | "parentExternalId"
>;

function commentView(c: Row) {
  const ours = c.fromAccount;
  return {
    id: c.id,
    authorName: c.authorName,
    text: c.text,
    receivedAt: c.receivedAt,
    fromAccount: ours,
    automatic: ours && c.automationId !== null,
    isReply: c.parentExternalId !== null,
    delivery: ours && c.deliveryStatus ? (c.deliveryStatus as "PENDING" | "SENDING" | "SENT" | "FAILED") : null,
    deliveryError: c.deliveryError,
    visibility: visibilityOf(c),
  };
}

export async function listInboxComments(ctx: TenantCtx, input: Omit<InboxFilter, "network"> & { network?: SocialNetwork }) {
  const org = ctx.tenant.organizationId;
  // A cursor that is not one of this organization's comments starts nowhere rather than leaking order.
  if (input.cursor && !(await commentExists(ctx.db, org, input.cursor))) return { items: [], nextCursor: null };
  const page = await listInbox(ctx.db, org, input);
  const summaries = await threadSummaries(
    ctx.db,
    org,
    page.items.map((c) => ({ connectionId: c.connectionId, threadExternalId: c.threadExternalId ?? c.externalId })),
  );
  return {
    items: page.items.map((c) => {
      const summary = summaries.get(c.connectionId, c.threadExternalId ?? c.externalId);
      return {
        ...commentView(c),
        network: c.connection.provider as SocialNetwork,
        account: { id: c.connection.id, name: c.connection.accountName },
        permalink: permalinkOf(c),
        publicationId: c.publicationId,
        replied: c.repliedAt !== null,
        replyCount: summary.replies,
        lastReply: summary.last ? commentView(summary.last) : null,
      };
    }),
    nextCursor: page.nextCursor,
  };
}

/** The thread a comment belongs to: its root first, then every reply (ours with delivery status). */
export async function getThread(ctx: TenantCtx, input: { commentId: string }) {
  const org = ctx.tenant.organizationId;
  const comment = await findComment(ctx.db, org, input.commentId);
  if (!comment) throw notFound("Comment");
  const threadId = comment.threadExternalId ?? comment.externalId;
  const rows = await listThread(ctx.db, org, comment.connectionId, threadId);
  const root = rows.find((r) => r.externalId === threadId) ?? null;
  const network = comment.connection.provider as SocialNetwork;
  return {
    network,
    account: { id: comment.connection.id, name: comment.connection.accountName },
    permalink: permalinkOf(comment),
    maxReplyLength: COMMENT_MAX_LENGTH[network],
    root: root ? { ...commentView(root), id: root.id } : null,
    comments: rows.filter((r) => r !== root).map(commentView),
  };
}

function checkText(text: string, network: SocialNetwork) {
  const trimmed = text.trim();
  if (!trimmed) throw new AppError("BAD_REQUEST", "engagement.replyEmpty", "The reply is empty");
  const max = COMMENT_MAX_LENGTH[network];
  if ([...trimmed].length > max) throw new AppError("BAD_REQUEST", "engagement.replyTooLong", `Replies on this network take up to ${max} characters`, { max });
  return trimmed;
}

async function activeCommentConnection(ctx: TenantCtx, comment: CommentRecord) {
  const connection = await findSocialConnection(ctx.db, ctx.tenant.organizationId, comment.connectionId);
  if (!connection || connection.status !== "ACTIVE") {
    throw new AppError("PRECONDITION_FAILED", "engagement.accountInactive", "The account must be connected (and active) to act on its comments");
  }
}

/** A person's reply: stored PENDING, sent by the background function. */
export async function replyToComment(ctx: TenantCtx, input: { commentId: string; text: string }) {
  const org = ctx.tenant.organizationId;
  const comment = await findComment(ctx.db, org, input.commentId);
  if (!comment) throw notFound("Comment");
  const text = checkText(input.text, comment.connection.provider as SocialNetwork);
  await activeCommentConnection(ctx, comment);
  const replyId = await ctx.db.$transaction(async (tx) => {
    const id = await createReplyRow(tx, org, comment, text, null);
    await audit(tx, who(ctx), "comment.replied", { type: "comment", id: comment.id }, { replyId: id });
    return id;
  });
  await queueReply(jobContextOf(ctx), replyId, "0");
  return { replyId, delivery: "PENDING" as const };
}

/** Sends a FAILED reply again (the send first checks whether an earlier attempt reached the network). */
export async function retryReply(ctx: TenantCtx, input: { replyId: string }) {
  const org = ctx.tenant.organizationId;
  const reply = await findReply(ctx.db, org, input.replyId);
  if (!reply) throw notFound("Reply");
  if (reply.deliveryStatus !== "FAILED") throw new AppError("CONFLICT", "engagement.replyNotFailed", `The reply is ${reply.deliveryStatus}`);
  await activeCommentConnection(ctx, reply);
  const ok = await ctx.db.$transaction(async (tx) => {
    // deliveryError stays: it tells the send to look at the network first.
    if (!(await transitionComment(tx, org, reply.id, ["FAILED"], { deliveryStatus: "PENDING" }))) return false;
    await audit(tx, who(ctx), "comment.reply_retried", { type: "comment", id: reply.id });
    return true;
  });
  if (!ok) throw new AppError("CONFLICT", "engagement.replyNotFailed", "Someone else retried this reply first");
  await queueReply(jobContextOf(ctx), reply.id, `retry-${newCommentId()}`);
  return { replyId: reply.id, delivery: "PENDING" as const };
}

/** Hides or unhides a comment: marked HIDING/UNHIDING now, done by the background function. */
export async function setCommentHidden(ctx: TenantCtx, input: { commentId: string; hidden: boolean }) {
  const org = ctx.tenant.organizationId;
  const comment = await findComment(ctx.db, org, input.commentId);
  if (!comment) throw notFound("Comment");
  if (comment.fromAccount) throw new AppError("BAD_REQUEST", "engagement.cannotHideOwn", "The account's own replies cannot be hidden");
  await activeCommentConnection(ctx, comment);
  const pending = input.hidden ? "HIDING" : "UNHIDING";
  const ok = await ctx.db.$transaction(async (tx) => {
    if (!(await transitionComment(tx, org, comment.id, [null, "HIDING", "UNHIDING", "VISIBILITY_FAILED"], { deliveryStatus: pending, deliveryError: null }))) return false;
    await audit(tx, who(ctx), input.hidden ? "comment.hidden" : "comment.unhidden", { type: "comment", id: comment.id });
    return true;
  });
  if (!ok) throw notFound("Comment");
  await inngest.send(
    commentVisibilityRequested.create({ ...jobContextOf(ctx), commentId: comment.id, hidden: input.hidden }, { id: `visibility-${comment.id}-${newCommentId()}` }),
  );
  return { commentId: comment.id, visibility: (input.hidden ? "hiding" : "unhiding") as Visibility };
}

/** The organization's social accounts (the inbox's account filter). */
export async function listAccounts(ctx: TenantCtx) {
  const rows = await listSocialConnections(ctx.db, ctx.tenant.organizationId);
  return rows.map((r) => ({ id: r.id, network: r.provider as SocialNetwork, name: r.accountName ?? r.externalAccountId, status: r.status }));
}
