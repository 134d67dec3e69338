import { prefixedTokens } from "../shared/tokens";

export { pkceS256 } from "../shared/tokens";

/**
 * Codes and tokens of the Mercado Livre sandbox, HMAC-signed with their own expiry (see
 * ../shared/tokens.ts); single use is tracked in MercadoLivreSandboxState.used.
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

// Refresh tokens and codes share "TG-"; the signature keeps one from reading as the other.
const tokens = prefixedTokens<TokenClaims, "jti">({ access: "APP_USR-", refresh: "TG-", code: "TG-" }, "jti");

export const issueToken = tokens.issue;

/** Claims of a well-formed, correctly signed token of `kind`, or null. Expiry is checked by callers. */
export const readToken = tokens.read;
