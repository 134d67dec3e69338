import { SpanKind, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";

import { currentCorrelation, withCorrelation } from "./correlation";
import { outcomeOfStatus, recordRequest, type RequestOutcome } from "./metrics";

export const TRACER_NAME = "super-seller";

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** True inside a REST request: the tRPC procedure it calls in-process is not counted a second time. */
export function insideRest(): boolean {
  return currentCorrelation()?.via === "rest";
}

/**
 * Runs `fn` inside an active span `name` (the parent of the Prisma and fetch spans it causes),
 * ending it when `fn` settles; a thrown error marks the span ERROR and is rethrown.
 */
export async function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, kind = SpanKind.INTERNAL): Promise<T> {
  return tracer().startActiveSpan(name, { kind, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * One REST request: span `rest <METHOD> <template>` (the template is set by the dispatcher once
 * the route matched; `unmatched` otherwise), `app.requests` / `app.request.duration` with the
 * response status, all under the request's correlation id.
 */
export function observeRest(method: string, correlationId: string, fn: (setRoute: (template: string) => void) => Promise<Response>): Promise<Response> {
  return withCorrelation(correlationId, () => {
    const started = performance.now();
    let route = "unmatched";
    return inSpan(`rest ${method}`, { "http.request.method": method, "app.kind": "rest" }, async (span) => {
      let outcome: RequestOutcome = "server_error";
      try {
        const response = await fn((template) => {
          route = template;
          span.updateName(`rest ${method} ${template}`);
          span.setAttribute("http.route", template);
        });
        outcome = outcomeOfStatus(response.status);
        span.setAttributes({ "http.response.status_code": response.status, "app.outcome": outcome });
        if (outcome === "server_error") span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } finally {
        recordRequest("rest", route, outcome, performance.now() - started);
      }
    }, SpanKind.SERVER);
  }, undefined, "rest");
}
