import "server-only";

import type { Db } from "~/server/db";
import { authenticate } from "../accounts/accounts";
import type { RequestMeta } from "../context";
import { issueAccessToken } from "./access-tokens";

/**
 * POST /api/v1/auth/login: the same credentials check as the web sign-in (its per-IP and
 * per-account limiters, the same `invalidCredentials` refusal for an unknown e-mail, a wrong
 * password and a banned or deleted account) answered with a short-lived access token.
 */
export async function loginWithPassword(db: Db, request: RequestMeta, credentials: { email: string; password: string }) {
  const user = await authenticate(db, request, credentials);
  const { token, expiresAt } = issueAccessToken(user.id);
  return { token, tokenType: "Bearer" as const, expiresAt };
}
