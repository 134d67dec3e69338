import { createHmac, randomBytes } from "node:crypto";

import { decodeClaims, encodeClaims, hmacBase64url, macMatches } from "../shared/tokens";

/**
 * Sandbox credentials that verify without server state: `<kind>.<payload>.<mac>` where the payload
 * (base64url JSON) carries the shop, partner, expiry and a nonce, and the MAC is HMAC-SHA256 under a
 * key derived from a secret (the app's AUTH_SECRET when mounted in the app). A restarted dev server therefore still accepts the tokens it
 * issued before (connected sandbox shops survive a restart); what needs memory — single use of
 * codes and refresh tokens, the 5-minute grace of a rotated access token, a deauthorized shop — is
 * tracked in the sandbox instance and simply forgotten on restart.
 */
export type TokenKind = "code" | "access" | "refresh";

export type TokenPayload = {
  k: TokenKind;
  /** shop_id */
  s: number;
  /** partner_id */
  p: number;
  /** issued at, ms */
  iat: number;
  /** expires at, ms */
  exp: number;
  /** when the seller authorized, ms (carried through refreshes for get_shop_info) */
  at: number;
  /** unique id: single-use tracking and rotation */
  n: string;
};

const PREFIX: Record<TokenKind, string> = { code: "sc", access: "sa", refresh: "sr" };

export class TokenMint {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac("sha256", secret).update("super-seller-shopee-sandbox-tokens").digest();
  }

  issue(kind: TokenKind, fields: Omit<TokenPayload, "k" | "n">): { token: string; payload: TokenPayload } {
    const payload: TokenPayload = { k: kind, ...fields, n: randomBytes(9).toString("base64url") };
    const body = encodeClaims(payload);
    return { token: `${PREFIX[kind]}.${body}.${hmacBase64url(this.key, body)}`, payload };
  }

  /** The payload when the MAC holds and the kind matches; expiry is the caller's call. */
  read(kind: TokenKind, token: string | null | undefined): TokenPayload | null {
    if (!token) return null;
    const [prefix, body, mac] = token.split(".");
    if (prefix !== PREFIX[kind] || !body || !mac) return null;
    if (!macMatches(hmacBase64url(this.key, body), mac)) return null;
    const payload = decodeClaims<TokenPayload>(body);
    return payload?.k === kind ? payload : null;
  }
}
