import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { Middleware } from "inngest";

import {
  CORRELATION_ATTRIBUTE,
  currentCorrelation,
  withCorrelation,
  withCorrelationScope,
  type CorrelationScope,
} from "~/server/observability/correlation";
import { recordJobDuration, recordJobRun } from "~/server/observability/metrics";
import { tracer } from "~/server/observability/spans";

type JobScope = CorrelationScope & { attempt?: number };

type EventData = { correlationId?: unknown; organizationId?: unknown };

function eventData(ctx: { event?: unknown }): EventData {
  return ((ctx.event as { data?: EventData } | undefined)?.data ?? {}) as EventData;
}

/**
 * Telemetry of background functions (no-op while telemetry is off). Registered on the client, so
 * it applies with Inngest and with the local runner alike.
 *
 * - Each execution request of a run is a span `job <function id>` (`app.function`, `app.run_id`,
 *   `app.attempt`) and one `app.jobs.duration` sample: a run with steps is several requests.
 * - Everything the run does — its Prisma queries, its connectors' fetch calls — happens under the
 *   correlation id of the event (`event.data.correlationId`, set by the request that sent it), or
 *   the run id when the event has none (crons).
 * - `app.jobs.runs` counts each run once at its end: `completed`, `skipped` (the output says
 *   `{ skipped }`, e.g. a suspended organization) or `failed` (the final attempt failed).
 */
export class TelemetryMiddleware extends Middleware.BaseMiddleware {
  readonly id = "telemetry";

  async wrapRequest({ fn, runId, next }: Middleware.WrapRequestArgs) {
    if (!fn) return next();
    const functionId = fn.opts.id;
    // Filled in by wrapFunctionHandler once the event is known; shared by reference with
    // everything this request starts (the engine's own calls included).
    const scope: JobScope = { correlationId: runId };
    const started = performance.now();
    return withCorrelationScope(scope, () =>
      tracer().startActiveSpan(`job ${functionId}`, { kind: SpanKind.CONSUMER, attributes: { "app.function": functionId, "app.run_id": runId } }, async (span) => {
        try {
          const response = await next();
          if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          return response;
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: SpanStatusCode.ERROR });
          throw error;
        } finally {
          span.setAttribute(CORRELATION_ATTRIBUTE, scope.correlationId);
          if (scope.organizationId) span.setAttribute("app.organization_id", scope.organizationId);
          if (scope.attempt !== undefined) span.setAttribute("app.attempt", scope.attempt);
          span.end();
          recordJobDuration(functionId, performance.now() - started);
        }
      }),
    );
  }

  async wrapFunctionHandler({ ctx, next }: Middleware.WrapFunctionHandlerArgs) {
    const data = eventData(ctx);
    const correlationId = typeof data.correlationId === "string" && data.correlationId ? data.correlationId : ctx.runId;
    const organizationId = typeof data.organizationId === "string" ? data.organizationId : undefined;
    // The request's scope (wrapRequest): its job span takes these attributes when it ends.
    const scope = currentCorrelation() as JobScope | undefined;
    if (scope) {
      scope.correlationId = correlationId;
      scope.attempt = ctx.attempt;
      if (organizationId) scope.organizationId = organizationId;
    }
    return withCorrelation(correlationId, () => next(), organizationId);
  }

  async wrapStepHandler({ ctx, next }: Middleware.WrapStepHandlerArgs) {
    const data = eventData(ctx);
    const correlationId = typeof data.correlationId === "string" && data.correlationId ? data.correlationId : ctx.runId;
    return withCorrelation(correlationId, () => next(), typeof data.organizationId === "string" ? data.organizationId : undefined);
  }

  onRunComplete({ fn, output }: Middleware.OnRunCompleteArgs) {
    const skipped = typeof output === "object" && output !== null && "skipped" in output;
    recordJobRun(fn.opts.id, skipped ? "skipped" : "completed");
  }

  onRunError({ fn, isFinalAttempt }: Middleware.OnRunErrorArgs) {
    if (isFinalAttempt) recordJobRun(fn.opts.id, "failed");
  }
}
