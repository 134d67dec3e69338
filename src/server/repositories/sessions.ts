import type { DbOrTx } from "~/server/db";

/**
 * Ends every live session (and API access token) of a user, but `exceptSessionId`. Returns the
 * ended ids so the caller can also put them on the Redis denylist.
 */
export async function revokeLiveSessions(db: DbOrTx, userId: string, reason: string, exceptSessionId?: string) {
  const live = await db.userSession.findMany({
    where: { userId, revokedAt: null, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) },
    select: { id: true, expiresAt: true },
  });
  if (live.length === 0) return [];
  await db.userSession.updateMany({
    where: { id: { in: live.map((s) => s.id) }, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return live;
}

export function createSession(
  db: DbOrTx,
  data: { userId: string; kind: "WEB" | "API"; ip?: string; userAgent?: string; expiresAt: Date; stepUpAt?: Date },
) {
  return db.userSession.create({ data, select: { id: true, expiresAt: true } });
}

export function findSessionState(db: DbOrTx, id: string) {
  return db.userSession.findUnique({ where: { id }, select: { id: true, userId: true, expiresAt: true, revokedAt: true } });
}

/** The conditional write keeps several app instances from all writing the same minute. */
export function touchSession(db: DbOrTx, id: string, now: Date, staleBefore: Date, ip?: string) {
  return db.userSession.updateMany({
    where: { id, revokedAt: null, lastSeenAt: { lt: staleBefore } },
    data: { lastSeenAt: now, ...(ip ? { ip } : {}) },
  });
}

export function listUserSessions(db: DbOrTx, userId: string, since: Date) {
  return db.userSession.findMany({
    where: { userId, revokedAt: null, expiresAt: { gt: since } },
    orderBy: [{ lastSeenAt: "desc" }],
    select: { id: true, kind: true, ip: true, userAgent: true, createdAt: true, lastSeenAt: true, expiresAt: true },
  });
}

/** Ends one live session of the user; null when it is not theirs (or already ended). */
export async function revokeOwnSession(db: DbOrTx, userId: string, id: string, reason: string) {
  const row = await db.userSession.findFirst({ where: { id, userId, revokedAt: null }, select: { id: true, expiresAt: true } });
  if (!row) return null;
  await db.userSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), revokedReason: reason } });
  return row;
}

export function findPasswordHash(db: DbOrTx, userId: string) {
  return db.user.findFirst({ where: { id: userId, deletedAt: null }, select: { id: true, name: true, email: true, passwordHash: true } });
}

export function setPasswordHash(db: DbOrTx, userId: string, passwordHash: string, now: Date) {
  return db.user.update({ where: { id: userId }, data: { passwordHash, passwordChangedAt: now }, select: { id: true } });
}
