import type { DbOrTx } from "~/server/db";
import type { ContentStatus, SocialNetwork } from "~/generated/prisma/enums";
import { AppError, notFound } from "~/server/lib/errors";
import { findCampaign } from "~/server/repositories/campaigns";
import {
  addReviewComment,
  countActivePublications,
  createContent as insertContent,
  deleteVariant,
  findContentDetail,
  findVariant,
  findContentStatus,
  listContents,
  publicationSummary,
  softDeleteContent,
  transitionContentStatus,
  updateContentFields,
  upsertVariant as writeVariant,
  type ContentListFilter,
} from "~/server/repositories/contents";
import { normalizeHashtags } from "~/lib/social/validate";
import { contentChanged } from "../publishing/hooks";
import { contentTextChanged } from "../search/triggers";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { approvalRequiredFor } from "./settings";

export function listOrganizationContents(ctx: TenantCtx, input: ContentListFilter) {
  return listContents(ctx.db, ctx.tenant.organizationId, input);
}

export async function getContent(ctx: TenantCtx, contentId: string) {
  const { organizationId } = ctx.tenant;
  const content = await findContentDetail(ctx.db, organizationId, contentId);
  if (!content) throw notFound("Content");
  const [publications, approvalRequired] = await Promise.all([publicationSummary(ctx.db, organizationId, contentId), approvalRequiredFor(ctx.db, organizationId)]);
  const { _count, ...rest } = content;
  return { ...rest, mediaCount: _count.media, publications, approvalRequired };
}

/** A campaign a content may point at: this organization's and not archived. */
async function assertCampaignUsable(db: DbOrTx, organizationId: string, campaignId: string) {
  const campaign = await findCampaign(db, organizationId, campaignId);
  if (!campaign) throw notFound("Campaign");
  if (campaign.status === "ARCHIVED") throw new AppError("BAD_REQUEST", "campaignArchived", "The campaign is archived", { field: "campaignId" });
}

export async function createContent(ctx: TenantCtx, input: { title: string; baseCaption?: string; campaignId?: string | null; networks?: SocialNetwork[] }) {
  const { organizationId, userId } = ctx.tenant;
  if (input.campaignId) await assertCampaignUsable(ctx.db, organizationId, input.campaignId);
  const networks = [...new Set(input.networks ?? [])];
  const result = await ctx.db.$transaction(async (tx) => {
    const created = await insertContent(tx, organizationId, {
      title: input.title,
      baseCaption: input.baseCaption ?? "",
      campaignId: input.campaignId ?? null,
      createdById: userId,
      networks,
    });
    await audit(tx, { organizationId, userId, request: ctx.request }, "content.create", { type: "content", id: created.id }, { networks });
    return { id: created.id };
  });
  await contentTextChanged(ctx);
  return result;
}

/**
 * An edit of what would be published. When the organization requires approval, an IN_REVIEW or
 * APPROVED piece goes back to DRAFT (the reviewers approved other words); the move is recorded in
 * the review thread like any other transition.
 */
async function afterTextEdit(tx: DbOrTx, ctx: TenantCtx, contentId: string, status: ContentStatus): Promise<ContentStatus> {
  const { organizationId, userId } = ctx.tenant;
  if (status === "DRAFT" || !(await approvalRequiredFor(tx, organizationId))) return status;
  const moved = await transitionContentStatus(tx, organizationId, contentId, [status], { status: "DRAFT", approvedAt: null, approvedById: null });
  if (moved === 0) throw new AppError("CONFLICT", "contentStatusChanged", "The content's status changed meanwhile");
  await addReviewComment(tx, organizationId, { contentId, authorId: userId, body: "", fromStatus: status, toStatus: "DRAFT" });
  await audit(tx, { organizationId, userId, request: ctx.request }, "content.review.reset", { type: "content", id: contentId }, { from: status, to: "DRAFT" });
  return "DRAFT";
}

async function requireContent(db: DbOrTx, organizationId: string, contentId: string) {
  const content = await findContentStatus(db, organizationId, contentId);
  if (!content) throw notFound("Content");
  return content;
}

export async function updateContent(ctx: TenantCtx, input: { id: string; title?: string; baseCaption?: string; campaignId?: string | null }) {
  const { organizationId, userId } = ctx.tenant;
  const status = await ctx.db.$transaction(async (tx) => {
    const current = await requireContent(tx, organizationId, input.id);
    // Keeping the campaign it already has is fine even once that campaign is archived.
    if (input.campaignId && input.campaignId !== current.campaignId) await assertCampaignUsable(tx, organizationId, input.campaignId);
    const textChanged = (input.title !== undefined && input.title !== current.title) || (input.baseCaption !== undefined && input.baseCaption !== current.baseCaption);
    await updateContentFields(tx, organizationId, input.id, { title: input.title, baseCaption: input.baseCaption, campaignId: input.campaignId });
    const next = textChanged ? await afterTextEdit(tx, ctx, input.id, current.status) : current.status;
    await audit(tx, { organizationId, userId, request: ctx.request }, "content.update", { type: "content", id: input.id }, {
      fields: Object.keys(input).filter((k) => k !== "id"),
    });
    // Planned publications restart only when what they would publish changed (not for a campaign move).
    if (textChanged) await contentChanged(tx, organizationId, input.id);
    return next;
  });
  if (input.title !== undefined || input.baseCaption !== undefined) await contentTextChanged(ctx);
  return { id: input.id, status };
}

export async function upsertContentVariant(
  ctx: TenantCtx,
  input: { contentId: string; network: SocialNetwork; caption: string; hashtags: string[]; title?: string | null; privacy?: string | null },
) {
  const { organizationId, userId } = ctx.tenant;
  const result = await ctx.db.$transaction(async (tx) => {
    const content = await requireContent(tx, organizationId, input.contentId);
    const values = {
      caption: input.caption,
      hashtags: normalizeHashtags(input.hashtags),
      title: input.title?.trim() ? input.title.trim() : null,
      privacy: input.privacy ? input.privacy : null,
    };
    const before = await findVariant(tx, organizationId, input.contentId, input.network);
    const unchanged = before !== null && JSON.stringify([before.caption, before.hashtags, before.title, before.privacy]) === JSON.stringify([values.caption, values.hashtags, values.title, values.privacy]);
    const variant = await writeVariant(tx, organizationId, input.contentId, { network: input.network, ...values });
    // Saving the same words again is not an edit: the approval stands.
    const status = unchanged ? content.status : await afterTextEdit(tx, ctx, input.contentId, content.status);
    await audit(tx, { organizationId, userId, request: ctx.request }, "content.variant.upsert", { type: "content", id: input.contentId }, { network: input.network });
    if (!unchanged) await contentChanged(tx, organizationId, input.contentId);
    return { variant, status };
  });
  await contentTextChanged(ctx);
  return result;
}

export async function removeContentVariant(ctx: TenantCtx, input: { contentId: string; network: SocialNetwork }) {
  const { organizationId, userId } = ctx.tenant;
  const status = await ctx.db.$transaction(async (tx) => {
    const content = await requireContent(tx, organizationId, input.contentId);
    if ((await countActivePublications(tx, organizationId, input.contentId, input.network)) > 0) {
      throw new AppError("PRECONDITION_FAILED", "variantHasScheduledPublications", "Publications for this network are scheduled or in progress");
    }
    const removed = await deleteVariant(tx, organizationId, input.contentId, input.network);
    if (removed === 0) return content.status;
    const next = await afterTextEdit(tx, ctx, input.contentId, content.status);
    await audit(tx, { organizationId, userId, request: ctx.request }, "content.variant.remove", { type: "content", id: input.contentId }, { network: input.network });
    await contentChanged(tx, organizationId, input.contentId);
    return next;
  });
  return { status };
}

export async function deleteContent(ctx: TenantCtx, contentId: string) {
  const { organizationId, userId } = ctx.tenant;
  await ctx.db.$transaction(async (tx) => {
    await requireContent(tx, organizationId, contentId);
    if ((await countActivePublications(tx, organizationId, contentId)) > 0) {
      throw new AppError("PRECONDITION_FAILED", "contentHasScheduledPublications", "The content has scheduled or in-progress publications");
    }
    await softDeleteContent(tx, organizationId, contentId);
    await audit(tx, { organizationId, userId, request: ctx.request }, "content.delete", { type: "content", id: contentId });
  });
  return { id: contentId };
}

// ─── Approval ────────────────────────────────────────────────────────────────────────────────

const TRANSITIONS = {
  submit: { from: "DRAFT", to: "IN_REVIEW", reason: "contentNotDraft" },
  approve: { from: "IN_REVIEW", to: "APPROVED", reason: "contentNotInReview" },
  requestChanges: { from: "IN_REVIEW", to: "DRAFT", reason: "contentNotInReview" },
} as const satisfies Record<string, { from: ContentStatus; to: ContentStatus; reason: string }>;

async function transition(ctx: TenantCtx, contentId: string, step: keyof typeof TRANSITIONS, comment: string | undefined) {
  const { organizationId, userId } = ctx.tenant;
  const { from, to, reason } = TRANSITIONS[step];
  await ctx.db.$transaction(async (tx) => {
    const content = await requireContent(tx, organizationId, contentId);
    if (content.status !== from) throw new AppError("PRECONDITION_FAILED", reason, `The content is ${content.status}, not ${from}`);
    const now = new Date();
    const data =
      to === "IN_REVIEW" ? { status: to, submittedAt: now } : to === "APPROVED" ? { status: to, approvedAt: now, approvedById: userId } : { status: to, approvedAt: null, approvedById: null };
    const moved = await transitionContentStatus(tx, organizationId, contentId, [from], data);
    if (moved === 0) throw new AppError("CONFLICT", "contentStatusChanged", "The content's status changed meanwhile");
    await addReviewComment(tx, organizationId, { contentId, authorId: userId, body: comment?.trim() ?? "", fromStatus: from, toStatus: to });
    await audit(tx, { organizationId, userId, request: ctx.request }, `content.review.${step}`, { type: "content", id: contentId }, { from, to });
  });
  return { id: contentId, status: to };
}

export function submitForReview(ctx: TenantCtx, input: { id: string; comment?: string }) {
  return transition(ctx, input.id, "submit", input.comment);
}

export function approveContent(ctx: TenantCtx, input: { id: string; comment?: string }) {
  return transition(ctx, input.id, "approve", input.comment);
}

export function requestContentChanges(ctx: TenantCtx, input: { id: string; comment: string }) {
  if (!input.comment.trim()) throw new AppError("BAD_REQUEST", "reviewCommentRequired", "A comment is required", { field: "comment" });
  return transition(ctx, input.id, "requestChanges", input.comment);
}

export async function commentOnContent(ctx: TenantCtx, input: { id: string; body: string }) {
  const { organizationId, userId } = ctx.tenant;
  return ctx.db.$transaction(async (tx) => {
    await requireContent(tx, organizationId, input.id);
    const created = await addReviewComment(tx, organizationId, { contentId: input.id, authorId: userId, body: input.body.trim() });
    await audit(tx, { organizationId, userId, request: ctx.request }, "content.review.comment", { type: "content", id: input.id });
    return { id: created.id };
  });
}
