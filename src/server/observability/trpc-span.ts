import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { TRPCError } from "@trpc/server";

import { currentCorrelation, withCorrelation } from "./correlation";
import { outcomeOfStatus, recordRequest, type RequestOutcome } from "./metrics";
import { inSpan, insideRest } from "./spans";

type MiddlewareResultLike = { ok: true } | { ok: false; error: { code: TRPCError["code"] } };

/**
 * The telemetry of one tRPC call, for the `observed` middleware: span `trpc <path>` (attributes
 * `rpc.method`, `app.trpc.type`, `app.outcome`, `app.trpc.code` when refused, the organization id
 * once the tenant is known), run under the request's correlation id; `app.requests` and
 * `app.request.duration` (not for a REST request's in-process call, counted as `rest`).
 * `fn` returns the middleware result (ok, or failed with a tRPC error code) or throws.
 */
export async function observeTrpc<R extends MiddlewareResultLike>(correlationId: string, path: string, type: string, fn: () => Promise<R>): Promise<R> {
  return withCorrelation(correlationId, async () => {
    const started = performance.now();
    const counted = !insideRest();
    let outcome: RequestOutcome = "server_error";
    try {
      return await inSpan(
        `trpc ${path}`,
        { "rpc.system": "trpc", "rpc.method": path, "app.trpc.type": type },
        async (span) => {
          let code: TRPCError["code"] | undefined;
          try {
            const result = await fn();
            if (!result.ok) code = result.error.code;
            return result;
          } catch (error) {
            code = error instanceof TRPCError ? error.code : "INTERNAL_SERVER_ERROR";
            throw error;
          } finally {
            outcome = code ? outcomeOfStatus(getHTTPStatusCodeFromError(new TRPCError({ code }))) : "ok";
            span.setAttribute("app.outcome", outcome);
            if (code) span.setAttribute("app.trpc.code", code);
            if (outcome === "server_error") span.setStatus({ code: SpanStatusCode.ERROR });
          }
        },
        SpanKind.SERVER,
      );
    } finally {
      if (counted) recordRequest("trpc", path, outcome, performance.now() - started);
    }
  });
}

/** The tenant of the call is known: on the current span and in the correlation scope (for its jobs' logs). */
export function noteOrganization(organizationId: string) {
  trace.getActiveSpan()?.setAttribute("app.organization_id", organizationId);
  const scope = currentCorrelation();
  if (scope) scope.organizationId = organizationId;
}
