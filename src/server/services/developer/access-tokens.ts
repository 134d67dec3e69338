import "server-only";

import { createHmac } from "node:crypto";

import { env } from "~/env";
import { safeEqual } from "~/server/lib/crypto";
import { ACCESS_TOKEN_PREFIX } from "./credential-types";

/**
 * Access tokens from POST /api/v1/auth/login: `sst_<payload>.<signature>`, the payload being
 * base64url JSON `{ sub, exp }` signed with HMAC-SHA256 under a key derived from AUTH_SECRET.
 * Stateless: a banned or deleted user's token stops working because every protected call re-reads
 * the user; a token cannot outlive API_TOKEN_TTL_MINUTES.
 */
const signingKey = () => createHmac("sha256", env.AUTH_SECRET).update("super-seller/api-access-token/v1").digest();

function sign(payload: string): string {
  return createHmac("sha256", signingKey()).update(payload).digest("base64url");
}

export function issueAccessToken(userId: string, now = new Date()): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + env.API_TOKEN_TTL_MINUTES * 60_000);
  const payload = Buffer.from(JSON.stringify({ sub: userId, exp: Math.floor(expiresAt.getTime() / 1000) })).toString("base64url");
  return { token: `${ACCESS_TOKEN_PREFIX}${payload}.${sign(payload)}`, expiresAt };
}

/** The user id of a valid, unexpired token; null for anything else. */
export function verifyAccessToken(token: string, now = new Date()): string | null {
  if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return null;
  const [payload, signature, extra] = token.slice(ACCESS_TOKEN_PREFIX.length).split(".");
  if (!payload || !signature || extra !== undefined || !safeEqual(signature, sign(payload))) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown; exp?: unknown };
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return null;
    return claims.exp * 1000 > now.getTime() ? claims.sub : null;
  } catch {
    return null;
  }
}
