import { prefixedTokens } from "../shared/tokens";

export { pkceS256 } from "../shared/tokens";

/**
 * Codes and tokens of the TikTok sandbox, HMAC-signed with their own expiry (see
 * ../shared/tokens.ts). Single use of codes and refresh tokens is tracked in memory by the sandbox.
 * PKCE is S256: TikTok's web Login Kit accepts it (and, oddly,
 * documents a hex variant for desktop).
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
const tokens = prefixedTokens<TikTokTokenClaims, "jti">({ access: "act.", refresh: "rft.", code: "code." }, "jti");

export const issueTikTokToken = tokens.issue;

/** Claims of a well-formed, correctly signed token of `kind`, or null. Expiry is checked by callers. */
export const readTikTokToken = tokens.read;
