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
  // Media uploads and signed media links bypass the proxy: a body passing through it is buffered
  // and cut at 10 MB by Next, and the general body limit would refuse every video. Those routes
  // check size (streaming, MEDIA_MAX_UPLOAD_MB), origin and session, or the link's signature, themselves.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/v1/media).*)"],
};
