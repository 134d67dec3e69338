import { Writable } from "node:stream";

import { trace } from "@opentelemetry/api";
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace";
import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";

// src/env.js validates on import; nothing here opens a connection.
vi.hoisted(() => {
  process.env.DATABASE_URL ??= "postgresql://unused@127.0.0.1:1/unused";
});

import { CORRELATION_ATTRIBUTE, currentCorrelationId, withCorrelation } from "./correlation";
import { statusClass } from "./metrics";
import { parseOtlpHeaders, startTelemetry, stopTelemetry } from "./telemetry";

afterEach(async () => {
  await stopTelemetry();
});

describe("parseOtlpHeaders", () => {
  it("reads k=v pairs, trims them and percent-decodes values", () => {
    expect(parseOtlpHeaders("api-key=abc123, x-team = ops%20team ,authorization=Basic%20dXNlcjpwYXNz")).toEqual({
      "api-key": "abc123",
      "x-team": "ops team",
      authorization: "Basic dXNlcjpwYXNz",
    });
  });

  it("keeps '=' inside values and skips malformed entries, reporting only their position", () => {
    const bad: number[] = [];
    expect(parseOtlpHeaders("token=a=b==,novalue,=orphan,bad key=x,,ok=1", (i) => bad.push(i))).toEqual({ token: "a=b==", ok: "1" });
    expect(bad).toEqual([1, 2, 3]);
  });

  it("is empty for nothing", () => {
    expect(parseOtlpHeaders(undefined)).toEqual({});
    expect(parseOtlpHeaders("")).toEqual({});
  });
});

describe("startTelemetry logging", () => {
  it("never writes a header value to the log (only the header names and the endpoint's origin)", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ level: "debug" }, sink);
    const started = startTelemetry({
      endpoint: "http://collector.example.test:4318/",
      headers: "x-api-key=SUPER-SECRET-VALUE-1,malformed SECRET-IN-BAD-ENTRY,authorization=Bearer%20SUPER-SECRET-VALUE-2",
      spanExporter: new InMemorySpanExporter(),
      logger: log,
    });
    expect(started).toBe(true);
    const text = lines.join("");
    expect(text).toContain("telemetry on");
    expect(text).toContain("x-api-key");
    expect(text).toContain("http://collector.example.test:4318");
    expect(text).not.toContain("SUPER-SECRET-VALUE");
    expect(text).not.toContain("SECRET-IN-BAD-ENTRY");
  });
});

describe("correlation", () => {
  it("holds the id through async work and stamps it on spans started inside", async () => {
    const exporter = new InMemorySpanExporter();
    startTelemetry({ spanExporter: exporter });
    expect(currentCorrelationId()).toBeUndefined();
    await withCorrelation("corr-unit-0001", async () => {
      await new Promise((r) => setTimeout(r, 5));
      expect(currentCorrelationId()).toBe("corr-unit-0001");
      trace.getTracer("t").startSpan("inside").end();
    });
    trace.getTracer("t").startSpan("outside").end();
    const byName = Object.fromEntries(exporter.getFinishedSpans().map((s) => [s.name, s.attributes[CORRELATION_ATTRIBUTE]]));
    expect(byName).toEqual({ inside: "corr-unit-0001", outside: undefined });
  });
});

describe("statusClass", () => {
  it("buckets statuses and treats no response as error", () => {
    expect([200, 204, 302, 404, 429, 503, undefined].map(statusClass)).toEqual(["2xx", "2xx", "3xx", "4xx", "4xx", "5xx", "error"]);
  });
});

describe("sampling", () => {
  it("drops database spans that belong to no request, job or correlation scope; keeps them inside one", async () => {
    const exporter = new InMemorySpanExporter();
    startTelemetry({ spanExporter: exporter });
    trace.getTracer("t").startSpan("prisma:client:operation").end();
    withCorrelation("corr-unit-0002", () => trace.getTracer("t").startSpan("prisma:client:operation").end());
    trace.getTracer("t").startSpan("other root").end();
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.attributes[CORRELATION_ATTRIBUTE]])).toEqual([
      ["prisma:client:operation", "corr-unit-0002"],
      ["other root", undefined],
    ]);
  });
});
