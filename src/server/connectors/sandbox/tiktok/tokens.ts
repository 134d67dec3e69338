import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * Sandbox tokens and codes are HMAC-signed and carry their own expiry, so they survive app restarts
 * without a database (same idea as the Mercado Livre sandbox). What cannot be stateless — "this code
 * or refresh token was already used" — is tracked in memory by the sandbox.
 */
export type TikTokTokenKind = "access" | "refresh" | "code";

export type TikTokTokenClaims = {
  k: TikTokTokenKind;
  jti: string;
  /** client_key */
  c: string;
  /** open_id */
  o: string;
  /** scopes */
  s: string[];
  /** expiry, ms since epoch */
  e: number;
  /** codes only: redirect_uri and PKCE challenge */
  r?: string;
  pc?: string;
};

// TikTok's own prefixes: access tokens start with "act.", refresh tokens with "rft.".
const PREFIX: Record<TikTokTokenKind, string> = { access: "act.", refresh: "rft.", code: "code." };

function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function issueTikTokToken(secret: string, claims: Omit<TikTokTokenClaims, "jti">): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString("base64url");
  return `${PREFIX[claims.k]}${payload}.${sign(secret, `${claims.k}:${payload}`)}`;
}

/** Claims of a well-formed, correctly signed token of `kind`, or null. Expiry is checked by callers. */
export function readTikTokToken(secret: string, token: string, kind: TikTokTokenKind): TikTokTokenClaims | null {
  const prefix = PREFIX[kind];
  if (!token.startsWith(prefix)) return null;
  const body = token.slice(prefix.length);
  const dot = body.lastIndexOf(".");
  if (dot <= 0) return null;
  const payload = body.slice(0, dot);
  const expected = Buffer.from(sign(secret, `${kind}:${payload}`));
  const given = Buffer.from(body.slice(dot + 1));
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TikTokTokenClaims;
    return claims.k === kind ? claims : null;
  } catch {
    return null;
  }
}

/** RFC 7636 S256. TikTok's web Login Kit accepts it (and, oddly, documents a hex variant for desktop). */
export function pkceS256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}
