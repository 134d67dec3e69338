// Plain JavaScript (with JSDoc types) so next.config.mjs can import it as well as the proxy: one
// source for the security headers of every response.

/**
 * Headers every response carries (pages, API, static assets, media, sandboxes).
 * @param {{ https: boolean }} options
 */
export function baseSecurityHeaders({ https }) {
  /** @type {Record<string, string>} */
  const headers = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
  // Over plain http (local dev, e2e) HSTS would pin localhost to https for two years.
  if (https) headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains";
  return headers;
}

/** API responses are data, never documents: nothing may load or frame them. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/**
 * The page CSP. Scripts run only with the request's nonce (Next adds it to its own scripts when it
 * finds it in the request's CSP) and what those load ('strict-dynamic').
 * @param {{ nonce: string, dev: boolean, formActionOrigins: string[] }} options
 */
export function pageCsp({ nonce, dev, formActionOrigins }) {
  return [
    "default-src 'self'",
    // React Refresh evaluates code in development only.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline styles stay allowed (issue 10 accepts it): Next's font loader, sonner and Radix set
    // style attributes at run time that no nonce can cover; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    // Listing and post thumbnails come from the providers' CDNs (mlstatic, Shopee, Meta, TikTok,
    // YouTube), whose hosts vary: any https image is allowed. Images cannot run code.
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    // The connect flow is a form POST that redirects to the provider's consent page; Chrome checks
    // form-action against that redirect too.
    `form-action ${["'self'", ...new Set(formActionOrigins)].join(" ")}`,
  ].join("; ");
}

/** The origin of each URL that parses; others are dropped. */
export function originsOf(/** @type {(string | undefined)[]} */ urls) {
  /** @type {string[]} */
  const origins = [];
  for (const url of urls) {
    if (!url) continue;
    try {
      origins.push(new URL(url).origin);
    } catch {
      // An invalid URL is env.js's to refuse.
    }
  }
  return origins;
}
