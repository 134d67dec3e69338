import { checkPasswordStrength, hashPassword, verifyPassword } from "~/server/auth/password";
import { AppError } from "~/server/lib/errors";
import { findPasswordHash, setPasswordHash } from "~/server/repositories/sessions";
import { audit } from "../audit";
import type { UserCtx } from "../context";
import { signInAccountLimiter, signInIpLimiter } from "./accounts";
import { revokeUserSessions } from "./sessions";

/**
 * Changes the caller's password: the current one must be right (and guessing it spends the same
 * budget as a wrong sign-in), the new one follows the sign-up rules. Every other session and API
 * token ends at once; the caller's own browser stays signed in.
 */
export async function changePassword(ctx: UserCtx, input: { currentPassword: string; newPassword: string }) {
  const user = await findPasswordHash(ctx.db, ctx.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "invalidCredentials", "Sign in to continue");
  const ipKey = ctx.request.ip ?? "unknown";
  const limits = { ip: signInIpLimiter, account: signInAccountLimiter };
  for (const [limiter, key] of [[limits.ip, ipKey], [limits.account, user.email]] as const) {
    const { blocked, retryAfterSeconds } = await limiter.isBlocked(key);
    if (blocked) throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many attempts, try again later", { retryAfterSeconds });
  }
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    await Promise.all([limits.ip.consume(ipKey).catch(() => undefined), limits.account.consume(user.email).catch(() => undefined)]);
    throw new AppError("BAD_REQUEST", "currentPasswordWrong", "The current password is not right", { field: "currentPassword" });
  }
  const problem = checkPasswordStrength(input.newPassword, [user.name, user.email]);
  if (problem) throw new AppError("BAD_REQUEST", `password.${problem}`, "Choose a stronger password", { field: "newPassword" });
  if (input.newPassword === input.currentPassword) {
    throw new AppError("BAD_REQUEST", "passwordUnchanged", "The new password is the same as the current one", { field: "newPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const revoked = await ctx.db.$transaction(async (tx) => {
    await setPasswordHash(tx, user.id, passwordHash, new Date());
    await audit(tx, { organizationId: null, userId: user.id, request: ctx.request }, "user.password_changed", { type: "user", id: user.id });
    return revokeUserSessions(tx, user.id, "password_changed", { exceptSessionId: ctx.sessionId });
  });
  await limits.account.reset(user.email);
  return { ok: true as const, revokedSessions: revoked };
}
