import { NextResponse, type NextRequest } from "next/server";

import { env } from "~/env";
import { jsonError } from "~/server/lib/http";
import { CORRELATION_HEADER, correlationIdFrom, REQUEST_PATH_HEADER } from "~/server/lib/request-meta";
import { applySecurityHeaders, corsFor, newNonce } from "~/server/security/policy";

/**
 * Runs before every route:
 * - gives the request a correlation id (kept if the caller sent a well-formed one), visible to
 *   route handlers and echoed in the response so a user can quote it when reporting a problem;
 * - refuses API bodies that declare a size over the limit, for every API route at once (the tRPC
 *   route also enforces it while streaming, for bodies that do not declare their size);
 * - sets the security headers: pages get a CSP with a fresh nonce, set on the request too so Next
 *   adds it to its own scripts (every page renders dynamically: the root layout reads the locale
 *   cookie); API responses get a CSP that loads nothing; /api/v1 answers CORS.
 */
export function proxy(request: NextRequest) {
  const response = route(request);
  // Answers of the proxy itself (redirect, preflight, 413) are API-like: nothing to render.
  if (!response.headers.has("x-middleware-next")) applySecurityHeaders(response.headers, { api: true });
  return response;
}

function route(request: NextRequest): Response {
  const { pathname } = request.nextUrl;
  // Next's own trailing-slash redirect is off (next.config: the TikTok sandbox needs its paths as
  // sent); everything else keeps one canonical URL.
  if (pathname.length > 1 && pathname.endsWith("/")) {
    // A plain URL: NextURL keeps the trailing slash it was parsed with.
    const url = new URL(request.url);
    url.pathname = pathname.replace(/\/+$/, "") || "/";
    return NextResponse.redirect(url, 308);
  }
  const correlationId = correlationIdFrom(request.headers);
  const isApi = pathname === "/api" || pathname.startsWith("/api/");
  const cors = pathname.startsWith("/api/v1/") || pathname === "/api/v1" ? corsFor(request, correlationId) : null;
  if (cors?.preflight) return cors.preflight;
  const declaredSize = Number(request.headers.get("content-length") ?? "0");
  if (isApi && declaredSize > env.MAX_REQUEST_BODY_BYTES) {
    return jsonError("PAYLOAD_TOO_LARGE", `Request body exceeds ${env.MAX_REQUEST_BODY_BYTES} bytes`, { correlationId, headers: cors?.headers, reason: "bodyTooLarge" });
  }
  const headers = new Headers(request.headers);
  headers.set(CORRELATION_HEADER, correlationId);
  // Layouts cannot see the requested path; the app layout needs it for the sign-in callback.
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  if (isApi) {
    const response = NextResponse.next({ request: { headers } });
    response.headers.set(CORRELATION_HEADER, correlationId);
    cors?.headers.forEach((value, name) => response.headers.set(name, value));
    // The API reference and the tRPC panel are pages served under /api: their routes set their own CSP.
    const ownCsp = pathname.startsWith("/api/v1/docs") || pathname.startsWith("/api/panel");
    applySecurityHeaders(response.headers, { api: true, csp: !ownCsp });
    return response;
  }
  const nonce = newNonce();
  applySecurityHeaders(headers, { api: false, nonce });
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(CORRELATION_HEADER, correlationId);
  applySecurityHeaders(response.headers, { api: false, nonce });
  return response;
}

export const config = {
  // Media uploads, signed media links and the provider sandboxes bypass the proxy: a body passing
  // through it is buffered and cut at 10 MB by Next, and the general body limit would refuse every
  // video (and every TikTok chunk or YouTube upload the sandboxes receive). The media routes check
  // size (streaming, MEDIA_MAX_UPLOAD_MB), origin and session, or the link's signature, themselves;
  // the sandboxes speak the providers' protocols, paths with a trailing slash included.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/v1/media|api/sandbox).*)"],
};
