/**
 * What every connector shares, marketplace or social: the OAuth token set and code exchange, the
 * inbound webhook shape and the typed error a background function acts on.
 */
export type TokenSet = {
  accessToken: string;
  /** Null only when the provider issued none (never overwrite a stored one with null). */
  refreshToken: string | null;
  expiresAt: Date;
  refreshExpiresAt: Date | null;
  scopes: string[];
  externalAccountId: string;
  accountName?: string;
};

export type AuthorizationRequest = {
  state: string;
  redirectUri: string;
  /** PKCE S256 challenge (Mercado Livre); ignored by providers without PKCE. */
  codeChallenge?: string;
};

export type CodeExchange = {
  code: string;
  redirectUri: string;
  codeVerifier?: string;
  /** Every query parameter of the callback (Shopee sends shop_id next to code). */
  callbackParams: Record<string, string>;
};

export type InboundWebhook = { url: string; headers: Headers; rawBody: string };

/** Why a call failed, in terms a background function can act on. */
export type ConnectorErrorKind =
  | "rate_limited" // 429: back off for retryAfterMs and retry
  | "unauthorized" // access token expired/invalid: refresh, then retry once
  | "invalid_grant" // code/refresh token expired or already used: the seller must reconnect
  | "transient" // 5xx, timeout, network: retry with backoff
  | "refused" // the provider refused the request (business rule): do not retry
  | "outcome_unknown" // a mutation was sent and no answer came back: check the provider before any retry
  | "not_found";

export class ConnectorError extends Error {
  constructor(
    readonly kind: ConnectorErrorKind,
    message: string,
    readonly details: { status?: number; code?: string; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message);
    this.name = "ConnectorError";
  }
}

/** What a call acting for one connected account needs. */
export type AccountCredentials = {
  accessToken: string;
  /** Mercado Livre user id, Shopee shop_id, Instagram user id, TikTok open_id, YouTube channel id. */
  externalAccountId: string;
};

/**
 * What a failed call says about the provider's health, for the circuit breakers
 * (services/resilience): `down` — 5xx, timeouts, network errors, a mutation left without an answer;
 * `up` — the provider answered, even if with a no (a business refusal, a missing item, an expired
 * token); `unknown` — a 429 (counted only once it outlasts the caller's inline retries) or an
 * error that is not the provider's (a bug of ours must not open a breaker).
 */
export function providerHealthOf(error: unknown): "down" | "up" | "unknown" {
  if (!(error instanceof ConnectorError)) return "unknown";
  switch (error.kind) {
    case "transient":
    case "outcome_unknown":
      return "down";
    case "rate_limited":
      return "unknown";
    case "refused":
    case "not_found":
    case "unauthorized":
    case "invalid_grant":
      return "up";
  }
}
