/**
 * The automation engine, run for every new comment (`commentReceived`).
 *
 * No loops: a comment written by the connected account — our own reply arriving back by webhook or
 * poll, or one typed in the network's app — never triggers anything, whether it is flagged
 * fromAccount or only carries the account's id as its author. The first enabled rule (oldest
 * first) listening on the comment's network whose keyword is in the comment wins. Each (rule,
 * comment) pair answers at most once (ProcessedExternalEvent "automation", recorded in the same
 * transaction as the reply row), and a thread never gets more automatic replies than the rule's
 * perThreadLimit (counted under a per-thread lock, so two comments of one thread handled at the
 * same time cannot both slip under it). The reply is created exactly like a person's and sent by
 * the same background function.
 */
import type { SocialNetwork } from "~/generated/prisma/enums";
import type { AiProviderConfig } from "~/server/ai";
import { generateCommentReply } from "~/server/ai/comment-reply";
import { recordExternalEvent } from "~/server/repositories/connections";
import { listAutomations } from "~/server/repositories/automations";
import { automationHandled, countAutoReplies, findComment, incrementAutoReplies, lockThread } from "~/server/repositories/comments";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { COMMENT_MAX_LENGTH } from "./limits";
import { matchKeyword, renderTemplate } from "./match";
import { createReplyRow, queueReply, replyTargetOf } from "./replies";

export type EngineOutcome =
  | { status: "replied"; automationId: string; replyId: string; generator: "ai" | "template" }
  | { status: "skipped"; reason: "missing" | "own_comment" | "hidden" | "inactive" | "no_match" | "thread_limit" | "already_handled" };

export async function runAutomations(ctx: JobTenantCtx, input: { commentId: string }, options: { aiProvider?: AiProviderConfig | null } = {}): Promise<EngineOutcome> {
  const org = ctx.organizationId;
  const comment = await findComment(ctx.db, org, input.commentId);
  if (!comment) return { status: "skipped", reason: "missing" };
  const accountId = comment.connection.externalAccountId;
  if (comment.fromAccount || (comment.authorExternalId !== null && comment.authorExternalId === accountId)) {
    return { status: "skipped", reason: "own_comment" };
  }
  // A comment hidden at the network (spam, abuse) gets no public answer.
  if (comment.hiddenAt) return { status: "skipped", reason: "hidden" };
  if (comment.connection.status !== "ACTIVE") return { status: "skipped", reason: "inactive" };

  const network = comment.connection.provider as SocialNetwork;
  const rules = await listAutomations(ctx.db, org, { enabledOnly: true });
  const rule = rules.find((r) => (r.networks.length === 0 || r.networks.includes(network)) && matchKeyword(comment.text, r.keywords) !== null);
  if (!rule) return { status: "skipped", reason: "no_match" };

  const key = `${rule.id}:${comment.id}`;
  const thread = replyTargetOf(comment);
  // Cheap checks before the (metered) AI call; both are checked again under the lock.
  if (await automationHandled(ctx.db, key)) return { status: "skipped", reason: "already_handled" };
  if ((await countAutoReplies(ctx.db, org, comment.connectionId, thread)) >= rule.perThreadLimit) return { status: "skipped", reason: "thread_limit" };

  const maxLength = COMMENT_MAX_LENGTH[network];
  const template = renderTemplate(rule.replyTemplate, { author: comment.authorName }).slice(0, maxLength);
  let text = template;
  let generator: "ai" | "template" = "template";
  if (rule.useAi) {
    const reply = await generateCommentReply(
      ctx.db,
      { organizationId: org, userId: null },
      { network, instructions: template, comment: comment.text, authorName: comment.authorName, maxLength },
      template,
      options.aiProvider === undefined ? {} : { provider: options.aiProvider },
    );
    text = reply.text;
    generator = reply.generator;
  }

  const result = await ctx.db.$transaction(async (tx) => {
    await lockThread(tx, org, comment.connectionId, thread);
    if ((await countAutoReplies(tx, org, comment.connectionId, thread)) >= rule.perThreadLimit) return { status: "skipped", reason: "thread_limit" } as const;
    if (!(await recordExternalEvent(tx, { source: "automation", externalId: key, type: "comment.auto_reply", organizationId: org }))) {
      return { status: "skipped", reason: "already_handled" } as const;
    }
    const replyId = await createReplyRow(tx, org, comment, text, rule.id);
    await incrementAutoReplies(tx, org, comment.connectionId, thread);
    return { status: "replied", automationId: rule.id, replyId, generator } as const;
  });
  if (result.status === "replied") {
    await queueReply({ organizationId: org, ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}) }, result.replyId, "0");
    ctx.log.info({ commentId: comment.id, automationId: rule.id, replyId: result.replyId, generator }, "automation replied");
  }
  return result;
}
