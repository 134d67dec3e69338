import { NextResponse, type NextRequest } from "next/server";

import { env } from "~/env";
import { jsonError } from "~/server/lib/http";
import { CORRELATION_HEADER, correlationIdFrom, REQUEST_PATH_HEADER } from "~/server/lib/request-meta";

/**
 * Runs before every route:
 * - gives the request a correlation id (kept if the caller sent a well-formed one), visible to
 *   route handlers and echoed in the response so a user can quote it when reporting a problem;
 * - refuses API bodies that declare a size over the limit, for every API route at once (the tRPC
 *   route also enforces it while streaming, for bodies that do not declare their size).
 */
export function proxy(request: NextRequest) {
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
  const declaredSize = Number(request.headers.get("content-length") ?? "0");
  if (request.nextUrl.pathname.startsWith("/api/") && declaredSize > env.MAX_REQUEST_BODY_BYTES) {
    return jsonError("PAYLOAD_TOO_LARGE", `Request body exceeds ${env.MAX_REQUEST_BODY_BYTES} bytes`, { correlationId });
  }
  const headers = new Headers(request.headers);
  headers.set(CORRELATION_HEADER, correlationId);
  // Layouts cannot see the requested path; the app layout needs it for the sign-in callback.
  headers.set(REQUEST_PATH_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(CORRELATION_HEADER, correlationId);
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
