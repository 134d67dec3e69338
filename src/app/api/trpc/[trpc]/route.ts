import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";

import { env } from "~/env";
import { limitBearerTrpcCall } from "~/server/api/openapi/dispatch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { auth } from "~/server/auth/config";
import { BodyTooLargeError, jsonError, readBodyWithLimit } from "~/server/lib/http";
import { CORRELATION_HEADER, correlationIdFrom } from "~/server/lib/request-meta";
import { csrfRefusal } from "~/server/security/policy";

async function handler(req: NextRequest) {
  // CSRF: a cookie-authenticated mutation must come from the app's own pages.
  const crossSite = csrfRefusal(req);
  if (crossSite) return crossSite;
  const limits = await limitBearerTrpcCall(req);
  if (limits.refused) return limits.refused;
  // The request's correlation id (the caller's, when valid, else a new one) goes back in the
  // response, so a user's "it failed" can be matched to logs, traces and jobs.
  const correlationId = correlationIdFrom(req.headers);
  const headers = new Headers(req.headers);
  headers.set(CORRELATION_HEADER, correlationId);
  limits.headers.set(CORRELATION_HEADER, correlationId);
  let request: Request = req;
  if (req.method === "POST") {
    try {
      // Re-create the request from a bounded read so an oversized body is refused, not buffered.
      const body = await readBodyWithLimit(req, env.MAX_REQUEST_BODY_BYTES);
      request = new Request(req.url, { method: req.method, headers: req.headers, body });
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return jsonError("PAYLOAD_TOO_LARGE", `Request body exceeds ${env.MAX_REQUEST_BODY_BYTES} bytes`, {
          correlationId,
          headers: limits.headers,
          reason: "bodyTooLarge",
        });
      }
      throw error;
    }
  }
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    createContext: async () => {
      const session = await auth();
      const user = session?.user;
      return createTRPCContext({ headers, sessionUser: user?.id ? { id: user.id, sessionId: user.sessionId } : null });
    },
    responseMeta: () => ({ headers: limits.headers }),
  });
}

export { handler as GET, handler as POST };
