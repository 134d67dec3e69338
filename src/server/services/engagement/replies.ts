/**
 * Creating a reply row — the one path for a person's reply and an automation's: a Comment written
 * by the account (fromAccount), PENDING, with a placeholder network id until the network gives
 * one, on the thread of the comment answered; then the send event. Nothing here calls a network.
 */
import { randomBytes } from "node:crypto";

import type { DbOrTx } from "~/server/db";
import { inngest } from "~/server/jobs/client";
import { commentReplyRequested, type TJobContext } from "~/server/jobs/events";
import { insertReply, type CommentRecord } from "~/server/repositories/comments";

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

/** A cuid-shaped id (known before the insert: the placeholder network id is built from it). */
export function newCommentId(): string {
  const bytes = randomBytes(24);
  let id = "c";
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** The networks attach replies to the top-level comment (Instagram and YouTube allow nothing deeper). */
export function replyTargetOf(comment: Pick<CommentRecord, "externalId" | "threadExternalId">): string {
  return comment.threadExternalId ?? comment.externalId;
}

export async function createReplyRow(db: DbOrTx, organizationId: string, comment: CommentRecord, text: string, automationId: string | null, now = new Date()) {
  const id = newCommentId();
  const target = replyTargetOf(comment);
  await insertReply(db, organizationId, {
    id,
    connectionId: comment.connectionId,
    publicationId: comment.publicationId,
    postExternalId: comment.postExternalId,
    threadExternalId: target,
    parentExternalId: target,
    authorName: comment.connection.accountName ?? comment.connection.externalAccountId,
    authorExternalId: comment.connection.externalAccountId,
    text,
    automationId,
    now,
  });
  return id;
}

/** Queues the send; `attempt` makes a retry's event distinct from the first one (event ids dedupe). */
export async function queueReply(context: TJobContext, replyId: string, attempt: string) {
  await inngest.send(commentReplyRequested.create({ ...context, replyId }, { id: `reply-${replyId}-${attempt}` }));
}
