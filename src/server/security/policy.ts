import { env } from "~/env";
import { isCrossOriginCookieWrite } from "~/server/api/openapi/dispatch";
import { jsonError } from "~/server/lib/http";
import { correlationIdFrom } from "~/server/lib/request-meta";

import { API_CSP, baseSecurityHeaders, originsOf, pageCsp } from "./headers";

// The providers' real consent hosts: used when only credentials are set (the connectors then talk
// to the real hosts), so the CSP never lags behind the connector's choice.
const REAL_CONSENT_HOSTS = [
  "https://auth.mercadolivre.com.br",
  "https://partner.shopeemobile.com",
  "https://openplatform.shopee.com.br",
  "https://www.instagram.com",
  "https://www.tiktok.com",
  "https://accounts.google.com",
];

export function formActionOrigins(): string[] {
  return [
    ...REAL_CONSENT_HOSTS,
    ...originsOf([env.MERCADOLIVRE_AUTH_URL, env.SHOPEE_API_URL, env.INSTAGRAM_AUTH_URL, env.TIKTOK_AUTH_URL, env.GOOGLE_OAUTH_URL]),
  ];
}

const https = () => env.APP_URL.startsWith("https:");

/** Sets the security headers of a page (with its nonce) or of an API response. */
export function applySecurityHeaders(headers: Headers, kind: { api: true; csp?: boolean } | { api: false; nonce: string }) {
  for (const [name, value] of Object.entries(baseSecurityHeaders({ https: https() }))) headers.set(name, value);
  if (kind.api && kind.csp === false) return;
  headers.set(
    "Content-Security-Policy",
    kind.api ? API_CSP : pageCsp({ nonce: kind.nonce, dev: env.NODE_ENV === "development", formActionOrigins: formActionOrigins() }),
  );
}

export function newNonce(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
}

/** Browser origins allowed to call /api/v1 (exact match): the app's own and CORS_ALLOWED_ORIGINS. */
export function corsAllowedOrigins(): Set<string> {
  const extra = (env.CORS_ALLOWED_ORIGINS ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  return new Set([new URL(env.APP_URL).origin, ...originsOf(extra)]);
}

const CORS_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Correlation-Id";

/**
 * CORS for /api/v1: only allowed origins get Access-Control-* headers (never credentials for other
 * origins: the API's cross-origin use is bearer tokens). Returns the preflight answer for OPTIONS.
 */
export function corsFor(request: Request, correlationId: string): { preflight: Response | null; headers: Headers } {
  const headers = new Headers({ Vary: "Origin" });
  const origin = request.headers.get("origin");
  const allowed = origin !== null && corsAllowedOrigins().has(origin);
  if (allowed) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Allow-Methods", CORS_METHODS);
    headers.set("Access-Control-Allow-Headers", CORS_HEADERS);
    headers.set("Access-Control-Expose-Headers", "X-Correlation-Id, Retry-After");
    headers.set("Access-Control-Max-Age", "600");
    if (origin === new URL(env.APP_URL).origin) headers.set("Access-Control-Allow-Credentials", "true");
  }
  if (request.method !== "OPTIONS" || !request.headers.get("access-control-request-method")) return { preflight: null, headers };
  if (!allowed) return { preflight: jsonError("FORBIDDEN", "Origin not allowed", { correlationId, headers, reason: "originNotAllowed" }), headers };
  return { preflight: new Response(null, { status: 204, headers }), headers };
}

/** The sandboxes' gate: off (uniform 404, as an unknown route) unless ENABLE_SANDBOXES. */
export function sandboxGate(enabled: boolean = env.ENABLE_SANDBOXES): Response | null {
  if (enabled) return null;
  const response = jsonError("NOT_FOUND", "Not found", { reason: "routeNotFound" });
  applySecurityHeaders(response.headers, { api: true });
  return response;
}

/** CSRF for the tRPC route: a cookie-authenticated mutation from another site is a uniform 403. */
export function csrfRefusal(request: Request): Response | null {
  if (!isCrossOriginCookieWrite(request)) return null;
  return jsonError("FORBIDDEN", "Cross-origin requests with the session cookie cannot change anything", {
    correlationId: correlationIdFrom(request.headers),
    reason: "crossOrigin",
  });
}
