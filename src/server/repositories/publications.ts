/**
 * Publications: the only Prisma code of scheduling and publishing. Every function takes the
 * organization id except the dispatcher's claims, which work across tenants by design (one cron
 * for everyone) and return the organization id of each row they claim.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { PublicationStatus, SocialNetwork } from "~/generated/prisma/enums";
import type { Db, DbOrTx, DbTx } from "~/server/db";
import { paginate } from "./pagination";

/** Statuses in which a publication may still go live (at most one per content and account). */
export const LIVE_STATUSES: PublicationStatus[] = ["SCHEDULED", "DISPATCHED", "PUBLISHING", "UNCONFIRMED"];

const rowSelect = {
  id: true,
  organizationId: true,
  contentId: true,
  variantId: true,
  connectionId: true,
  scheduledAt: true,
  status: true,
  phase: true,
  phaseData: true,
  externalId: true,
  permalink: true,
  attempts: true,
  lastError: true,
  failureCode: true,
  version: true,
  dispatchedAt: true,
  nextAttemptAt: true,
  publishedAt: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
  content: { select: { id: true, title: true, deletedAt: true, createdById: true } },
  connection: { select: { id: true, provider: true, accountName: true, externalAccountId: true, status: true } },
} satisfies Prisma.PublicationSelect;

export type PublicationRecord = Prisma.PublicationGetPayload<{ select: typeof rowSelect }>;

export function findPublication(db: DbOrTx, organizationId: string, id: string) {
  return db.publication.findFirst({ where: { id, organizationId, deletedAt: null }, select: rowSelect });
}

/** Row lock for a compare-and-set decision (reschedule/cancel racing the publish run). */
export async function lockPublication(tx: DbTx, organizationId: string, id: string) {
  await tx.$queryRaw`SELECT id FROM publications WHERE id = ${id} AND organization_id = ${organizationId} FOR UPDATE`;
  return findPublication(tx, organizationId, id);
}

/** Serialises schedule calls of one content piece (the "one live publication per account" rule). */
export async function lockContentForScheduling(tx: DbTx, organizationId: string, contentId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`schedule:${organizationId}:${contentId}`}))`;
}

export function findSocialConnections(db: DbOrTx, organizationId: string, ids: string[]) {
  return db.connection.findMany({
    where: { organizationId, id: { in: ids }, deletedAt: null },
    select: { id: true, kind: true, provider: true, status: true, accountName: true },
  });
}

export function findLivePublications(db: DbOrTx, organizationId: string, contentId: string, connectionIds: string[]) {
  return db.publication.findMany({
    where: { organizationId, contentId, connectionId: { in: connectionIds }, status: { in: LIVE_STATUSES }, deletedAt: null },
    select: { id: true, connectionId: true },
  });
}

export function createPublication(
  tx: DbOrTx,
  organizationId: string,
  data: { contentId: string; variantId: string | null; connectionId: string; scheduledAt: Date; createdById: string | null },
) {
  return tx.publication.create({ data: { organizationId, ...data }, select: rowSelect });
}

/** Compare-and-set update: applies only when the row is still in `from` (and at `version` if given). */
export async function transitionPublication(
  db: DbOrTx,
  organizationId: string,
  id: string,
  guard: { from: PublicationStatus[]; version?: number },
  data: Prisma.PublicationUpdateManyMutationInput,
) {
  const result = await db.publication.updateMany({
    where: { id, organizationId, deletedAt: null, status: { in: guard.from }, ...(guard.version === undefined ? {} : { version: guard.version }) },
    data,
  });
  return result.count === 1;
}

export type PublicationListFilter = {
  statuses?: PublicationStatus[];
  network?: SocialNetwork;
  contentId?: string;
  /** Oldest first (the scheduled queue) or newest first (history). */
  order: "asc" | "desc";
};

function listWhere(organizationId: string, filter: Omit<PublicationListFilter, "order">): Prisma.PublicationWhereInput {
  return {
    organizationId,
    deletedAt: null,
    content: { deletedAt: null },
    ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
    ...(filter.network ? { connection: { provider: filter.network } } : {}),
    ...(filter.contentId ? { contentId: filter.contentId } : {}),
  };
}

export function listPublications(db: DbOrTx, organizationId: string, filter: PublicationListFilter, page: { limit: number; cursor?: string }) {
  return db.publication
    .findMany({
      where: listWhere(organizationId, filter),
      select: rowSelect,
      orderBy: [{ scheduledAt: filter.order }, { id: filter.order }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

export async function publicationExists(db: DbOrTx, organizationId: string, id: string) {
  return (await db.publication.count({ where: { id, organizationId, deletedAt: null } })) === 1;
}

export async function countPublicationsByStatus(db: DbOrTx, organizationId: string, network?: SocialNetwork) {
  const rows = await db.publication.groupBy({
    by: ["status"],
    where: listWhere(organizationId, { network }),
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.status, r._count._all]));
}

export function listPublicationsOfContent(db: DbOrTx, organizationId: string, contentId: string) {
  return db.publication.findMany({
    where: { organizationId, contentId, deletedAt: null },
    select: rowSelect,
    orderBy: [{ scheduledAt: "asc" }, { id: "asc" }],
    take: 200,
  });
}

export function listCalendar(
  db: DbOrTx,
  organizationId: string,
  range: { from: Date; to: Date; networks?: SocialNetwork[] },
  limit: number,
) {
  return db.publication.findMany({
    where: {
      organizationId,
      deletedAt: null,
      content: { deletedAt: null },
      status: { not: "CANCELED" },
      // A published post sits on the day it went live; the others on their planned time.
      OR: [
        { publishedAt: null, scheduledAt: { gte: range.from, lt: range.to } },
        { publishedAt: { gte: range.from, lt: range.to } },
      ],
      ...(range.networks ? { connection: { provider: { in: range.networks } } } : {}),
    },
    select: { ...rowSelect, content: { select: { ...rowSelect.content.select, media: { where: { deletedAt: null }, orderBy: { position: "asc" }, take: 1, select: { id: true, thumbnailKey: true, storageKey: true, mimeType: true } } } } },
    orderBy: [{ scheduledAt: "asc" }, { id: "asc" }],
    take: limit,
  });
}

// ─── Content changes ───

/**
 * Invalidates planned runs of a content piece: SCHEDULED and DISPATCHED rows get a new version (a
 * run started for the old one stops) and DISPATCHED rows go back to SCHEDULED so the dispatcher
 * plans them again with the current text. A row is DISPATCHED only until its run makes the first
 * network call (then PUBLISHING), so putting it back can never publish twice.
 */
export async function bumpPlannedPublications(db: DbOrTx, organizationId: string, contentId: string) {
  // SCHEDULED first: the DISPATCHED rows moved back below must be bumped once, not twice.
  const scheduled = await db.publication.updateMany({
    where: { organizationId, contentId, status: "SCHEDULED", deletedAt: null },
    data: { version: { increment: 1 } },
  });
  const dispatched = await db.publication.updateMany({
    where: { organizationId, contentId, status: "DISPATCHED", deletedAt: null },
    data: { status: "SCHEDULED", version: { increment: 1 }, dispatchedAt: null, nextAttemptAt: null, failureCode: null, lastError: null, attempts: 0 },
  });
  return { dispatched: dispatched.count, scheduled: scheduled.count };
}

// ─── Dispatcher (all tenants) ───

export type ClaimedPublication = { id: string; organizationId: string; connectionId: string; version: number; createdById: string | null };

/**
 * Claims up to `limit` due SCHEDULED rows, oldest first, and marks them DISPATCHED in one
 * statement. SKIP LOCKED lets concurrent dispatchers take disjoint sets. `organizationId` narrows
 * the claim to one organization (tests and benchmarks sharing a database).
 */
export function claimDuePublications(db: Db, now: Date, limit: number, organizationId: string | null = null) {
  return db.$queryRaw<ClaimedPublication[]>`
    UPDATE publications p
       SET status = 'DISPATCHED', dispatched_at = ${now}, attempts = 0, next_attempt_at = NULL, updated_at = ${now}
     WHERE p.id IN (
       SELECT id FROM publications
        WHERE status = 'SCHEDULED' AND scheduled_at <= ${now} AND deleted_at IS NULL
          AND (${organizationId}::text IS NULL OR organization_id = ${organizationId})
          -- A suspended organization's posts stay SCHEDULED (nothing claimed then abandoned); they go out on reactivation.
          AND organization_id IN (SELECT id FROM organizations WHERE status = 'ACTIVE')
        ORDER BY scheduled_at, id
        FOR UPDATE SKIP LOCKED
        LIMIT ${limit})
    RETURNING p.id, p.organization_id AS "organizationId", p.connection_id AS "connectionId", p.version, p.created_by_id AS "createdById"`;
}

/**
 * DISPATCHED rows whose run has not started (no attempt recorded) since `before`: the send failed
 * (queue unreachable) or the queue is that far behind. Their event goes out again with the SAME id:
 * if the first copy is stored, the queue drops the second (runs are unique per event id), so a
 * deep backlog is never re-queued behind itself; if it was never stored, this copy is the one.
 */
export function claimStalledDispatches(db: Db, before: Date, now: Date, limit: number, organizationId: string | null = null) {
  return db.$queryRaw<ClaimedPublication[]>`
    UPDATE publications p
       SET dispatched_at = ${now}, updated_at = ${now}
     WHERE p.id IN (
       SELECT id FROM publications
        WHERE status = 'DISPATCHED' AND attempts = 0 AND dispatched_at < ${before} AND deleted_at IS NULL
          AND (next_attempt_at IS NULL OR next_attempt_at <= ${now})
          AND (${organizationId}::text IS NULL OR organization_id = ${organizationId})
          -- A suspended organization's posts stay SCHEDULED (nothing claimed then abandoned); they go out on reactivation.
          AND organization_id IN (SELECT id FROM organizations WHERE status = 'ACTIVE')
        ORDER BY scheduled_at, id
        FOR UPDATE SKIP LOCKED
        LIMIT ${limit})
    RETURNING p.id, p.organization_id AS "organizationId", p.connection_id AS "connectionId", p.version, p.created_by_id AS "createdById"`;
}

// ─── Publish runs ───

/** Everything one publish step needs about its publication, content and account. */
export function findPublicationForRun(db: DbOrTx, organizationId: string, id: string) {
  return db.publication.findFirst({
    where: { id, organizationId },
    select: {
      ...rowSelect,
      deletedAt: true,
      variant: { select: { id: true, network: true, caption: true, hashtags: true, title: true, privacy: true } },
      content: {
        select: {
          id: true,
          title: true,
          baseCaption: true,
          deletedAt: true,
          createdById: true,
          media: {
            where: { deletedAt: null, status: "READY" },
            orderBy: [{ position: "asc" }, { createdAt: "asc" }],
            select: { id: true, storageKey: true, mimeType: true, sizeBytes: true, width: true, height: true, durationMs: true, thumbnailKey: true },
          },
        },
      },
      connection: { select: { id: true, provider: true, accountName: true, externalAccountId: true, status: true, deletedAt: true } },
    },
  });
}
export type PublicationForRun = NonNullable<Awaited<ReturnType<typeof findPublicationForRun>>>;

/**
 * Reserves `cost` units of a provider's daily quota for `day` (its own calendar day) in one
 * statement: true when they fit under `daily`, false (nothing reserved) otherwise.
 */
export async function reserveProviderQuota(db: DbOrTx, provider: "YOUTUBE", day: string, cost: number, daily: number) {
  if (cost > daily) return false;
  const rows = await db.$queryRaw<{ units: number }[]>`
    INSERT INTO provider_quota_usage (provider, day, units, updated_at)
    VALUES (${provider}::"Provider", ${day}::date, ${cost}, now())
    ON CONFLICT (provider, day) DO UPDATE
       SET units = provider_quota_usage.units + EXCLUDED.units, updated_at = now()
     WHERE provider_quota_usage.units + EXCLUDED.units <= ${daily}
    RETURNING units`;
  return rows.length === 1;
}

/**
 * Operations metric `app.publishing.overdue`: publications across all organizations (platform-wide
 * by design, a count only) whose time came more than `graceMs` ago and that have not gone out yet.
 */
export function countOverduePublications(db: DbOrTx, graceMs: number, now = new Date()) {
  return db.publication.count({
    where: { deletedAt: null, status: { in: ["SCHEDULED", "DISPATCHED", "PUBLISHING"] }, scheduledAt: { lt: new Date(now.getTime() - graceMs) } },
  });
}
