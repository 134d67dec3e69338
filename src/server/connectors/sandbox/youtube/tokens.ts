import { prefixedTokens } from "../shared/tokens";

export { pkceS256 } from "../shared/tokens";

/**
 * Google-looking sandbox tokens (ya29.… access tokens, 1//… refresh tokens, 4/… codes), HMAC-signed
 * with their own expiry (see ../shared/tokens.ts). Single use of codes and the "last used" time of
 * refresh tokens are tracked in memory by the sandbox.
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

const tokens = prefixedTokens<TokenClaims, "jti">({ access: "ya29.", refresh: "1//", code: "4/" }, "jti");

export const issueToken = tokens.issue;

/** Claims of a well-formed, correctly signed token of `kind`, or null. Expiry is checked by callers. */
export const readToken = tokens.read;
