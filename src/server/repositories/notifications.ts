import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { paginate } from "./pagination";

/** A person sees the organization's broadcast rows (userId null) and the ones addressed to them. */
function visibleTo(organizationId: string, userId: string): Prisma.NotificationWhereInput {
  return { organizationId, OR: [{ userId: null }, { userId }] };
}

const select = { id: true, kind: true, params: true, link: true, readAt: true, createdAt: true } satisfies Prisma.NotificationSelect;

export function createNotification(
  db: DbOrTx,
  organizationId: string,
  data: { userId: string | null; kind: string; params: Prisma.InputJsonObject; link: string | null },
) {
  return db.notification.create({ data: { organizationId, ...data }, select });
}

export function listNotifications(db: DbOrTx, organizationId: string, userId: string, filter: { unreadOnly?: boolean; limit: number; cursor?: string }) {
  return db.notification
    .findMany({
      where: { ...visibleTo(organizationId, userId), ...(filter.unreadOnly ? { readAt: null } : {}) },
      select,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: filter.limit + 1,
      ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, filter.limit));
}

export async function notificationVisible(db: DbOrTx, organizationId: string, userId: string, id: string) {
  return (await db.notification.count({ where: { id, ...visibleTo(organizationId, userId) } })) === 1;
}

export function countUnreadNotifications(db: DbOrTx, organizationId: string, userId: string) {
  return db.notification.count({ where: { ...visibleTo(organizationId, userId), readAt: null } });
}

export async function markNotificationRead(db: DbOrTx, organizationId: string, userId: string, id: string, at: Date) {
  const result = await db.notification.updateMany({ where: { id, ...visibleTo(organizationId, userId), readAt: null }, data: { readAt: at } });
  return result.count;
}

export async function markAllNotificationsRead(db: DbOrTx, organizationId: string, userId: string, at: Date) {
  const result = await db.notification.updateMany({ where: { ...visibleTo(organizationId, userId), readAt: null }, data: { readAt: at } });
  return result.count;
}

/** Recent notifications of one kind about the same subject (avoids a second alert for one event). */
export async function recentNotificationExists(db: DbOrTx, organizationId: string, kind: string, subjectKey: string, subjectId: string, since: Date) {
  const count = await db.notification.count({
    where: { organizationId, kind, createdAt: { gte: since }, params: { path: [subjectKey], equals: subjectId } },
  });
  return count > 0;
}
