import { env } from "~/env";

/**
 * The tRPC panel (/api/panel, trpc-ui-zod4): every router of the app with its input schemas, calling
 * the running app's /api/trpc as the signed-in user (session cookie, superjson).
 *
 * On unless ENABLE_TRPC_PANEL turns it off (always on in development). It needs a session: the page
 * is a map of the API and its calls run with the visitor's own permissions.
 */
export function panelEnabled() {
  return env.NODE_ENV === "development" || env.ENABLE_TRPC_PANEL;
}

export const PANEL_PATH = "/api/panel";
export const MONACO_PATH = `${PANEL_PATH}/monaco/vs`;

/**
 * The panel's JSON editor (Monaco, through @monaco-editor/loader) loads from jsDelivr by default.
 * The page points it at the copy installed in node_modules (served by ./monaco/[...path]) instead,
 * so the panel works offline and the CSP can keep every request on the app's origin.
 */
export const MONACO_CDN = /https:\/\/cdn\.jsdelivr\.net\/npm\/monaco-editor@[\w.-]+\/min\/vs/g;

// The panel's bundle is inline script and Monaco evaluates code and starts blob: workers; what
// the policy guarantees is that nothing leaves the app's origin.
export const PANEL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");
