import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * Sandbox tokens and authorization codes are HMAC-signed and carry their own expiry, so they stay
 * valid across app restarts and dev reloads without a database: the demo keeps working after
 * `npm run dev` restarts. What cannot be stateless — "this code / refresh token was already used" —
 * is tracked in memory (see MercadoLivreSandboxState.used); after a restart a used refresh token
 * could be replayed once more, which only matters to the sandbox.
 */
export type TokenKind = "access" | "refresh" | "code";

export type TokenClaims = {
  k: TokenKind;
  /** Unique id: single-use tracking keys on it. */
  jti: string;
  /** Application (client) id. */
  c: string;
  /** Seller (user) id. */
  u: number;
  /** Scopes. */
  s: string[];
  /** Expiry, ms since epoch. */
  e: number;
  /** Codes only: redirect_uri and PKCE challenge the code was issued for. */
  r?: string;
  pc?: string;
  pm?: "S256" | "plain";
};

const PREFIX: Record<TokenKind, string> = { access: "APP_USR-", refresh: "TG-", code: "TG-" };

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
