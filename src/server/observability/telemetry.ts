import { context, metrics, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from "@opentelemetry/sdk-metrics";
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from "@opentelemetry/sdk-trace";
import { PrismaInstrumentation } from "@prisma/instrumentation";

import { env } from "~/env";
import { logger as defaultLogger, type Logger } from "~/server/lib/logger";
import packageJson from "../../../package.json";
import { CorrelationSpanProcessor, DropOrphanQueriesSampler } from "./correlation";
import { resetInstruments } from "./metrics";
import { ProviderMetricsSpanProcessor } from "./provider-metrics";

/**
 * OpenTelemetry for the server process: traces (tRPC/REST/job spans, Prisma queries, outgoing
 * fetch calls) and the metrics of docs/observability.md, exported over OTLP/HTTP.
 *
 * Off unless OTEL_EXPORTER_OTLP_ENDPOINT is set (or a test injects exporters): then nothing is
 * registered, the @opentelemetry/api calls all over the app stay no-ops and cost nothing.
 */
export type TelemetryOptions = {
  /** OTLP/HTTP base URL (`/v1/traces` and `/v1/metrics` are appended). Default: env. */
  endpoint?: string;
  /** Raw `k=v,k2=v2` header list for the exporter. Default: env. */
  headers?: string;
  serviceName?: string;
  environment?: string;
  metricIntervalMs?: number;
  /** Tests: export spans here (synchronously, through a simple processor) instead of OTLP. */
  spanExporter?: SpanExporter;
  /** Tests: read metrics with this reader instead of the periodic OTLP one. */
  metricReader?: MetricReader;
  logger?: Logger;
};

type Running = { tracerProvider: TracerProvider; meterProvider: MeterProvider; unregister: () => void };

let running: Running | null = null;

/**
 * Parses OTEL_EXPORTER_OTLP_HEADERS ("k=v,k2=v2", values percent-decoded as the OTel spec says).
 * Malformed entries are skipped; `onInvalid` gets the entry's position only — header values are
 * credentials and must never be logged.
 */
export function parseOtlpHeaders(raw: string | undefined, onInvalid?: (index: number) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw) return headers;
  raw.split(",").forEach((entry, index) => {
    if (!entry.trim()) return;
    const eq = entry.indexOf("=");
    const key = eq > 0 ? entry.slice(0, eq).trim() : "";
    if (!key || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      onInvalid?.(index);
      return;
    }
    let value = entry.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      /* not percent-encoded: keep as given */
    }
    headers[key] = value;
  });
  return headers;
}

export function telemetryRunning(): boolean {
  return running !== null;
}

/** Idempotent: the first call with an endpoint (or injected exporters) registers everything. */
export function startTelemetry(options: TelemetryOptions = {}): boolean {
  if (running) return true;
  const log = (options.logger ?? defaultLogger).child({ component: "telemetry" });
  const endpoint = (options.endpoint ?? env.OTEL_EXPORTER_OTLP_ENDPOINT)?.replace(/\/+$/, "");
  const injected = options.spanExporter !== undefined || options.metricReader !== undefined;
  if (!endpoint && !injected) return false;

  const headers = parseOtlpHeaders(options.headers ?? env.OTEL_EXPORTER_OTLP_HEADERS, (index) =>
    log.warn({ entry: index }, "OTEL_EXPORTER_OTLP_HEADERS: malformed entry ignored"),
  );
  const resource = resourceFromAttributes({
    "service.name": options.serviceName ?? env.OTEL_SERVICE_NAME,
    "service.version": packageJson.version,
    "deployment.environment.name": options.environment ?? env.NODE_ENV,
  });

  const spanProcessors: SpanProcessor[] = [new CorrelationSpanProcessor(), new ProviderMetricsSpanProcessor()];
  if (options.spanExporter) spanProcessors.push(new SimpleSpanProcessor({ exporter: options.spanExporter }));
  else if (endpoint) spanProcessors.push(new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces`, headers }) }));
  const tracerProvider = new TracerProvider({ resource, spanProcessors, sampler: new ParentBasedSampler({ root: new DropOrphanQueriesSampler() }) });

  const reader =
    options.metricReader ??
    (endpoint
      ? new PeriodicExportingMetricReader({
          exporter: new OTLPMetricExporter({ url: `${endpoint}/v1/metrics`, headers }),
          exportIntervalMillis: options.metricIntervalMs ?? env.OTEL_METRIC_EXPORT_INTERVAL_MS,
        })
      : undefined);
  const meterProvider = new MeterProvider({ resource, readers: reader ? [reader] : [] });

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  resetInstruments();
  // No global propagator is set on purpose: outgoing calls go to third parties, which must not
  // receive our trace or correlation ids (the span attribute is the correlation).
  const unregister = registerInstrumentations({
    tracerProvider,
    meterProvider,
    instrumentations: [new UndiciInstrumentation(), new PrismaInstrumentation()],
  });
  running = { tracerProvider, meterProvider, unregister };
  log.info(
    { endpoint: endpoint ? new URL(endpoint).origin : "injected", headerNames: Object.keys(headers) },
    "telemetry on",
  );
  return true;
}

/** Flushes what is pending and unregisters everything (the API returns to no-op). */
export async function stopTelemetry(): Promise<void> {
  const current = running;
  if (!current) return;
  running = null;
  current.unregister();
  try {
    await Promise.allSettled([current.tracerProvider.shutdown(), current.meterProvider.shutdown()]);
  } finally {
    trace.disable();
    metrics.disable();
    context.disable();
    resetInstruments();
  }
}

/** Exports everything recorded so far (tests; shutdown hooks). */
export async function flushTelemetry(): Promise<void> {
  if (!running) return;
  await Promise.allSettled([running.tracerProvider.forceFlush(), running.meterProvider.forceFlush()]);
}
