import type { DbOrTx } from "~/server/db";
import { revokeLiveSessions } from "~/server/repositories/sessions";

/**
 * Signs a user out everywhere (password change, account erasure, "sign out everywhere", a ban):
 * every live session and API access token ends at its next request. `exceptSessionId` keeps the
 * caller's own session. Returns how many ended.
 */
export async function revokeUserSessions(
  db: DbOrTx,
  userId: string,
  reason: string,
  opts: { exceptSessionId?: string } = {},
): Promise<number> {
  const ended = await revokeLiveSessions(db, userId, reason, opts.exceptSessionId);
  return ended.length;
}
