import "server-only";

import type { Db } from "~/server/db";
import { authenticate } from "../accounts/accounts";
import type { RequestMeta } from "../context";
import { startApiSession } from "../accounts/sessions";
import { accessTokenExpiry, issueAccessToken } from "./access-tokens";

/**
 * POST /api/v1/auth/login: the same credentials check as the web sign-in (its per-IP and
 * per-account limiters, the same `invalidCredentials` refusal for an unknown e-mail, a wrong
 * password and a banned or deleted account, the same second-factor check: `otp` is required
 * (`twoFactorRequired`) for an account with 2FA on, a TOTP code or a recovery code, and a wrong one
 * is `invalidTwoFactorCode` and counts against the limiters) answered with a short-lived access token.
 */
export async function loginWithPassword(db: Db, request: RequestMeta, credentials: { email: string; password: string; otp?: string }) {
  const user = await authenticate(db, request, credentials);
  // The token's own UserSession: listed and revocable like a browser session.
  const now = new Date();
  const session = await startApiSession(db, { userId: user.id, ip: request.ip, userAgent: request.userAgent, expiresAt: accessTokenExpiry(now) });
  const { token, expiresAt } = issueAccessToken(user.id, now, session.id);
  return { token, tokenType: "Bearer" as const, expiresAt };
}
