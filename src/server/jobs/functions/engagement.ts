import { cron } from "inngest";

import { db } from "~/server/db";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { applyVisibility, failReplyAfterRetries, failVisibilityAfterRetries, sendReply, stuckReplies } from "~/server/services/engagement/delivery";
import { runAutomations } from "~/server/services/engagement/engine";
import { connectionsDueForPolling, pollComments } from "~/server/services/engagement/poll";
import { inngest } from "../client";
import { commentReceived, commentReplyRequested, commentsPollRequested, commentVisibilityRequested, socialAccountConnected } from "../events";

const FIVE_MINUTES_MS = 5 * 60_000;

/**
 * Every 5 minutes: one poll event per social account that is due (TikTok and YouTube each time,
 * Instagram hourly as a safety net behind its webhooks), and the send events of replies that were
 * stored but never queued.
 */
export const commentsPollFanOut = inngest.createFunction(
  { id: "comments-poll-fan-out", name: "Poll social accounts for new comments", triggers: [cron("*/5 * * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => {
    const due = await step.run("due", async () => (await connectionsDueForPolling(db)).map((c) => ({ id: c.id, organizationId: c.organizationId })));
    const slot = Math.floor(Date.now() / FIVE_MINUTES_MS);
    if (due.length > 0) {
      await step.sendEvent(
        "poll",
        due.map((c) => commentsPollRequested.create({ organizationId: c.organizationId, connectionId: c.id }, { id: `comments-poll-${c.id}-${slot}` })),
      );
    }
    const stuck = await step.run("stuck-replies", () => stuckReplies(db));
    if (stuck.length > 0) {
      await step.sendEvent(
        "requeue-replies",
        stuck.map((r) => commentReplyRequested.create({ organizationId: r.organizationId, replyId: r.replyId }, { id: `reply-${r.replyId}-${r.attempt}` })),
      );
    }
    return { polled: due.length, requeued: stuck.length };
  },
);

/** One account's poll, one at a time per account (a slow network never gets two polls at once). */
export const pollCommentsFn = inngest.createFunction(
  {
    id: "poll-comments",
    name: "Poll one social account for new comments",
    triggers: [commentsPollRequested, socialAccountConnected],
    concurrency: { limit: 1, key: "event.data.connectionId" },
    retries: 3,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    return step.run("poll", () => pollComments(ctx, { connectionId: event.data.connectionId }));
  },
);

/** Automations look at every new comment (the engine ignores the account's own comments). */
export const runAutomationsFn = inngest.createFunction(
  { id: "comment-automations", name: "Run keyword automations on a new comment", triggers: [commentReceived], retries: 3 },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    return step.run("automations", () => runAutomations(ctx, { commentId: event.data.commentId }));
  },
);

/** Sends one reply (a person's or an automation's); never twice, see services/engagement/delivery.ts. */
export const sendReplyFn = inngest.createFunction(
  {
    id: "send-comment-reply",
    name: "Send a reply to a comment",
    triggers: [commentReplyRequested],
    concurrency: { limit: 1, key: "event.data.replyId" },
    retries: 4,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    try {
      return await step.run("send", () => sendReply(ctx, { replyId: event.data.replyId }));
    } catch (error) {
      // Retries used up: the reply shows FAILED with the last reason and a retry button.
      const message = error instanceof Error ? error.message : String(error);
      return step.run("give-up", () => failReplyAfterRetries(ctx, { replyId: event.data.replyId, error: message }));
    }
  },
);

/** Hides or unhides a comment at the network. */
export const commentVisibilityFn = inngest.createFunction(
  {
    id: "comment-visibility",
    name: "Hide or unhide a comment",
    triggers: [commentVisibilityRequested],
    concurrency: { limit: 1, key: "event.data.commentId" },
    retries: 4,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const input = { commentId: event.data.commentId, hidden: event.data.hidden };
    try {
      return await step.run("apply", () => applyVisibility(ctx, input));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return step.run("give-up", () => failVisibilityAfterRetries(ctx, { ...input, error: message }));
    }
  },
);

export const engagementFunctions = [commentsPollFanOut, pollCommentsFn, runAutomationsFn, sendReplyFn, commentVisibilityFn];
