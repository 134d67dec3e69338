import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The offline API reference at /api/v1/docs: Swagger UI served from the installed
 * `swagger-ui-dist` package (no CDN, no fonts, no validator badge), pointed at our OpenAPI document.
 * Every request the page makes stays on the app's origin; the Content-Security-Policy enforces it.
 */

export const DOCS_PATH = "/api/v1/docs";
export const ASSETS_PATH = `${DOCS_PATH}/assets`;
export const OPENAPI_PATH = "/api/v1/openapi.json";

/** The swagger-ui-dist files the page needs. Nothing else in the package is served. */
const PACKAGE_FILES = {
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "swagger-ui.css": "text/css; charset=utf-8",
} as const;

// Our own init script (a same-origin file, so the CSP needs no 'unsafe-inline' nor nonce).
const INIT_JS = `"use strict";
window.addEventListener("load", function () {
  window.ui = window.SwaggerUIBundle({
    url: ${JSON.stringify(OPENAPI_PATH)},
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    tryItOutEnabled: true,
    displayRequestDuration: true,
    filter: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

const DOCS_CSS = `
body { margin: 0; background: #fafafa; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.ss-header { background: #111827; color: #f9fafb; padding: 16px 24px; }
.ss-header h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
.ss-header p { margin: 0 0 8px; font-size: 14px; color: #d1d5db; max-width: 72ch; }
.ss-header nav { display: flex; flex-wrap: wrap; gap: 16px; font-size: 14px; }
.ss-header a { color: #93c5fd; text-decoration: underline; text-underline-offset: 2px; }
.ss-header a:focus-visible { outline: 2px solid #93c5fd; outline-offset: 2px; }
.ss-header code { background: #1f2937; padding: 1px 4px; border-radius: 4px; }
#swagger-ui { max-width: 1460px; margin: 0 auto; }
`;

const OWN_FILES = {
  "init.js": { contentType: "text/javascript; charset=utf-8", body: INIT_JS },
  "docs.css": { contentType: "text/css; charset=utf-8", body: DOCS_CSS },
} as const;

export type AssetName = keyof typeof PACKAGE_FILES | keyof typeof OWN_FILES;

export function isAssetName(name: string): name is AssetName {
  return Object.hasOwn(PACKAGE_FILES, name) || Object.hasOwn(OWN_FILES, name);
}

/**
 * Where swagger-ui-dist lives. `process.cwd()` is the app's root under `next dev`/`next start` and
 * the standalone folder in a traced build (next.config's outputFileTracingIncludes copies the two
 * files there); a bundler-relative `require.resolve` would point into the build output instead.
 */
function packageFile(name: keyof typeof PACKAGE_FILES) {
  return path.join(process.cwd(), "node_modules", "swagger-ui-dist", name);
}

const packageVersion = (() => {
  let version: Promise<string> | undefined;
  return () =>
    (version ??= readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", "package.json"), "utf8")
      .then((text) => String((JSON.parse(text) as { version?: unknown }).version ?? "0"))
      .catch(() => "0"));
})();

const cache = new Map<AssetName, Promise<Buffer>>();

export type Asset = { body: Buffer; contentType: string; etag: string };

/** One allow-listed asset, read once per process. */
export async function readAsset(name: AssetName): Promise<Asset> {
  let body = cache.get(name);
  if (!body) {
    body = Object.hasOwn(OWN_FILES, name)
      ? Promise.resolve(Buffer.from(OWN_FILES[name as keyof typeof OWN_FILES].body, "utf8"))
      : readFile(packageFile(name as keyof typeof PACKAGE_FILES));
    // A failed read (package missing) is not cached: the next request tries again.
    body.catch(() => cache.delete(name));
    cache.set(name, body);
  }
  const bytes = await body;
  const contentType = Object.hasOwn(OWN_FILES, name)
    ? OWN_FILES[name as keyof typeof OWN_FILES].contentType
    : PACKAGE_FILES[name as keyof typeof PACKAGE_FILES];
  return { body: bytes, contentType, etag: `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 27)}"` };
}

/** A cache-busting suffix for each asset URL: the package version, or our files' content hash. */
async function assetUrl(name: AssetName) {
  const version = Object.hasOwn(OWN_FILES, name)
    ? createHash("sha256").update(OWN_FILES[name as keyof typeof OWN_FILES].body).digest("hex").slice(0, 12)
    : await packageVersion();
  return `${ASSETS_PATH}/${name}?v=${encodeURIComponent(version)}`;
}

/**
 * Only the app's origin: scripts and styles are files (no inline code), images may be data: URLs
 * (Swagger UI's icons are embedded in its CSS), "Try it out" calls go to our own API.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

function escapeHtml(text: string) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export async function renderDocsPage() {
  const [css, docsCss, bundle, init] = await Promise.all([
    assetUrl("swagger-ui.css"),
    assetUrl("docs.css"),
    assetUrl("swagger-ui-bundle.js"),
    assetUrl("init.js"),
  ]);
  const link = (href: string, text: string) => `<a href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Super Seller API v1 — reference</title>
<link rel="stylesheet" href="${escapeHtml(css)}">
<link rel="stylesheet" href="${escapeHtml(docsCss)}">
</head>
<body>
<header class="ss-header">
<h1>Super Seller API v1</h1>
<p>REST API for listings, recommended actions and webhooks. Authenticate with an API key in
<code>Authorization: Bearer &lt;key&gt;</code>; each key acts for its organization within its scopes.</p>
<nav aria-label="Developer links">
${link(OPENAPI_PATH, "OpenAPI document (JSON)")}
${link("/settings/api-keys", "API keys")}
${link("/settings/webhooks", "Webhooks")}
${link("/api/panel", "tRPC panel (signed-in developers)")}
</nav>
</header>
<main id="swagger-ui" aria-label="API reference"></main>
<noscript>The interactive reference needs JavaScript. The raw document is at ${link(OPENAPI_PATH, OPENAPI_PATH)}.</noscript>
<script src="${escapeHtml(bundle)}"></script>
<script src="${escapeHtml(init)}"></script>
</body>
</html>
`;
}
