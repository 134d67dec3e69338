import "server-only";

import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";

import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { auth } from "~/server/auth/config";
import { AppError } from "~/server/lib/errors";
import { CORRELATION_HEADER } from "~/server/lib/request-meta";

/**
 * The REST contract reuses the tRPC procedures in-process: the same session, tenant, permission
 * and input checks, and the same services. Responses are `{ data, meta, errors }`.
 */
export async function restCall<T>(
  request: Request,
  call: (caller: ReturnType<typeof createCaller>) => Promise<T>,
  shape: (result: T) => { data: unknown; meta?: Record<string, unknown> } = (result) => ({ data: result }),
) {
  const correlationId = request.headers.get(CORRELATION_HEADER);
  const headers = correlationId ? { [CORRELATION_HEADER]: correlationId } : undefined;
  try {
    const session = await auth();
    const ctx = await createTRPCContext({ headers: request.headers, sessionUser: session?.user?.id ? { id: session.user.id } : null });
    const { data, meta } = shape(await call(createCaller(ctx)));
    return Response.json({ data, meta: { ...meta, correlationId }, errors: [] }, { headers });
  } catch (error) {
    if (error instanceof TRPCError) {
      const message = error.code === "INTERNAL_SERVER_ERROR" ? "Internal error" : error.code === "BAD_REQUEST" ? "Invalid input" : error.message;
      // The stable reason code (as the UI translates it), when a service gave one.
      const reason = error.cause instanceof AppError ? error.cause.reason : undefined;
      return Response.json(
        { data: null, meta: { correlationId }, errors: [{ code: error.code, message, ...(reason ? { reason } : {}) }] },
        { status: getHTTPStatusCodeFromError(error), headers },
      );
    }
    throw error;
  }
}
