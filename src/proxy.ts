import { NextResponse, type NextRequest } from "next/server";

import { CORRELATION_HEADER, correlationIdFrom } from "~/server/lib/request-meta";

/**
 * Gives every request a correlation id (kept if the caller sent a well-formed one), visible to
 * route handlers and echoed in the response so a user can quote it when reporting a problem.
 */
export function proxy(request: NextRequest) {
  const correlationId = correlationIdFrom(request.headers);
  const headers = new Headers(request.headers);
  headers.set(CORRELATION_HEADER, correlationId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set(CORRELATION_HEADER, correlationId);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
