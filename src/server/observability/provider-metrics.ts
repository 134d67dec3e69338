import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace";

import { recordProviderRequest } from "./metrics";

const UNDICI_SCOPE = "@opentelemetry/instrumentation-undici";

/**
 * `app.provider.requests` / `app.provider.rate_limited` from the spans of the undici (fetch)
 * instrumentation, counted when the span ends: this sees every outgoing call — connectors, AI,
 * Stripe, webhooks — including those that never got a response (status class `error`), which the
 * instrumentation's response hook alone would miss. Aborted calls (our own timeouts) count as errors.
 */
export class ProviderMetricsSpanProcessor implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}
  onEnd(span: ReadableSpan): void {
    if (span.instrumentationScope.name !== UNDICI_SCOPE) return;
    const host = span.attributes["server.address"];
    const status = span.attributes["http.response.status_code"];
    recordProviderRequest(typeof host === "string" ? host : "unknown", typeof status === "number" ? status : undefined);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
