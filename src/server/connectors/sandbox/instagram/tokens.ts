import { prefixedTokens } from "../shared/tokens";

/**
 * Codes and tokens of the Instagram sandbox: HMAC-signed with their own claims (account, scopes,
 * issue and expiry times), see ../shared/tokens.ts. Single use of codes is tracked in memory by the
 * sandbox.
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
const tokens = prefixedTokens<IgTokenClaims, "j">({ code: "AQ", short: "IGAAS", long: "IGAAL" }, "j");

export const issueIgToken = tokens.issue;

/** Claims of a correctly signed token of one of `kinds`, or null. Expiry is checked by callers. */
export const readIgToken = tokens.read;
