import "server-only";

import { createHmac } from "node:crypto";

import { env } from "~/env";
import { safeEqual } from "~/server/lib/crypto";
import { ACCESS_TOKEN_PREFIX } from "./credential-types";

/**
 * Access tokens from POST /api/v1/auth/login: `sst_<payload>.<signature>`, the payload being
 * base64url JSON `{ sub, exp }` signed with HMAC-SHA256 under a key derived from AUTH_SECRET.
 * `sid` names the API-kind UserSession behind the token: revoking it (the session list, a password
 * change, "sign out everywhere") ends the token at its next call (see credentials.ts). A banned or
 * deleted user's token also stops working because every protected call re-reads the user; a token
 * cannot outlive API_TOKEN_TTL_MINUTES.
 */
const signingKey = () => createHmac("sha256", env.AUTH_SECRET).update("super-seller/api-access-token/v1").digest();

function sign(payload: string): string {
  return createHmac("sha256", signingKey()).update(payload).digest("base64url");
}

export function accessTokenExpiry(now = new Date()): Date {
  return new Date(now.getTime() + env.API_TOKEN_TTL_MINUTES * 60_000);
}

export function issueAccessToken(userId: string, now = new Date(), sessionId?: string): { token: string; expiresAt: Date } {
  const expiresAt = accessTokenExpiry(now);
  const claims = { sub: userId, exp: Math.floor(expiresAt.getTime() / 1000), ...(sessionId ? { sid: sessionId } : {}) };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return { token: `${ACCESS_TOKEN_PREFIX}${payload}.${sign(payload)}`, expiresAt };
}

/** The user id of a valid, unexpired token; null for anything else. */
export function verifyAccessToken(token: string, now = new Date()): string | null {
  return readAccessToken(token, now)?.userId ?? null;
}

/** The claims of a valid, unexpired token (`sessionId` absent in tokens issued without one). */
export function readAccessToken(token: string, now = new Date()): { userId: string; sessionId?: string } | null {
  if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return null;
  const [payload, signature, extra] = token.slice(ACCESS_TOKEN_PREFIX.length).split(".");
  if (!payload || !signature || extra !== undefined || !safeEqual(signature, sign(payload))) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown; exp?: unknown; sid?: unknown };
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return null;
    if (claims.exp * 1000 <= now.getTime()) return null;
    return { userId: claims.sub, ...(typeof claims.sid === "string" ? { sessionId: claims.sid } : {}) };
  } catch {
    return null;
  }
}
