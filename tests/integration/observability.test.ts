/**
 * OpenTelemetry end to end, with in-memory exporters injected: the tRPC span and its Prisma
 * children under the request's correlation id; a background job and its connector calls under the
 * SAME id (local runner, Mercado Livre sandbox over HTTP); the agreed metrics; off by default.
 */
import { trace } from "@opentelemetry/api";
import { AggregationTemporality, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POST as stripeWebhook } from "~/app/api/v1/webhooks/stripe/route";
import { dispatchRest, setRestSessionResolver } from "~/server/api/openapi/dispatch";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { setStripeConfig } from "~/server/billing/stripe";
import { STRIPE_SANDBOX_SECRET_KEY, STRIPE_SANDBOX_WEBHOOK_SECRET } from "~/server/connectors/sandbox/stripe";
import { INNGEST_APP_ID, inngest } from "~/server/jobs/client";
import { listingFunctions } from "~/server/jobs/functions/listings-sync";
import { startLocalRunner, type LocalRunner } from "~/server/jobs/local/runner";
import { encrypt } from "~/server/lib/secrets";
import { CORRELATION_ATTRIBUTE } from "~/server/observability/correlation";
import { flushTelemetry, startTelemetry, stopTelemetry, telemetryRunning } from "~/server/observability/telemetry";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { refreshConnectionToken } from "~/server/services/connectors/tokens";
import { serveFetch } from "../helpers/serve-fetch";
import { createOrgFixture, db, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";
import { doomedFn, doomedRequested } from "./helpers/job-functions";
import { connectSandboxSeller, serveMercadoLivreSandbox, type ServedSandbox } from "./helpers/mercadolivre-sandbox";

/** A pull reader: `collect()` when the test wants the numbers. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush() {
    return Promise.resolve();
  }
  protected onShutdown() {
    return Promise.resolve();
  }
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();
let org: OrgFixture;
let served: ServedSandbox;
let runner: LocalRunner | null = null;
let seq = 0;
const correlation = (label: string) => `obs-${label}-${Date.now().toString(36)}-${seq++}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out; last value: ${JSON.stringify(value)}`);
    await sleep(100);
  }
}

/** A caller whose request carries `x-correlation-id: id`, as the HTTP route would build it. */
async function callerWithCorrelation(userId: string, id: string) {
  const headers = new Headers({ "x-forwarded-for": "203.0.113.10", "user-agent": "vitest", "x-correlation-id": id });
  return createCaller(await createTRPCContext({ headers, sessionUser: { id: userId } }));
}

function spansOf(id: string): ReadableSpan[] {
  return spans.getFinishedSpans().filter((s) => s.attributes[CORRELATION_ATTRIBUTE] === id);
}

const UNDICI = "@opentelemetry/instrumentation-undici";

/** Sum of a counter's data points whose attributes include `match`. */
async function counter(name: string, match: Record<string, string>): Promise<number> {
  const { resourceMetrics } = (await reader.collect()) as { resourceMetrics: ResourceMetrics };
  let total = 0;
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      if (metric.descriptor.name !== name) continue;
      for (const point of metric.dataPoints) {
        if (Object.entries(match).every(([k, v]) => point.attributes[k] === v)) total += point.value as number;
      }
    }
  }
  return total;
}

describe("off by default", () => {
  it("without an endpoint or injected exporters, startTelemetry registers nothing: the API stays no-op", () => {
    expect(process.env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(startTelemetry()).toBe(false);
    expect(telemetryRunning()).toBe(false);
    const span = trace.getTracer("probe").startSpan("probe");
    expect(span.isRecording()).toBe(false);
    span.end();
  });
});

describe("with telemetry on", () => {
  beforeAll(async () => {
    expect(startTelemetry({ spanExporter: spans, metricReader: reader })).toBe(true);
    expect(startTelemetry({ spanExporter: new InMemorySpanExporter() })).toBe(true); // idempotent: the first one stays
    org = await createOrgFixture("obs");
    served = await serveMercadoLivreSandbox({ catalogSize: 8, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "observability-test" });
  });

  afterAll(async () => {
    await runner?.stop();
    await served?.close();
    await stopTelemetry();
    // Stopped: the API is back to no-op.
    expect(trace.getTracer("probe").startSpan("after").isRecording()).toBe(false);
  });

  it("a tRPC call is a `trpc <path>` span with its request's correlation id, and its Prisma queries are its children", async () => {
    const id = correlation("trpc");
    const caller = await callerWithCorrelation(org.users.OWNER.userId, id);
    await caller.connectors.cards();
    await flushTelemetry();
    const mine = spansOf(id);
    const call = mine.find((s) => s.name === "trpc connectors.cards");
    expect(call).toBeDefined();
    expect(call!.attributes).toMatchObject({ "rpc.method": "connectors.cards", "app.trpc.type": "query", "app.outcome": "ok", "app.organization_id": org.organizationId });
    const byId = new Map(spans.getFinishedSpans().map((s) => [s.spanContext().spanId, s]));
    const descendsFromCall = (span: ReadableSpan) => {
      for (let parent = span.parentSpanContext?.spanId; parent; parent = byId.get(parent)?.parentSpanContext?.spanId) {
        if (parent === call!.spanContext().spanId) return true;
      }
      return false;
    };
    const prismaChildren = mine.filter((s) => s.name.startsWith("prisma:") && descendsFromCall(s));
    expect(prismaChildren.length).toBeGreaterThan(0);
    expect(prismaChildren.every((s) => s.spanContext().traceId === call!.spanContext().traceId)).toBe(true);
    // The request metric, by procedure path.
    expect(await counter("app.requests", { "app.kind": "trpc", "app.route": "connectors.cards", "app.outcome": "ok" })).toBeGreaterThanOrEqual(1);
  });

  it("a REST call is a `rest <METHOD> <template>` span, its procedure a child `trpc` span, counted once as rest", async () => {
    const id = correlation("rest");
    setRestSessionResolver(async () => ({ id: org.users.OWNER.userId }));
    try {
      const trpcBefore = await counter("app.requests", { "app.kind": "trpc", "app.route": "connectors.list" });
      const restBefore = await counter("app.requests", { "app.kind": "rest", "app.route": "/connections", "app.outcome": "ok" });
      const response = await dispatchRest(new Request("http://app.test/api/v1/connections", { headers: { "x-correlation-id": id } }));
      expect(response.status).toBe(200);
      await flushTelemetry();
      const mine = spansOf(id);
      const rest = mine.find((s) => s.name === "rest GET /connections");
      expect(rest?.attributes).toMatchObject({ "http.route": "/connections", "http.response.status_code": 200, "app.outcome": "ok" });
      const inner = mine.find((s) => s.name === "trpc connectors.list");
      expect(inner?.parentSpanContext?.spanId).toBe(rest!.spanContext().spanId);
      expect(await counter("app.requests", { "app.kind": "rest", "app.route": "/connections", "app.outcome": "ok" })).toBe(restBefore + 1);
      expect(await counter("app.requests", { "app.kind": "trpc", "app.route": "connectors.list" })).toBe(trpcBefore);
      // An unknown path is counted under one route, not one per URL.
      expect((await dispatchRest(new Request(`http://app.test/api/v1/no-such-${id}`))).status).toBe(404);
      expect(await counter("app.requests", { "app.kind": "rest", "app.route": "unmatched", "app.outcome": "client_error" })).toBeGreaterThanOrEqual(1);
    } finally {
      setRestSessionResolver(null);
    }
  });

  it("a Stripe webhook with a bad signature counts app.stripe_webhook.failures{reason=signature}", async () => {
    setStripeConfig({ secretKey: STRIPE_SANDBOX_SECRET_KEY, webhookSecret: STRIPE_SANDBOX_WEBHOOK_SECRET, apiUrl: "http://127.0.0.1:1" });
    try {
      const before = await counter("app.stripe_webhook.failures", { "app.reason": "signature" });
      const response = await stripeWebhook(new Request("http://app.test/api/v1/webhooks/stripe", { method: "POST", headers: { "stripe-signature": "t=1,v1=forged" }, body: "{}" }));
      expect(response.status).toBe(400);
      expect(await counter("app.stripe_webhook.failures", { "app.reason": "signature" })).toBe(before + 1);
    } finally {
      setStripeConfig(undefined);
    }
  });

  it("a refused tRPC call counts as client_error", async () => {
    const caller = await callerWithCorrelation(org.users.VIEWER.userId, correlation("refused"));
    const before = await counter("app.requests", { "app.route": "connectors.resync", "app.outcome": "client_error" });
    await expect(caller.connectors.resync({ connectionId: "c000000000000000000000000" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await counter("app.requests", { "app.route": "connectors.resync", "app.outcome": "client_error" })).toBe(before + 1);
  });

  it("connectors.resync → the job's span and the connector's fetch calls carry the SAME correlation id as the request", async () => {
    runner = await startLocalRunner({ functions: listingFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 3 });
    await runner.ready;
    const connection = await connectSandboxSeller(tenantCtxOf(org), 320_000_001);
    // The connect flow queued the first sync: let it finish so the resync does the work.
    await waitFor(() => db.connectionSync.findUnique({ where: { connectionId: connection.id } }), (s) => s?.state === "COMPLETED");

    const id = correlation("resync");
    const caller = await callerWithCorrelation(org.users.OWNER.userId, id);
    await caller.connectors.resync({ connectionId: connection.id });
    await waitFor(
      () => db.jobRun.findMany({ where: { functionId: `${INNGEST_APP_ID}-sync-listings`, event: { path: ["data", "correlationId"], equals: id } } }),
      (runs) => runs.length > 0 && runs.every((r) => r.status === "COMPLETED"),
    );
    await flushTelemetry();
    const mine = spansOf(id);
    expect(mine.some((s) => s.name === "trpc connectors.resync")).toBe(true);
    const jobSpans = mine.filter((s) => s.name === "job sync-listings");
    expect(jobSpans.length).toBeGreaterThan(0);
    expect(jobSpans[0]!.attributes["app.organization_id"]).toBe(org.organizationId);
    const sandboxHost = new URL(served.url).hostname;
    const calls = mine.filter((s) => s.instrumentationScope.name === UNDICI && s.attributes["server.address"] === sandboxHost);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((s) => s.attributes["http.response.status_code"] === 200)).toBe(true);
    // No trace context or correlation header is sent to the provider.
    const requestSpans = spans.getFinishedSpans().filter((s) => s.instrumentationScope.name === UNDICI);
    expect(requestSpans.length).toBeGreaterThan(0);
    expect(await counter("app.jobs.runs", { "app.function": "sync-listings", "app.outcome": "completed" })).toBeGreaterThanOrEqual(1);
    expect(await counter("app.provider.requests", { "server.address": sandboxHost, "app.status_class": "2xx" })).toBeGreaterThan(0);
    await runner.stop();
    runner = null;
  }, 60_000);

  it("a provider answering 429 counts app.provider.rate_limited (and a 4xx request)", async () => {
    let seenTraceparent: string | null = "unset";
    const limited = await serveFetch((request) => {
      seenTraceparent = request.headers.get("traceparent") ?? request.headers.get("x-correlation-id");
      return Promise.resolve(new Response("slow down", { status: 429 }));
    });
    try {
      const host = new URL(limited.url).hostname;
      const before = await counter("app.provider.rate_limited", { "server.address": host });
      const before4xx = await counter("app.provider.requests", { "server.address": host, "app.status_class": "4xx" });
      const response = await fetch(`${limited.url}/items`);
      expect(response.status).toBe(429);
      await response.text();
      await sleep(50);
      expect(await counter("app.provider.rate_limited", { "server.address": host })).toBe(before + 1);
      expect(await counter("app.provider.requests", { "server.address": host, "app.status_class": "4xx" })).toBe(before4xx + 1);
      expect(seenTraceparent).toBeNull();
    } finally {
      await limited.close();
    }
  });

  it("a call that gets no answer counts status class `error`", async () => {
    const before = await counter("app.provider.requests", { "server.address": "127.0.0.1", "app.status_class": "error" });
    // A port that was just free: nothing listens there, the connection is refused.
    const gone = await serveFetch(() => Promise.resolve(new Response("")));
    await gone.close();
    await expect(fetch(`${gone.url}/nothing`)).rejects.toThrow();
    await sleep(50);
    expect(await counter("app.provider.requests", { "server.address": "127.0.0.1", "app.status_class": "error" })).toBe(before + 1);
  });

  it("a failing job counts outcome=failed", async () => {
    const jobs = await startLocalRunner({ functions: [doomedFn], cron: false, pollIntervalMs: 100, retryDelay: () => 100, concurrency: 2 });
    try {
      await jobs.ready;
      const before = await counter("app.jobs.runs", { "app.function": "test-doomed", "app.outcome": "failed" });
      const marker = correlation("doomed");
      await inngest.send(doomedRequested.create({ organizationId: org.organizationId, marker, correlationId: marker }));
      await waitFor(() => counter("app.jobs.runs", { "app.function": "test-doomed", "app.outcome": "failed" }), (n) => n === before + 1);
      await flushTelemetry();
      const jobSpan = spansOf(marker).find((s) => s.name === "job test-doomed");
      expect(jobSpan).toBeDefined();
    } finally {
      await jobs.stop();
    }
  });

  it("a failed token refresh counts app.token_refresh.failures with the provider and reason", async () => {
    const fx = await createOrgFixture("obs-refresh");
    const connection = await connectSandboxSeller(tenantCtxOf(fx), 320_000_002);
    await db.connection.update({ where: { id: connection.id }, data: { refreshTokenEnc: encrypt("TG-not-a-real-refresh-token") } });
    const before = await counter("app.token_refresh.failures", { "app.provider": "MERCADOLIVRE", "app.reason": "invalid_grant" });
    const result = await refreshConnectionToken(jobTenantCtx(db, { organizationId: fx.organizationId }), connection.id, { force: true });
    expect(result).toMatchObject({ ok: false, reason: "needs_reconnect" });
    expect(await counter("app.token_refresh.failures", { "app.provider": "MERCADOLIVRE", "app.reason": "invalid_grant" })).toBe(before + 1);
  });
});
