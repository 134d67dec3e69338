/**
 * Sending replies and hiding comments at the network (background functions only).
 *
 * A reply is sent at most once. The step first claims it (PENDING → SENDING, committed), then
 * calls the network and records the network's id (SENT). An attempt that finds the reply already
 * SENDING follows one that may have reached the network and died before recording it, or one
 * whose answer never came (outcome unknown); so does one retrying after a failure. Such an
 * attempt first looks for our text among the thread's comments at the network and only sends
 * when it is not there. A SENT reply is never sent again.
 */
import { ConnectorError, type AccountCredentials } from "~/server/connectors/common";
import { getSocialConnector } from "~/server/connectors/social/registry";
import type { SocialConnector } from "~/server/connectors/social/types";
import { findComment, findReply, findStuckReplies, markReplySent, transitionComment, type CommentRecord } from "~/server/repositories/comments";
import { ConnectorCaller, ParkRun, StopSync } from "../connectors/caller";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { normalizeText } from "./match";

export type DeliveryOutcome = { status: "SENT"; externalId: string; found: boolean } | { status: "FAILED"; reason: string } | { status: "SKIPPED"; current: string };

/** A failure no retry fixes: recorded on the reply with a readable reason. */
class Refused extends Error {}

function reasonOf(error: unknown): string {
  if (error instanceof StopSync) {
    return error.reason === "needs_reconnect" ? "The account must be reconnected before replies can be sent." : "The account is disconnected.";
  }
  if (error instanceof ParkRun) return "The network asked us to slow down; the reply will be retried.";
  if (error instanceof ConnectorError) return `${error.message}`.slice(0, 500);
  if (error instanceof Error) return error.message.slice(0, 500);
  return "Unexpected error";
}

/** Calls the network; turns what no retry can fix into Refused. */
async function call<T>(caller: ConnectorCaller, fn: (creds: AccountCredentials) => Promise<T>): Promise<T> {
  try {
    return await caller.call(fn);
  } catch (error) {
    if (error instanceof StopSync) throw new Refused(reasonOf(error));
    if (error instanceof ConnectorError && (error.kind === "refused" || error.kind === "not_found")) throw new Refused(reasonOf(error));
    throw error;
  }
}

/**
 * Records the network's id on the reply. The network's own copy of the reply (its webhook, or a
 * poll) may be stored at the same moment: markReplySent removes an echo it can see, but one
 * committed while it runs makes the id clash. A second pass sees that row and removes it.
 */
async function recordSent(ctx: JobTenantCtx, reply: CommentRecord, externalId: string, at: Date) {
  const record = () => ctx.db.$transaction((tx) => markReplySent(tx, ctx.organizationId, reply, externalId, at));
  try {
    await record();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await record();
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

/** Our reply as the network shows it in the thread, if it is there (after an unknown outcome). */
async function findSentCopy(caller: ConnectorCaller, connector: SocialConnector, reply: CommentRecord, target: string) {
  if (!reply.postExternalId) return null;
  const text = normalizeText(reply.text);
  const since = new Date(reply.createdAt.getTime() - 5 * 60_000);
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const result = await call(caller, (creds) => connector.listComments(creds, { postExternalIds: [reply.postExternalId!], since, cursor }));
    const found = result.comments.find(
      (c) =>
        c.authorExternalId === reply.connection.externalAccountId &&
        (c.parentExternalId === target || c.parentExternalId === reply.threadExternalId) &&
        normalizeText(c.text) === text,
    );
    if (found) return found;
    cursor = result.nextCursor;
    if (!cursor) return null;
  }
  return null;
}

/** One attempt at sending a reply. Throws on transient trouble (the function retries). */
export async function sendReply(ctx: JobTenantCtx, input: { replyId: string }, now = () => new Date()): Promise<DeliveryOutcome> {
  const org = ctx.organizationId;
  let reply = await findReply(ctx.db, org, input.replyId);
  if (!reply) return { status: "SKIPPED", current: "MISSING" };
  if (reply.deliveryStatus !== "PENDING" && reply.deliveryStatus !== "SENDING") return { status: "SKIPPED", current: reply.deliveryStatus ?? "NONE" };
  // Anything but a first, clean attempt may follow a send that reached the network.
  const mayHaveSent = reply.deliveryStatus === "SENDING" || reply.deliveryError !== null;
  if (reply.deliveryStatus === "PENDING" && !(await transitionComment(ctx.db, org, reply.id, ["PENDING"], { deliveryStatus: "SENDING" }))) {
    return { status: "SKIPPED", current: "RACED" };
  }
  reply = { ...reply, deliveryStatus: "SENDING" };

  const provider = reply.connection.provider as "INSTAGRAM" | "TIKTOK" | "YOUTUBE";
  const connector = getSocialConnector(provider);
  const caller = new ConnectorCaller(ctx, reply.connectionId, provider, connector.isSandbox);
  const target = reply.parentExternalId ?? reply.threadExternalId;
  try {
    if (!target) throw new Refused("The comment replied to is unknown.");
    if (mayHaveSent) {
      const copy = await findSentCopy(caller, connector, reply, target);
      if (copy) {
        await recordSent(ctx, reply, copy.externalId, now());
        ctx.log.info({ replyId: reply.id }, "reply found at the network; not sent again");
        return { status: "SENT", externalId: copy.externalId, found: true };
      }
    }
    let sent: { externalId: string };
    try {
      sent = await call(caller, (creds) => connector.replyToComment(creds, { commentExternalId: target, postExternalId: reply.postExternalId ?? "", text: reply.text }));
    } catch (error) {
      if (error instanceof ConnectorError && error.kind === "outcome_unknown") {
        // Stays SENDING: the next attempt checks the network before sending anything.
        await transitionComment(ctx.db, org, reply.id, ["SENDING"], { deliveryError: "No answer from the network; checking whether the reply went out." });
      } else if (!(error instanceof Refused)) {
        // The network said no (5xx, 429, timeout before sending): nothing went out.
        await transitionComment(ctx.db, org, reply.id, ["SENDING"], { deliveryStatus: "PENDING", deliveryError: reasonOf(error) });
      }
      throw error;
    }
    await recordSent(ctx, reply, sent.externalId, now());
    ctx.log.info({ replyId: reply.id, automationId: reply.automationId }, "reply sent");
    return { status: "SENT", externalId: sent.externalId, found: false };
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
    await transitionComment(ctx.db, org, reply.id, ["SENDING", "PENDING"], { deliveryStatus: "FAILED", deliveryError: error.message.slice(0, 500) });
    ctx.log.info({ replyId: reply.id }, "reply refused by the network");
    return { status: "FAILED", reason: error.message };
  }
}

/** After the last retry: the reply is FAILED with the last reason (a person may retry it). */
export async function failReplyAfterRetries(ctx: JobTenantCtx, input: { replyId: string; error: string }): Promise<DeliveryOutcome> {
  const reply = await findReply(ctx.db, ctx.organizationId, input.replyId);
  if (!reply) return { status: "SKIPPED", current: "MISSING" };
  const reason = (reply.deliveryError ?? input.error).slice(0, 500);
  const failed = await transitionComment(ctx.db, ctx.organizationId, input.replyId, ["PENDING", "SENDING"], { deliveryStatus: "FAILED", deliveryError: reason });
  return failed ? { status: "FAILED", reason } : { status: "SKIPPED", current: reply.deliveryStatus ?? "NONE" };
}

export type VisibilityOutcome = { status: "DONE"; hidden: boolean } | { status: "FAILED"; reason: string } | { status: "SKIPPED"; current: string };

const pendingOf = (hidden: boolean) => (hidden ? "HIDING" : "UNHIDING");

/** Hides or unhides one comment at the network (hiding is idempotent there, so a retry is harmless). */
export async function applyVisibility(ctx: JobTenantCtx, input: { commentId: string; hidden: boolean }, now = () => new Date()): Promise<VisibilityOutcome> {
  const org = ctx.organizationId;
  const comment = await findComment(ctx.db, org, input.commentId);
  if (!comment) return { status: "SKIPPED", current: "MISSING" };
  // A later request (unhide after hide) superseded this one.
  if (comment.deliveryStatus !== pendingOf(input.hidden)) return { status: "SKIPPED", current: comment.deliveryStatus ?? "NONE" };
  const provider = comment.connection.provider as "INSTAGRAM" | "TIKTOK" | "YOUTUBE";
  const connector = getSocialConnector(provider);
  const caller = new ConnectorCaller(ctx, comment.connectionId, provider, connector.isSandbox);
  try {
    await call(caller, (creds) => connector.setCommentHidden(creds, comment.externalId, input.hidden));
  } catch (error) {
    if (!(error instanceof Refused)) {
      await transitionComment(ctx.db, org, comment.id, [pendingOf(input.hidden)], { deliveryError: reasonOf(error) });
      throw error;
    }
    await transitionComment(ctx.db, org, comment.id, [pendingOf(input.hidden)], { deliveryStatus: "VISIBILITY_FAILED", deliveryError: error.message.slice(0, 500) });
    return { status: "FAILED", reason: error.message };
  }
  await transitionComment(ctx.db, org, comment.id, [pendingOf(input.hidden)], { deliveryStatus: null, deliveryError: null, hiddenAt: input.hidden ? now() : null });
  return { status: "DONE", hidden: input.hidden };
}

export async function failVisibilityAfterRetries(ctx: JobTenantCtx, input: { commentId: string; hidden: boolean; error: string }): Promise<VisibilityOutcome> {
  const comment = await findComment(ctx.db, ctx.organizationId, input.commentId);
  if (!comment) return { status: "SKIPPED", current: "MISSING" };
  const reason = (comment.deliveryError ?? input.error).slice(0, 500);
  const failed = await transitionComment(ctx.db, ctx.organizationId, input.commentId, [pendingOf(input.hidden)], { deliveryStatus: "VISIBILITY_FAILED", deliveryError: reason });
  return failed ? { status: "FAILED", reason } : { status: "SKIPPED", current: comment.deliveryStatus ?? "NONE" };
}

/** A PENDING reply older than this has probably lost its send event (the queue was unreachable). */
export const STUCK_REPLY_MS = 10 * 60_000;

/** System (sweep): replies whose send event was lost, with the event id to send again (duplicates are harmless). */
export async function stuckReplies(db: JobTenantCtx["db"], now = new Date(), limit = 500) {
  const rows = await findStuckReplies(db, new Date(now.getTime() - STUCK_REPLY_MS), limit);
  const slot = Math.floor(now.getTime() / STUCK_REPLY_MS);
  return rows.map((r) => ({ replyId: r.id, organizationId: r.organizationId, attempt: `requeue-${slot}` }));
}
