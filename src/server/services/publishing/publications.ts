/**
 * Scheduling: what a person does with publications (schedule, reschedule, cancel, retry) and the
 * reads behind the calendar and the Publicações page. Publishing itself happens in background
 * functions (engine.ts); nothing here calls a network.
 *
 * Statuses: SCHEDULED → DISPATCHED (claimed by the per-minute dispatcher) → PUBLISHING (from the
 * run's first network call) → PUBLISHED | FAILED | UNCONFIRMED; CANCELED by a person. Every
 * change a person makes bumps `version`, so a run planned for the old version stops without
 * publishing. Changes take the row lock, so they cannot interleave with the run's own claim.
 */
import type { PublicationStatus, SocialNetwork } from "~/generated/prisma/enums";
import { assertEntitlement, checkEntitlement, connectionWithinPlan, planLimitError } from "~/server/billing/entitlements";
import { monthStartUtc } from "~/server/billing/plans";
import { isSocialProvider } from "~/server/connectors/social/registry";
import { AppError, notFound } from "~/server/lib/errors";
import {
  countPublicationsByStatus,
  createPublication,
  findLivePublications,
  findPublication,
  findSocialConnections,
  listCalendar,
  listPublications,
  listPublicationsOfContent,
  lockContentForScheduling,
  lockPublication,
  publicationExists,
  transitionPublication,
  type PublicationRecord,
} from "~/server/repositories/publications";
import { lockOrganizationLimit } from "~/server/repositories/entitlements";
import { audit } from "../audit";
import { assertReadyToSchedule } from "../content/readiness";
import type { TenantCtx } from "../context";
import { thumbnailUrlOf } from "./thumbnails";

/** A time up to a minute ago still counts as "now" (the form was filled a moment ago). */
export const PAST_TOLERANCE_MS = 60_000;
export const SCHEDULE_TARGETS_MAX = 10;
export const CALENDAR_MAX_DAYS = 62;
const CALENDAR_MAX_ROWS = 2_000;

/** Tabs of the Publicações page and the statuses each one shows. */
export const PUBLICATION_TABS = {
  scheduled: ["SCHEDULED", "DISPATCHED", "PUBLISHING"],
  published: ["PUBLISHED"],
  failed: ["FAILED"],
  unconfirmed: ["UNCONFIRMED"],
  canceled: ["CANCELED"],
} as const satisfies Record<string, PublicationStatus[]>;
export type PublicationTab = keyof typeof PUBLICATION_TABS;

function who(ctx: TenantCtx) {
  return { ...ctx.tenant, request: ctx.request };
}

export function networkOf(provider: string): SocialNetwork {
  if (!isSocialProvider(provider)) throw new AppError("BAD_REQUEST", "notSocialConnection", "This connection is not a social account");
  return provider;
}

export function toRow(p: PublicationRecord) {
  return {
    id: p.id,
    contentId: p.contentId,
    contentTitle: p.content.title,
    network: networkOf(p.connection.provider),
    connectionId: p.connectionId,
    accountName: p.connection.accountName,
    status: p.status,
    scheduledAt: p.scheduledAt,
    dispatchedAt: p.dispatchedAt,
    publishedAt: p.publishedAt,
    nextAttemptAt: p.nextAttemptAt,
    externalId: p.externalId,
    permalink: p.permalink,
    attempts: p.attempts,
    version: p.version,
    failureCode: p.failureCode,
    failureReason: p.lastError,
    createdAt: p.createdAt,
  };
}
export type PublicationRow = ReturnType<typeof toRow>;

async function load(ctx: TenantCtx, id: string) {
  const p = await findPublication(ctx.db, ctx.tenant.organizationId, id);
  if (!p || p.content.deletedAt) throw notFound("Publication");
  return p;
}

function assertNotPast(at: Date, now: Date) {
  if (at.getTime() < now.getTime() - PAST_TOLERANCE_MS) throw new AppError("BAD_REQUEST", "scheduleInPast", "The time is in the past");
}

export async function schedule(ctx: TenantCtx, input: { contentId: string; targets: { connectionId: string; scheduledAt: Date }[] }, now = new Date()) {
  const org = ctx.tenant.organizationId;
  const ids = input.targets.map((t) => t.connectionId);
  if (new Set(ids).size !== ids.length) throw new AppError("BAD_REQUEST", "alreadyScheduled", "The same account appears twice");
  for (const t of input.targets) assertNotPast(t.scheduledAt, now);

  const connections = new Map((await findSocialConnections(ctx.db, org, ids)).map((c) => [c.id, c]));
  const networks = new Set<SocialNetwork>();
  for (const id of ids) {
    const c = connections.get(id);
    if (!c) throw notFound("Connection");
    if (c.kind !== "SOCIAL" || !isSocialProvider(c.provider)) throw new AppError("BAD_REQUEST", "notSocialConnection", "This connection is not a social account");
    if (c.status !== "ACTIVE") throw new AppError("PRECONDITION_FAILED", "socialAccountNotActive", "Reconnect this account before scheduling");
    networks.add(c.provider);
  }
  for (const id of ids) await assertAccountWithinPlan(ctx, id);
  const variants = await assertReadyToSchedule(ctx, input.contentId, [...networks]);

  const created = await ctx.db.$transaction(async (tx) => {
    await lockContentForScheduling(tx, org, input.contentId);
    if ((await findLivePublications(tx, org, input.contentId, ids)).length > 0) {
      throw new AppError("CONFLICT", "alreadyScheduled", "This content is already scheduled on this account");
    }
    await assertPostsAllowed(tx, org, input.targets.map((t) => t.scheduledAt));
    const rows: PublicationRecord[] = [];
    for (const t of input.targets) {
      const network = connections.get(t.connectionId)!.provider as SocialNetwork;
      const row = await createPublication(tx, org, {
        contentId: input.contentId,
        variantId: variants.get(network)?.variantId ?? null,
        connectionId: t.connectionId,
        scheduledAt: t.scheduledAt,
        createdById: ctx.tenant.userId,
      });
      await audit(tx, who(ctx), "publication.scheduled", { type: "publication", id: row.id }, { contentId: input.contentId, network, scheduledAt: t.scheduledAt.toISOString() });
      rows.push(row);
    }
    return rows;
  });
  return created.map(toRow);
}

/**
 * The plan's `postsPerMonth`: each publication counts in the UTC month of its scheduled time, so
 * the targets are checked per month they fall in. Under a per-organization lock, so two people
 * scheduling at once cannot both take the month's last slot.
 */
async function assertPostsAllowed(tx: Parameters<typeof lockOrganizationLimit>[0], organizationId: string, times: Date[]) {
  if (times.length === 0) return;
  await lockOrganizationLimit(tx, organizationId, "postsPerMonth");
  const perMonth = new Map<number, { at: Date; amount: number }>();
  for (const at of times) {
    const key = monthStartUtc(at).getTime();
    const entry = perMonth.get(key);
    perMonth.set(key, { at, amount: (entry?.amount ?? 0) + 1 });
  }
  for (const { at, amount } of perMonth.values()) await assertEntitlement(tx, organizationId, "postsPerMonth", { at, amount });
}

/** An account beyond the plan's social accounts (after a downgrade) is read-only: nothing new is scheduled to it. */
async function assertAccountWithinPlan(ctx: TenantCtx, connectionId: string) {
  if (await connectionWithinPlan(ctx.db, ctx.tenant.organizationId, connectionId)) return;
  // Beyond the plan means used > limit, so even amount 0 is refused, with the plan that lifts it.
  throw planLimitError(await checkEntitlement(ctx.db, ctx.tenant.organizationId, "socialAccounts", { amount: 0 }));
}

const sameUtcMonth = (a: Date, b: Date) => monthStartUtc(a).getTime() === monthStartUtc(b).getTime();

const RESET_RUN = { phase: null, phaseData: {}, attempts: 0, failureCode: null, lastError: null, nextAttemptAt: null, dispatchedAt: null } as const;

function refuseInFlight(status: PublicationStatus) {
  if (status === "PUBLISHING") return new AppError("CONFLICT", "publicationInProgress", "This post is being published right now");
  if (status === "UNCONFIRMED") return new AppError("CONFLICT", "publicationUnconfirmed", "We are still checking whether this post went live");
  if (status === "PUBLISHED") return new AppError("CONFLICT", "publicationAlreadyPublished", "This post is already published");
  if (status === "CANCELED") return new AppError("CONFLICT", "publicationCanceled", "This post was canceled");
  return null;
}

export async function reschedule(ctx: TenantCtx, input: { id: string; scheduledAt: Date }, now = new Date()) {
  assertNotPast(input.scheduledAt, now);
  const org = ctx.tenant.organizationId;
  const row = await ctx.db.$transaction(async (tx) => {
    const p = await lockPublication(tx, org, input.id);
    if (!p || p.content.deletedAt) throw notFound("Publication");
    const refusal = refuseInFlight(p.status);
    if (refusal) throw refusal;
    await assertAccountWithinPlan(ctx, p.connectionId);
    // Moved into another month: it takes one of that month's posts.
    if (!sameUtcMonth(p.scheduledAt, input.scheduledAt)) await assertPostsAllowed(tx, org, [input.scheduledAt]);
    // SCHEDULED, DISPATCHED (no network call made yet) or FAILED: a fresh plan at the new time.
    await transitionPublication(tx, org, p.id, { from: ["SCHEDULED", "DISPATCHED", "FAILED"] }, { ...RESET_RUN, status: "SCHEDULED", scheduledAt: input.scheduledAt, version: { increment: 1 } });
    await audit(tx, who(ctx), "publication.rescheduled", { type: "publication", id: p.id }, { from: p.scheduledAt.toISOString(), to: input.scheduledAt.toISOString(), previousStatus: p.status });
    return findPublication(tx, org, p.id);
  });
  return toRow(row!);
}

export async function cancel(ctx: TenantCtx, input: { id: string }) {
  const org = ctx.tenant.organizationId;
  const row = await ctx.db.$transaction(async (tx) => {
    const p = await lockPublication(tx, org, input.id);
    if (!p || p.content.deletedAt) throw notFound("Publication");
    if (p.status === "CANCELED") return p;
    if (p.status === "PUBLISHING" || p.status === "PUBLISHED") throw refuseInFlight(p.status)!;
    await transitionPublication(tx, org, p.id, { from: ["SCHEDULED", "DISPATCHED", "FAILED", "UNCONFIRMED"] }, { status: "CANCELED", version: { increment: 1 }, nextAttemptAt: null });
    await audit(tx, who(ctx), "publication.canceled", { type: "publication", id: p.id }, { previousStatus: p.status });
    return findPublication(tx, org, p.id);
  });
  return toRow(row!);
}

export async function retry(ctx: TenantCtx, input: { id: string }, now = new Date()) {
  const org = ctx.tenant.organizationId;
  const row = await ctx.db.$transaction(async (tx) => {
    const p = await lockPublication(tx, org, input.id);
    if (!p || p.content.deletedAt) throw notFound("Publication");
    if (p.status !== "FAILED") throw new AppError("CONFLICT", "publicationNotFailed", "Only a failed post can be retried");
    // The same plan rules as a reschedule to now: an account beyond the plan stays read-only, and
    // a post that failed in an earlier month takes one of this month's posts.
    await assertAccountWithinPlan(ctx, p.connectionId);
    if (!sameUtcMonth(p.scheduledAt, now)) await assertPostsAllowed(tx, org, [now]);
    await transitionPublication(tx, org, p.id, { from: ["FAILED"] }, { ...RESET_RUN, status: "SCHEDULED", scheduledAt: now, version: { increment: 1 } });
    await audit(tx, who(ctx), "publication.retried", { type: "publication", id: p.id }, { failureCode: p.failureCode });
    return findPublication(tx, org, p.id);
  });
  return toRow(row!);
}

export async function get(ctx: TenantCtx, input: { id: string }) {
  return toRow(await load(ctx, input.id));
}

export async function listForContent(ctx: TenantCtx, input: { contentId: string }) {
  const rows = await listPublicationsOfContent(ctx.db, ctx.tenant.organizationId, input.contentId);
  return rows.map(toRow);
}

export async function list(
  ctx: TenantCtx,
  input: { tab?: PublicationTab; status?: PublicationStatus; network?: SocialNetwork; limit: number; cursor?: string },
) {
  const org = ctx.tenant.organizationId;
  if (input.cursor && !(await publicationExists(ctx.db, org, input.cursor))) return { items: [], nextCursor: null };
  const tab = input.tab ?? "scheduled";
  const statuses: PublicationStatus[] = input.status ? [input.status] : [...PUBLICATION_TABS[tab]];
  // The queue reads in the order things will happen; history newest first.
  const order = !input.status && tab === "scheduled" ? "asc" : "desc";
  const page = await listPublications(ctx.db, org, { statuses, network: input.network, order }, input);
  return { items: page.items.map(toRow), nextCursor: page.nextCursor };
}

export async function counts(ctx: TenantCtx, input: { network?: SocialNetwork }) {
  const byStatus = await countPublicationsByStatus(ctx.db, ctx.tenant.organizationId, input.network);
  const sum = (statuses: readonly PublicationStatus[]) => statuses.reduce((n, s) => n + (byStatus.get(s) ?? 0), 0);
  return {
    scheduled: sum(PUBLICATION_TABS.scheduled),
    published: sum(PUBLICATION_TABS.published),
    failed: sum(PUBLICATION_TABS.failed),
    unconfirmed: sum(PUBLICATION_TABS.unconfirmed),
    canceled: sum(PUBLICATION_TABS.canceled),
  };
}

export async function calendar(ctx: TenantCtx, input: { from: Date; to: Date; networks?: SocialNetwork[] }) {
  if (input.to.getTime() <= input.from.getTime()) throw new AppError("BAD_REQUEST", "calendarRangeInvalid", "The end must come after the start");
  if (input.to.getTime() - input.from.getTime() > CALENDAR_MAX_DAYS * 86_400_000) {
    throw new AppError("BAD_REQUEST", "calendarRangeTooLong", `The range may span at most ${CALENDAR_MAX_DAYS} days`);
  }
  const rows = await listCalendar(ctx.db, ctx.tenant.organizationId, input, CALENDAR_MAX_ROWS);
  return rows.map((p) => ({
      id: p.id,
      contentId: p.contentId,
      contentTitle: p.content.title,
      network: networkOf(p.connection.provider),
      connectionId: p.connectionId,
      accountName: p.connection.accountName,
      status: p.status,
      scheduledAt: p.scheduledAt,
      publishedAt: p.publishedAt,
      permalink: p.permalink,
    thumbnailUrl: thumbnailUrlOf(p.content.media[0] ?? null),
    failureReason: p.lastError,
  }));
}
