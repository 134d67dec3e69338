/**
 * The action queue: list, inspect, approve (optionally after editing), reject, bulk approve,
 * regenerate a suggestion's copy, retry a failed apply, and the measured gain per type.
 * Statuses: PENDING → APPROVED → APPLYING → APPLIED | FAILED, or PENDING → REJECTED. Every change
 * is a compare-and-set on the status, so two people (or two tabs) can never both approve.
 */
import { ZodError } from "zod";

import type { ActionStatus, ActionType, Provider } from "~/generated/prisma/enums";
import { Prisma } from "~/generated/prisma/client";
import { generateListingCopy } from "~/server/ai";
import { checkEntitlement, listingOverPlan, planLimitError } from "~/server/billing/entitlements";
import type { ListingFacts } from "~/server/ai/types";
import type { Db } from "~/server/db";
import { inngest } from "~/server/jobs/client";
import { actionApplyRequested, jobContextOf } from "~/server/jobs/events";
import { AppError, notFound } from "~/server/lib/errors";
import { listEffectsOfAction } from "~/server/repositories/action-effects";
import {
  actionExists,
  findAction,
  findActionsByIds,
  findListingFacts,
  findStuckApprovals,
  findUserRef,
  listActionAudit,
  listActions,
  transitionAction,
  type ActionRecord,
} from "~/server/repositories/actions";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { checkApplicability } from "./applicability";
import { DESCRIPTION_MAX_LENGTH } from "./engine";
import { RETRYABLE_FAILURES } from "./apply";
import { parseActionPayload, type ActionPayload, type ActionTypeName } from "./payloads";

export { effectsSummary } from "./effects";

/** An approval older than this without an apply run gets its event sent again. */
export const STUCK_APPROVAL_MS = 10 * 60_000;

/** Approvals whose apply event was lost, with the event id to send again (duplicates are harmless). */
export async function stuckApprovals(db: Db, now = new Date(), limit = 500) {
  const rows = await findStuckApprovals(db, new Date(now.getTime() - STUCK_APPROVAL_MS), limit);
  const slot = Math.floor(now.getTime() / STUCK_APPROVAL_MS);
  return rows.map((a) => ({ actionId: a.id, organizationId: a.organizationId, userId: a.approvedById, eventId: `apply-${a.id}-${a.attempts}-requeue-${slot}` }));
}

export const BULK_APPROVE_MAX = 100;

export type ListActionsInput = {
  limit: number;
  cursor?: string;
  type?: ActionType;
  provider?: Provider;
  /** PENDING when not given (the queue); "ALL" for every status. */
  status?: ActionStatus | "ALL";
  minExpectedGain?: number;
  listingId?: string;
  search?: string;
  sort?: "gain" | "newest";
};

function who(ctx: TenantCtx) {
  return { ...ctx.tenant, request: ctx.request };
}

function row(action: ActionRecord) {
  const { listing, approvedBy, rejectedBy, ...rest } = action;
  return {
    id: rest.id,
    type: rest.type,
    status: rest.status,
    source: rest.source,
    reason: rest.reason,
    expectedGain: rest.expectedGain,
    payload: rest.payload as Record<string, unknown>,
    suggestedPayload: (rest.suggestedPayload ?? null) as Record<string, unknown> | null,
    attempts: rest.attempts,
    failureCode: rest.failureCode,
    failureReason: rest.failureReason,
    createdAt: rest.createdAt,
    editedAt: rest.editedAt,
    approvedAt: rest.approvedAt,
    rejectedAt: rest.rejectedAt,
    applyingAt: rest.applyingAt,
    appliedAt: rest.appliedAt,
    failedAt: rest.failedAt,
    approvedBy: approvedBy ? { id: approvedBy.id, name: approvedBy.name ?? approvedBy.email } : null,
    rejectedBy: rejectedBy ? { id: rejectedBy.id, name: rejectedBy.name ?? rejectedBy.email } : null,
    retryable: rest.status === "FAILED" && RETRYABLE_FAILURES.has(rest.failureCode ?? ""),
    listing: listing
      ? {
          id: listing.id,
          title: listing.title,
          provider: listing.provider,
          thumbnailUrl: listing.thumbnailUrl,
          healthScore: listing.healthScore,
          priceCents: listing.priceCents,
          currency: listing.currency,
          status: listing.status,
        }
      : null,
  };
}

export async function listOrganizationActions(ctx: TenantCtx, input: ListActionsInput) {
  // A cursor that is not one of this organization's actions starts nowhere rather than leaking order.
  if (input.cursor && !(await actionExists(ctx.db, ctx.tenant.organizationId, input.cursor))) return { items: [], nextCursor: null };
  const status = input.status === "ALL" ? undefined : (input.status ?? "PENDING");
  const page = await listActions(ctx.db, ctx.tenant.organizationId, { ...input, status });
  return { items: page.items.map((a) => row(a as ActionRecord)), nextCursor: page.nextCursor };
}

type TimelineEntry = { event: "created" | "edited" | "approved" | "rejected" | "applying" | "applied" | "failed"; at: Date; actor: { id: string; name: string } | null; note?: string | null };

export async function getAction(ctx: TenantCtx, input: { id: string }) {
  const org = ctx.tenant.organizationId;
  const action = await findAction(ctx.db, org, input.id);
  if (!action) throw notFound("Action");
  const [effects, auditEntries, editor] = await Promise.all([
    listEffectsOfAction(ctx.db, org, action.id),
    listActionAudit(ctx.db, org, action.id),
    action.editedById ? findUserRef(ctx.db, org, action.editedById) : Promise.resolve(null),
  ]);
  const base = row(action);
  const person = (u: { id: string; name: string | null; email: string } | null) => (u ? { id: u.id, name: u.name ?? u.email } : null);
  const applied = auditEntries.find((e) => e.action === "action.applied" || e.action === "action.failed");
  const rejection = auditEntries.find((e) => e.action === "action.rejected");
  const timeline: TimelineEntry[] = [{ event: "created", at: action.createdAt, actor: null }];
  if (action.editedAt) timeline.push({ event: "edited", at: action.editedAt, actor: person(editor) });
  if (action.approvedAt) timeline.push({ event: "approved", at: action.approvedAt, actor: base.approvedBy });
  if (action.rejectedAt) {
    const note = (rejection?.metadata as { note?: string } | null)?.note ?? null;
    timeline.push({ event: "rejected", at: action.rejectedAt, actor: base.rejectedBy, note });
  }
  if (action.applyingAt) timeline.push({ event: "applying", at: action.applyingAt, actor: null });
  if (action.appliedAt) timeline.push({ event: "applied", at: action.appliedAt, actor: person(applied?.actor ?? null) });
  if (action.failedAt) timeline.push({ event: "failed", at: action.failedAt, actor: null, note: action.failureReason });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());
  return {
    ...base,
    timeline,
    effects: effects.map((e) => ({
      horizonDays: e.horizonDays,
      scoreBefore: e.scoreBefore,
      scoreAfter: e.scoreAfter,
      visitsPerDayBefore: e.visitsPerDayBefore100 / 100,
      visitsPerDayAfter: e.visitsPerDayAfter100 / 100,
      salesPerDayBefore: e.salesPerDayBefore100 / 100,
      salesPerDayAfter: e.salesPerDayAfter100 / 100,
      measuredAt: e.measuredAt,
    })),
    audit: auditEntries.map((e) => ({ id: e.id, action: e.action, at: e.createdAt, actor: person(e.actor), metadata: e.metadata as Record<string, unknown> })),
  };
}

/**
 * Is the payload ready to be applied? Validates it with the type's schema and refuses what is
 * still only a suggestion (photos without URLs, attributes without values) with a clear reason.
 */
export function readyPayload(type: ActionType, raw: unknown): ActionPayload {
  let payload: ActionPayload;
  try {
    payload = parseActionPayload(type as ActionTypeName, raw);
  } catch (error) {
    if (error instanceof ZodError) {
      throw new AppError("BAD_REQUEST", "actionPayloadInvalid", "The edited change is not valid", { issues: error.issues.slice(0, 5).map((i) => i.path.join(".")) });
    }
    throw error;
  }
  if (type === "ADD_PHOTOS" && (payload as ActionPayload<"ADD_PHOTOS">).pictureUrls.length === 0) {
    throw new AppError("PRECONDITION_FAILED", "actionPhotosMissing", "Add at least one picture URL before approving");
  }
  if (type === "COMPLETE_ATTRIBUTES" && (payload as ActionPayload<"COMPLETE_ATTRIBUTES">).attributes.some((a) => !a.value || !a.value.trim())) {
    throw new AppError("PRECONDITION_FAILED", "actionAttributesMissing", "Fill in every attribute value before approving");
  }
  if (type === "REWRITE_TITLE") {
    const p = payload as ActionPayload<"REWRITE_TITLE">;
    if (p.title.length > p.maxLength) throw new AppError("BAD_REQUEST", "actionTitleTooLong", "The title is longer than the category allows", { maxLength: p.maxLength });
  }
  return payload;
}

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * After a downgrade, listings beyond the plan (and the listings of marketplace accounts beyond it)
 * stay visible but read-only: their actions cannot be approved until an upgrade.
 */
async function assertListingWritable(db: Prisma.TransactionClient, organizationId: string, listingId: string) {
  const overPlan = await listingOverPlan(db, organizationId, listingId);
  if (!overPlan) return;
  throw planLimitError(await checkEntitlement(db, organizationId, overPlan, { amount: 0 }));
}

/** Approves one action inside the caller's transaction; returns it, or throws an AppError. */
async function approveOne(ctx: TenantCtx, tx: Prisma.TransactionClient, action: ActionRecord, edited?: unknown) {
  if (action.status !== "PENDING") {
    throw new AppError("CONFLICT", action.status === "APPROVED" || action.status === "APPLYING" || action.status === "APPLIED" ? "actionAlreadyApproved" : "actionNotPending", `The action is ${action.status}`, {
      status: action.status,
    });
  }
  if (!action.listing) throw new AppError("PRECONDITION_FAILED", "actionListingMissing", "The listing of this action no longer exists");
  await assertListingWritable(tx, ctx.tenant.organizationId, action.listing.id);
  const payload = readyPayload(action.type, edited ?? action.payload);
  const applicable = checkApplicability({ ...action.listing, provider: action.listing.provider as "MERCADOLIVRE" | "SHOPEE" }, { type: action.type, payload });
  if (!applicable.ok) {
    throw new AppError("PRECONDITION_FAILED", "actionNotApplicable", "The marketplace would refuse this change", { rule: applicable.rule });
  }
  const isEdit = edited !== undefined && !sameJson(payload, action.payload);
  const now = new Date();
  const ok = await transitionAction(tx, ctx.tenant.organizationId, action.id, ["PENDING"], {
    status: "APPROVED",
    approvedAt: now,
    approvedById: ctx.tenant.userId,
    failureCode: null,
    failureReason: null,
    ...(isEdit
      ? {
          payload: payload as Prisma.InputJsonValue,
          // The generated original stays for comparison (and is kept across several edits).
          suggestedPayload: (action.suggestedPayload ?? action.payload) as Prisma.InputJsonValue,
          editedAt: now,
          editedById: ctx.tenant.userId,
        }
      : {}),
  });
  if (!ok) throw new AppError("CONFLICT", "actionAlreadyApproved", "Someone else changed this action first");
  const target = { type: "action", id: action.id };
  if (isEdit) await audit(tx, who(ctx), "action.edited", target, { type: action.type, payload: payload as Prisma.InputJsonValue });
  await audit(tx, who(ctx), "action.approved", target, { type: action.type, listingId: action.listing.id, edited: isEdit });
  return action;
}

function applyEvent(ctx: TenantCtx, actionId: string, attempts: number) {
  // The id makes a repeated send of the same approval a no-op; a retry (more attempts) is new.
  return actionApplyRequested.create({ ...jobContextOf(ctx), actionId }, { id: `apply-${actionId}-${attempts}` });
}

/**
 * Queues the apply runs. The approval is already committed: if the queue cannot be reached now,
 * the approval still stands and the requeue cron (actions-apply.ts) sends the event later.
 */
async function queueApply(ctx: TenantCtx, actions: Array<{ id: string; attempts: number }>) {
  if (actions.length === 0) return;
  try {
    await inngest.send(actions.map((a) => applyEvent(ctx, a.id, a.attempts)));
  } catch (error) {
    ctx.log.error({ err: error, actionIds: actions.map((a) => a.id) }, "could not queue apply runs; the requeue cron will");
  }
}

export async function approveAction(ctx: TenantCtx, input: { id: string; payload?: unknown }) {
  const action = await findAction(ctx.db, ctx.tenant.organizationId, input.id);
  if (!action) throw notFound("Action");
  await ctx.db.$transaction((tx) => approveOne(ctx, tx, action, input.payload));
  await queueApply(ctx, [action]);
  return { id: action.id, status: "APPROVED" as const };
}

export type BulkOutcome = { id: string; outcome: "approved" | "skipped"; reason?: string };

/** Approves each listed action as it stands; one that cannot be approved is skipped with why. */
export async function bulkApproveActions(ctx: TenantCtx, input: { ids: string[] }) {
  const ids = [...new Set(input.ids)].slice(0, BULK_APPROVE_MAX);
  const actions = await findActionsByIds(ctx.db, ctx.tenant.organizationId, ids);
  // One id that is not this organization's: NOT_FOUND for the whole call, as for a single id.
  if (actions.length !== ids.length) throw notFound("Action");
  const byId = new Map(actions.map((a) => [a.id, a]));
  const results: BulkOutcome[] = [];
  const approved: ActionRecord[] = [];
  for (const id of ids) {
    const action = byId.get(id)!;
    try {
      await ctx.db.$transaction((tx) => approveOne(ctx, tx, action));
      approved.push(action);
      results.push({ id, outcome: "approved" });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ id, outcome: "skipped", reason: error.reason });
    }
  }
  await queueApply(ctx, approved);
  return { results, approved: approved.length, skipped: results.length - approved.length };
}

export async function rejectAction(ctx: TenantCtx, input: { id: string; note?: string }) {
  const action = await findAction(ctx.db, ctx.tenant.organizationId, input.id);
  if (!action) throw notFound("Action");
  if (action.status !== "PENDING") throw new AppError("CONFLICT", "actionNotPending", `The action is ${action.status}`, { status: action.status });
  await ctx.db.$transaction(async (tx) => {
    const ok = await transitionAction(tx, ctx.tenant.organizationId, action.id, ["PENDING"], {
      status: "REJECTED",
      rejectedAt: new Date(),
      rejectedById: ctx.tenant.userId,
      openKey: null,
    });
    if (!ok) throw new AppError("CONFLICT", "actionNotPending", "Someone else changed this action first");
    await audit(tx, who(ctx), "action.rejected", { type: "action", id: action.id }, { type: action.type, ...(input.note ? { note: input.note } : {}) });
  });
  return { id: action.id, status: "REJECTED" as const };
}

/** Asks the AI layer (or the local generator) for a new title/description for a pending action. */
export async function regenerateActionCopy(ctx: TenantCtx, input: { id: string }) {
  const org = ctx.tenant.organizationId;
  const action = await findAction(ctx.db, org, input.id);
  if (!action) throw notFound("Action");
  if (action.type !== "REWRITE_TITLE" && action.type !== "REWRITE_DESCRIPTION") {
    throw new AppError("BAD_REQUEST", "actionNotCopy", "Only title and description suggestions can be regenerated");
  }
  if (action.status !== "PENDING") throw new AppError("CONFLICT", "actionNotPending", `The action is ${action.status}`, { status: action.status });
  const listing = action.listingId ? await findListingFacts(ctx.db, org, action.listingId) : null;
  if (!listing) throw new AppError("PRECONDITION_FAILED", "actionListingMissing", "The listing of this action no longer exists");
  const facts: ListingFacts = {
    provider: listing.provider as ListingFacts["provider"],
    title: listing.title,
    categoryId: listing.categoryId,
    description: listing.description,
    attributes: Array.isArray(listing.attributes) ? (listing.attributes as ListingFacts["attributes"]) : [],
    gtin: listing.gtin,
    priceCents: listing.priceCents,
    freeShipping: listing.freeShipping,
  };
  const metering = { organizationId: org, userId: ctx.tenant.userId, feature: action.type === "REWRITE_TITLE" ? "actions.title" : "actions.description" };
  let payload: ActionPayload;
  if (action.type === "REWRITE_TITLE") {
    const current = parseActionPayload("REWRITE_TITLE", action.payload);
    const copy = await generateListingCopy(ctx.db, metering, { kind: "title", facts, maxLength: current.maxLength, locale: "pt-BR" }, { onLimit: "refuse" });
    payload = { ...current, title: copy.text, generator: copy.generator, notes: copy.notes };
  } else {
    const current = parseActionPayload("REWRITE_DESCRIPTION", action.payload);
    const copy = await generateListingCopy(ctx.db, metering, { kind: "description", facts, maxLength: DESCRIPTION_MAX_LENGTH, locale: "pt-BR" }, { onLimit: "refuse" });
    payload = { ...current, description: copy.text, generator: copy.generator, notes: copy.notes };
  }
  const generator = (payload as { generator: "ai" | "local" }).generator;
  await ctx.db.$transaction(async (tx) => {
    const ok = await transitionAction(tx, org, action.id, ["PENDING"], {
      payload: payload as Prisma.InputJsonValue,
      source: generator === "ai" ? "AI" : "LOCAL_GENERATOR",
      suggestedPayload: Prisma.DbNull,
      editedAt: null,
      editedById: null,
    });
    if (!ok) throw new AppError("CONFLICT", "actionNotPending", "Someone else changed this action first");
    await audit(tx, who(ctx), "action.regenerated", { type: "action", id: action.id }, { type: action.type, generator });
  });
  return { id: action.id, payload: payload as Record<string, unknown>, source: generator === "ai" ? ("AI" as const) : ("LOCAL_GENERATOR" as const) };
}

/** A failed apply whose cause can go away (outage, reconnected account) goes back to APPROVED. */
export async function retryAction(ctx: TenantCtx, input: { id: string }) {
  const org = ctx.tenant.organizationId;
  const action = await findAction(ctx.db, org, input.id);
  if (!action) throw notFound("Action");
  if (action.status !== "FAILED") throw new AppError("CONFLICT", "actionNotFailed", `The action is ${action.status}`, { status: action.status });
  if (!RETRYABLE_FAILURES.has(action.failureCode ?? "")) {
    throw new AppError("PRECONDITION_FAILED", "actionNotRetryable", "The marketplace refused this change; it would refuse it again", { code: action.failureCode });
  }
  try {
    await ctx.db.$transaction(async (tx) => {
      const ok = await transitionAction(tx, org, action.id, ["FAILED"], {
        status: "APPROVED",
        approvedAt: new Date(),
        approvedById: ctx.tenant.userId,
        failedAt: null,
        // Open again: a newer suggestion of the same type for the listing wins (unique index).
        openKey: action.listingId ? `${action.listingId}:${action.type}` : null,
      });
      if (!ok) throw new AppError("CONFLICT", "actionNotFailed", "Someone else changed this action first");
      await audit(tx, who(ctx), "action.retried", { type: "action", id: action.id }, { type: action.type, previousCode: action.failureCode });
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("CONFLICT", "actionSuperseded", "A newer suggestion of this kind is open for the listing");
    }
    throw error;
  }
  await queueApply(ctx, [action]);
  return { id: action.id, status: "APPROVED" as const };
}
