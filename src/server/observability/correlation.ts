import { AsyncLocalStorage } from "node:async_hooks";

import type { Context } from "@opentelemetry/api";
import { SamplingDecision, type ReadableSpan, type Sampler, type SamplingResult, type Span, type SpanProcessor } from "@opentelemetry/sdk-trace";

/**
 * The correlation id of the work in progress (a request, a job run and the calls they make),
 * carried by an AsyncLocalStorage so code far from the request (Prisma, fetch, job steps) can
 * read it without it being passed around. The organization id rides along when known.
 */
export type CorrelationScope = { correlationId: string; organizationId?: string; via?: "rest" };

export const CORRELATION_ATTRIBUTE = "app.correlation_id";

// One store per process, shared through globalThis: Next.js bundles this module separately into
// the instrumentation hook (where the span processor lives) and into each route, and two
// AsyncLocalStorage instances would not see each other's scopes (found on `next start`: request
// spans had no correlation id while the tests, one module graph, passed).
const STORE_KEY = Symbol.for("super-seller.correlation-store");
const storage: AsyncLocalStorage<CorrelationScope> = ((globalThis as Record<symbol, unknown>)[STORE_KEY] ??= new AsyncLocalStorage<CorrelationScope>()) as AsyncLocalStorage<CorrelationScope>;

/**
 * Runs `fn` with `id` as the current correlation id (and the organization id when given). `via`
 * marks a REST request, whose in-process tRPC call is not counted as a second request.
 */
export function withCorrelation<T>(id: string, fn: () => T, organizationId?: string, via?: "rest"): T {
  const outer = storage.getStore();
  const scope: CorrelationScope = { correlationId: id };
  const org = organizationId ?? (outer?.correlationId === id ? outer.organizationId : undefined);
  if (org) scope.organizationId = org;
  const mark = via ?? (outer?.correlationId === id ? outer.via : undefined);
  if (mark) scope.via = mark;
  return storage.run(scope, fn);
}

/** Runs `fn` with this very scope object (the jobs middleware fills in the id once the event is read). */
export function withCorrelationScope<T>(scope: CorrelationScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

export function currentCorrelation(): CorrelationScope | undefined {
  return storage.getStore();
}

/** Stamps `app.correlation_id` on every span started inside `withCorrelation`. */
export class CorrelationSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    const id = currentCorrelationId();
    if (id) span.setAttribute(CORRELATION_ATTRIBUTE, id);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Root sampler: keeps every trace except database queries that belong to nothing — no parent span
 * and no correlation id (the local runner's queue polling, the pool's housekeeping), which would
 * otherwise be most of the traces and none of the useful ones.
 */
export class DropOrphanQueriesSampler implements Sampler {
  shouldSample(_context: Context, _traceId: string, spanName: string): SamplingResult {
    if (spanName.startsWith("prisma:") && !currentCorrelationId()) return { decision: SamplingDecision.NOT_RECORD };
    return { decision: SamplingDecision.RECORD_AND_SAMPLED };
  }
  toString() {
    return "DropOrphanQueriesSampler";
  }
}
