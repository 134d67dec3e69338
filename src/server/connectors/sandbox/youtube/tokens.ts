import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * Google-looking sandbox tokens (ya29.… access tokens, 1//… refresh tokens, 4/… codes), HMAC-signed
 * with their own expiry so they survive app restarts without a database. Single use of codes and
 * the "last used" time of refresh tokens are tracked in memory by the sandbox.
 */
export type TokenKind = "access" | "refresh" | "code";

export type TokenClaims = {
  k: TokenKind;
  jti: string;
  /** OAuth client id. */
  c: string;
  /** Channel id. */
  u: string;
  s: string[];
  /** Issued at / expiry, ms since epoch (refresh tokens: expiry 0 = none, Google's sliding rule applies). */
  i: number;
  e: number;
  /** Codes only: redirect_uri and PKCE challenge; whether the consent was forced (prompt=consent). */
  r?: string;
  pc?: string;
  pm?: "S256" | "plain";
  pr?: boolean;
};

const PREFIX: Record<TokenKind, string> = { access: "ya29.", refresh: "1//", code: "4/" };

function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function issueToken(secret: string, claims: Omit<TokenClaims, "jti">): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, jti: randomUUID() })).toString("base64url");
  return `${PREFIX[claims.k]}${payload}.${sign(secret, `${claims.k}:${payload}`)}`;
}

/** Claims of a well-formed, correctly signed token of `kind`, or null. Expiry is checked by callers. */
export function readToken(secret: string, token: string, kind: TokenKind): TokenClaims | null {
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
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as TokenClaims;
    return claims.k === kind ? claims : null;
  } catch {
    return null;
  }
}

/** RFC 7636 S256: BASE64URL(SHA256(ascii(code_verifier))). */
export function pkceS256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}
