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
