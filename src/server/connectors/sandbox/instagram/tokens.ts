import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * Codes and tokens of the Instagram sandbox: HMAC-signed with their own claims (account, scopes,
 * issue and expiry times), so they stay valid across restarts without a database. Single use of
 * codes is tracked in memory by the sandbox.
 */
export type IgTokenKind = "code" | "short" | "long";

export type IgTokenClaims = {
  k: IgTokenKind;
  /** Unique id (single-use tracking). */
  j: string;
  /** App (client) id. */
  c: string;
  /** Instagram user id. */
  u: string;
  s: string[];
  /** Issued at / expires at, ms since epoch. */
  i: number;
  e: number;
  /** Codes: the redirect_uri they were issued for. */
  r?: string;
};

// Instagram Login tokens start with "IGAA"; codes are opaque strings.
const PREFIX: Record<IgTokenKind, string> = { code: "AQ", short: "IGAAS", long: "IGAAL" };

function sign(secret: string, payload: string): string {
  return createHmac("sha256", secret).update(payload).digest("base64url");
}

export function issueIgToken(secret: string, claims: Omit<IgTokenClaims, "j">): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, j: randomUUID() })).toString("base64url");
  return `${PREFIX[claims.k]}${payload}.${sign(secret, `${claims.k}:${payload}`)}`;
}

/** Claims of a correctly signed token of one of `kinds`, or null. Expiry is checked by callers. */
export function readIgToken(secret: string, token: string, kinds: IgTokenKind[]): IgTokenClaims | null {
  for (const kind of kinds) {
    const prefix = PREFIX[kind];
    if (!token.startsWith(prefix)) continue;
    const body = token.slice(prefix.length);
    const dot = body.lastIndexOf(".");
    if (dot <= 0) return null;
    const payload = body.slice(0, dot);
    const expected = Buffer.from(sign(secret, `${kind}:${payload}`));
    const given = Buffer.from(body.slice(dot + 1));
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as IgTokenClaims;
      return claims.k === kind ? claims : null;
    } catch {
      return null;
    }
  }
  return null;
}
