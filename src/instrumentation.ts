/**
 * Next.js calls register() once when a server process starts (`next dev`, `next start`). In local
 * jobs mode (no Inngest server configured) it starts the in-process runner of background functions.
 * NEXT_RUNTIME is read directly because it must be checked before any Node-only module is imported
 * (the Edge runtime loads this file too). OpenTelemetry starts first (docs/observability.md).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: the spans and metrics of everything below (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set).
  const { startTelemetry } = await import("./server/observability/telemetry");
  startTelemetry();
  const { registerLocalRunner } = await import("./server/jobs/local/register");
  await registerLocalRunner();
}
