import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { paginate } from "./pagination";

/**
 * A person sees the organization's broadcast rows (userId null) and the ones addressed to them,
 * of the kinds their role and in-app preferences allow (computed by the service).
 */
function visibleTo(organizationId: string, userId: string, kinds: readonly string[]): Prisma.NotificationWhereInput {
  return { organizationId, kind: { in: [...kinds] }, OR: [{ userId: null }, { userId }] };
}

const unreadBy = (userId: string): Prisma.NotificationWhereInput => ({ reads: { none: { userId } } });

const selectFor = (userId: string) =>
  ({ id: true, kind: true, params: true, link: true, createdAt: true, reads: { where: { userId }, select: { readAt: true } } }) satisfies Prisma.NotificationSelect;

const created = { id: true, organizationId: true, userId: true, kind: true, createdAt: true } satisfies Prisma.NotificationSelect;

export function createNotification(
  db: DbOrTx,
  organizationId: string,
  data: { userId: string | null; kind: string; params: Prisma.InputJsonObject; link: string | null },
) {
  return db.notification.create({ data: { organizationId, ...data }, select: created });
}

export function listNotifications(
  db: DbOrTx,
  organizationId: string,
  userId: string,
  kinds: readonly string[],
  filter: { unreadOnly?: boolean; limit: number; cursor?: string },
) {
  return db.notification
    .findMany({
      where: { ...visibleTo(organizationId, userId, kinds), ...(filter.unreadOnly ? unreadBy(userId) : {}) },
      select: selectFor(userId),
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: filter.limit + 1,
      ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows.map(({ reads, ...n }) => ({ ...n, readAt: reads[0]?.readAt ?? null })), filter.limit));
}

export async function notificationVisible(db: DbOrTx, organizationId: string, userId: string, kinds: readonly string[], id: string) {
  return (await db.notification.count({ where: { id, ...visibleTo(organizationId, userId, kinds) } })) === 1;
}

export function countUnreadNotifications(db: DbOrTx, organizationId: string, userId: string, kinds: readonly string[]) {
  return db.notification.count({ where: { ...visibleTo(organizationId, userId, kinds), ...unreadBy(userId) } });
}

/** Marks one notification read for this person (the caller checked it is visible to them). */
export async function markNotificationRead(db: DbOrTx, userId: string, id: string, at: Date) {
  const result = await db.notificationRead.createMany({ data: [{ notificationId: id, userId, readAt: at }], skipDuplicates: true });
  return result.count;
}

export async function markAllNotificationsRead(db: DbOrTx, organizationId: string, userId: string, kinds: readonly string[], at: Date) {
  const unread = await db.notification.findMany({ where: { ...visibleTo(organizationId, userId, kinds), ...unreadBy(userId) }, select: { id: true } });
  if (unread.length === 0) return 0;
  const result = await db.notificationRead.createMany({ data: unread.map((n) => ({ notificationId: n.id, userId, readAt: at })), skipDuplicates: true });
  return result.count;
}

/** Recent notifications of one kind about the same subject (avoids a second alert for one event). */
export async function recentNotificationExists(db: DbOrTx, organizationId: string, kind: string, subjectKey: string, subjectId: string, since: Date) {
  const count = await db.notification.count({
    where: { organizationId, kind, createdAt: { gte: since }, params: { path: [subjectKey], equals: subjectId } },
  });
  return count > 0;
}

// ─── Preferences ───

const preferenceSelect = { category: true, inApp: true, email: true } satisfies Prisma.NotificationPreferenceSelect;

export function listNotificationPreferences(db: DbOrTx, organizationId: string, userId: string) {
  return db.notificationPreference.findMany({ where: { organizationId, userId }, select: preferenceSelect });
}

export async function saveNotificationPreferences(
  db: DbOrTx,
  organizationId: string,
  userId: string,
  rows: Array<{ category: string; inApp: boolean; email: boolean }>,
) {
  for (const { category, inApp, email } of rows) {
    await db.notificationPreference.upsert({
      where: { organizationId_userId_category: { organizationId, userId, category } },
      create: { organizationId, userId, category, inApp, email },
      update: { inApp, email },
    });
  }
}

/** Does anyone in the organization want this category by e-mail? (Saves a job when nobody does.) */
export async function anyoneWantsEmail(db: DbOrTx, organizationId: string, category: string, userId: string | null) {
  const count = await db.notificationPreference.count({ where: { organizationId, category, email: true, ...(userId ? { userId } : {}) } });
  return count > 0;
}

// ─── E-mail ───

export function findNotificationForEmail(db: DbOrTx, organizationId: string, id: string) {
  return db.notification.findFirst({
    where: { id, organizationId },
    select: { id: true, userId: true, kind: true, params: true, link: true, organization: { select: { name: true } } },
  });
}

/**
 * Members who may receive a notification's e-mail: the addressee (while still a member) or every
 * member, with their role, locale and stored choice for the category. Erased, banned and deleted
 * accounts get nothing.
 */
export function listEmailCandidates(db: DbOrTx, organizationId: string, userId: string | null, category: string) {
  return db.membership.findMany({
    where: { organizationId, ...(userId ? { userId } : {}), user: { deletedAt: null, erasedAt: null, bannedAt: null } },
    select: {
      role: true,
      user: {
        select: {
          id: true,
          email: true,
          locale: true,
          notificationPrefs: { where: { organizationId, category }, select: preferenceSelect },
        },
      },
    },
  });
}

/** Claims one e-mail; false when it was claimed (sent) before. */
export type EmailClaim = { kind: "claimed" } | { kind: "settled" } | { kind: "inFlight"; until: Date };

/**
 * Claims the e-mail of one notification to one person: a new claim, or the take-over of a claim
 * left unsettled for longer than `leaseMs` (its process died mid-send). Otherwise it is settled
 * (sent or logged) or another process is sending it now (until its lease ends).
 */
export async function claimNotificationEmail(db: DbOrTx, notificationId: string, userId: string, leaseMs: number, now = new Date()): Promise<EmailClaim> {
  const created = await db.notificationEmail.createMany({ data: [{ notificationId, userId, claimedAt: now }], skipDuplicates: true });
  if (created.count === 1) return { kind: "claimed" };
  const takenOver = await db.notificationEmail.updateMany({
    where: { notificationId, userId, settledAt: null, claimedAt: { lt: new Date(now.getTime() - leaseMs) } },
    data: { claimedAt: now },
  });
  if (takenOver.count === 1) return { kind: "claimed" };
  const row = await db.notificationEmail.findUnique({ where: { notificationId_userId: { notificationId, userId } }, select: { claimedAt: true, settledAt: true } });
  // Released between the two statements: the caller's retry claims it.
  if (!row) return { kind: "inFlight", until: now };
  return row.settledAt ? { kind: "settled" } : { kind: "inFlight", until: new Date(row.claimedAt.getTime() + leaseMs) };
}

export async function settleNotificationEmail(db: DbOrTx, notificationId: string, userId: string, delivered: boolean, now = new Date()) {
  await db.notificationEmail.updateMany({ where: { notificationId, userId }, data: { delivered, settledAt: now } });
}

/** A send that failed gives its claim back, so the retry sends it. */
export async function releaseNotificationEmail(db: DbOrTx, notificationId: string, userId: string) {
  await db.notificationEmail.deleteMany({ where: { notificationId, userId, settledAt: null } });
}

/**
 * System (across tenants, for the e-mail sweep cron): notifications created in [from, to) in
 * organizations where someone asked for e-mail at all, oldest first.
 */
export function recentNotificationsWithEmailWanted(db: DbOrTx, from: Date, to: Date, limit: number) {
  return db.notification.findMany({
    where: { createdAt: { gte: from, lt: to }, organization: { notificationPrefs: { some: { email: true } } } },
    select: { id: true, organizationId: true, userId: true, kind: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
}
