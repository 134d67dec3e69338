import { metrics, type Counter, type Histogram, type ObservableGauge } from "@opentelemetry/api";

import { countOverduePublications } from "~/server/repositories/publications";

/**
 * The agreed operations metrics (docs/observability.md). Instruments come from the global meter,
 * created on first use after telemetry starts (`resetInstruments` is called by start/stop, so
 * instruments made while telemetry was off — no-op ones — are not kept). With telemetry off every
 * record helper lands on the API's no-op meter: nothing is recorded.
 */
export const METER_NAME = "super-seller";
export const OVERDUE_GRACE_MS = 5 * 60_000;

export type RequestKind = "trpc" | "rest";
export type RequestOutcome = "ok" | "client_error" | "server_error";
export type JobOutcome = "completed" | "failed" | "skipped";

type Instruments = {
  requests: Counter;
  requestDuration: Histogram;
  jobRuns: Counter;
  jobDuration: Histogram;
  providerRequests: Counter;
  providerRateLimited: Counter;
  tokenRefreshFailures: Counter;
  stripeWebhookFailures: Counter;
  rawArchiveWriteFailures: Counter;
  publishingOverdue: ObservableGauge;
};

let instruments: Instruments | null = null;

function get(): Instruments {
  if (instruments) return instruments;
  const meter = metrics.getMeter(METER_NAME);
  const publishingOverdue = meter.createObservableGauge("app.publishing.overdue", {
    description: "Scheduled publications due more than 5 minutes ago and not yet published",
  });
  // One count query per export; a failed query reports nothing rather than a wrong zero.
  publishingOverdue.addCallback(async (result) => {
    try {
      // Imported here: telemetry starts before anything else and must not open the pool itself.
      const { db } = await import("~/server/db");
      result.observe(await countOverduePublications(db, OVERDUE_GRACE_MS));
    } catch {
      /* the database is unreachable: no observation this round */
    }
  });
  instruments = {
    requests: meter.createCounter("app.requests", { description: "tRPC and REST requests" }),
    requestDuration: meter.createHistogram("app.request.duration", { description: "Request duration", unit: "ms" }),
    jobRuns: meter.createCounter("app.jobs.runs", { description: "Background function runs by outcome" }),
    jobDuration: meter.createHistogram("app.jobs.duration", { description: "Background function execution time", unit: "ms" }),
    providerRequests: meter.createCounter("app.provider.requests", { description: "Outgoing HTTP calls by host and status class" }),
    providerRateLimited: meter.createCounter("app.provider.rate_limited", { description: "Outgoing HTTP calls answered 429" }),
    tokenRefreshFailures: meter.createCounter("app.token_refresh.failures", { description: "Connector token refreshes that failed" }),
    stripeWebhookFailures: meter.createCounter("app.stripe_webhook.failures", { description: "Stripe webhook deliveries refused or failed" }),
    rawArchiveWriteFailures: meter.createCounter("app.raw_archive.write_failures", { description: "Raw archive objects that could not be written (docs/data-lake.md)" }),
    publishingOverdue,
  };
  return instruments;
}

/** Forget the instruments (telemetry started or stopped: the global meter changed). */
export function resetInstruments() {
  instruments = null;
}

export function outcomeOfStatus(status: number): RequestOutcome {
  return status >= 500 ? "server_error" : status >= 400 ? "client_error" : "ok";
}

export function recordRequest(kind: RequestKind, route: string, outcome: RequestOutcome, ms: number) {
  const i = get();
  i.requests.add(1, { "app.kind": kind, "app.route": route, "app.outcome": outcome });
  i.requestDuration.record(ms, { "app.kind": kind, "app.route": route });
}

export function recordJobRun(functionId: string, outcome: JobOutcome) {
  get().jobRuns.add(1, { "app.function": functionId, "app.outcome": outcome });
}

export function recordJobDuration(functionId: string, ms: number) {
  get().jobDuration.record(ms, { "app.function": functionId });
}

export function statusClass(status: number | undefined): string {
  if (status === undefined || !Number.isFinite(status) || status < 100) return "error";
  return `${Math.min(5, Math.floor(status / 100))}xx`;
}

/** One outgoing HTTP call (undici/fetch): `status` undefined when no response came (network error). */
export function recordProviderRequest(host: string, status: number | undefined) {
  const i = get();
  i.providerRequests.add(1, { "server.address": host, "app.status_class": statusClass(status) });
  if (status === 429) i.providerRateLimited.add(1, { "server.address": host });
}

export function recordTokenRefreshFailure(provider: string, reason: string) {
  get().tokenRefreshFailures.add(1, { "app.provider": provider, "app.reason": reason });
}

export function recordStripeWebhookFailure(reason: "signature" | "processing") {
  get().stripeWebhookFailures.add(1, { "app.reason": reason });
}

/** A raw archive object lost (the sync went on; docs/data-lake.md). */
export function recordRawArchiveWriteFailure(provider: string, kind: string) {
  get().rawArchiveWriteFailures.add(1, { "app.provider": provider, "app.kind": kind });
}
