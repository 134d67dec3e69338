import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * Sandbox codes and tokens are HMAC-signed and carry their own claims and expiry, so they stay
 * valid across app restarts and dev reloads without a database: the demo keeps working after
 * `npm run dev` restarts. What cannot be stateless — "this code / refresh token was already used" —
 * is tracked in memory by each sandbox; after a restart a used refresh token could be replayed once
 * more, which only matters to the sandbox.
 */

/** HMAC-SHA256 of `data`, base64url. */
export function hmacBase64url(key: string | Buffer, data: string): string {
  return createHmac("sha256", key).update(data).digest("base64url");
}

/** Constant-time comparison of two MACs. */
export function macMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function encodeClaims(claims: object): string {
  return Buffer.from(JSON.stringify(claims)).toString("base64url");
}

/** The parsed payload, or null when it is not JSON. The MAC must have been checked first. */
export function decodeClaims<T>(payload: string): T | null {
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as T;
  } catch {
    return null;
  }
}

/**
 * Issue/read of tokens shaped `<prefix><payload>.<mac>`, the MAC over `<kind>:<payload>`: a token of
 * one kind never reads as another, even where two kinds share a prefix. `idField` names the claim
 * that carries a random unique id (single-use tracking keys on it).
 */
export function prefixedTokens<C extends { k: string }, Id extends Exclude<keyof C, "k"> & string>(
  prefixes: Record<C["k"], string>,
  idField: Id,
) {
  type Kind = C["k"];

  function issue(secret: string, claims: Omit<C, Id>): string {
    const kind = (claims as unknown as C).k as Kind;
    const payload = encodeClaims({ ...claims, [idField]: randomUUID() });
    return `${prefixes[kind]}${payload}.${hmacBase64url(secret, `${kind}:${payload}`)}`;
  }

  /** Claims of a well-formed, correctly signed token of (one of) `kinds`, or null. Expiry is checked by callers. */
  function read(secret: string, token: string, kinds: Kind | readonly Kind[]): C | null {
    for (const kind of typeof kinds === "string" ? [kinds as Kind] : (kinds as readonly Kind[])) {
      const prefix = prefixes[kind];
      if (!token.startsWith(prefix)) continue;
      const body = token.slice(prefix.length);
      const dot = body.lastIndexOf(".");
      if (dot <= 0) return null;
      const payload = body.slice(0, dot);
      if (!macMatches(hmacBase64url(secret, `${kind}:${payload}`), body.slice(dot + 1))) return null;
      const claims = decodeClaims<C>(payload);
      return claims?.k === kind ? claims : null;
    }
    return null;
  }

  return { issue, read };
}

/** RFC 7636 S256: BASE64URL(SHA256(ascii(code_verifier))). */
export function pkceS256(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}
