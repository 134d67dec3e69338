/**
 * The raw archive's object layout and its two backends: local disk, and S3 (an S3 double served
 * over HTTP speaking PUT / GET / HEAD / DELETE / ListObjectsV2, path-style).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { metrics } from "@opentelemetry/api";
import { AggregationTemporality, MeterProvider, MetricReader, type ResourceMetrics } from "@opentelemetry/sdk-metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { serveFetch, type ServedFetch } from "../../../../tests/helpers/serve-fetch";
import { logger } from "~/server/lib/logger";
import { LocalDiskStorage, S3Storage } from "~/server/media/storage";
import { resetInstruments } from "~/server/observability/metrics";
import { listArchiveObjects, organizationPrefix, parseArchiveKey, RawArchiveRecorder, rawArchiveStats, readArchiveObject, setRawArchiveStorage } from "./raw-archive";

const log = logger;

async function writeSample(organizationId: string, fetchedAt: Date, kind: "listings" | "metrics" = "listings") {
  const recorder = new RawArchiveRecorder({ organizationId, log }, { kind, provider: "MERCADOLIVRE", connectionId: "conn_1" });
  const items = await recorder.fetch("getItems", { externalIds: ["MLB1", "MLB2"] }, async () => [{ externalId: "MLB1" }, { externalId: "MLB2" }]);
  expect(items).toHaveLength(2);
  recorder.record("getVisits", { externalIds: ["MLB1"], from: "2026-03-01", to: "2026-03-01" }, [{ externalId: "MLB1", date: "2026-03-01", visits: 4 }], fetchedAt);
  return recorder.flush(fetchedAt);
}

describe("keys", () => {
  it("parses only keys the recorder writes", () => {
    expect(parseArchiveKey({ key: "org=o1/provider=SHOPEE/date=2026-03-01/metrics-20260301T000000000Z-abc123.jsonl.gz", size: 5 })).toMatchObject({
      provider: "SHOPEE",
      date: "2026-03-01",
      kind: "metrics",
    });
    expect(parseArchiveKey({ key: "org=o1/provider=SHOPEE/date=2026-03-01/other-20260301T000000000Z-abc.jsonl.gz", size: 5 })).toBeNull();
    expect(parseArchiveKey({ key: "org=o1/notes.txt", size: 5 })).toBeNull();
  });

  it("refuses an organization id that could leave its folder", () => {
    expect(() => organizationPrefix("../o2")).toThrow();
    expect(() => organizationPrefix("o1/x")).toThrow();
    expect(organizationPrefix("cm1abc")).toBe("org=cm1abc/");
  });
});

describe("local disk", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "raw-archive-unit-"));
    setRawArchiveStorage(new LocalDiskStorage(dir));
  });
  afterAll(async () => {
    setRawArchiveStorage(null);
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one gzip JSON-lines object per flush, lists it by organization and day, reads it back", async () => {
    const key = await writeSample("orgA", new Date("2026-03-01T10:00:00Z"));
    expect(key).toMatch(/^org=orgA\/provider=MERCADOLIVRE\/date=\d{4}-\d{2}-\d{2}\/listings-[A-Za-z0-9]+-[a-z0-9]+\.jsonl\.gz$/);
    await writeSample("orgB", new Date("2026-03-01T10:00:00Z"));
    const objects = await listArchiveObjects("orgA");
    expect(objects.map((o) => o.key)).toEqual([key]);
    const lines = await readArchiveObject("orgA", objects[0]!);
    expect(lines.map((l) => l.request.op)).toEqual(["getItems", "getVisits", "stored"]);
    expect(lines[1]).toMatchObject({ v: 1, kind: "listings", provider: "MERCADOLIVRE", connectionId: "conn_1", fetchedAt: "2026-03-01T10:00:00.000Z" });
    await expect(readArchiveObject("orgB", objects[0]!)).rejects.toThrow(/outside the organization/);
    expect(await listArchiveObjects("orgA", { from: "2999-01-01" })).toEqual([]);
    expect(await listArchiveObjects("orgA", { to: "2000-01-01" })).toEqual([]);
    expect(await listArchiveObjects("orgA", { kind: "metrics" })).toEqual([]);
  });

  it("writes nothing for an empty step", async () => {
    const recorder = new RawArchiveRecorder({ organizationId: "orgC", log }, { kind: "sales", provider: "MERCADOLIVRE", connectionId: "conn_1" });
    expect(await recorder.flush(new Date())).toBeNull();
    expect(await listArchiveObjects("orgC")).toEqual([]);
  });
});

describe("S3 against a local double", () => {
  const objects = new Map<string, Buffer>();
  let double: ServedFetch;
  beforeAll(async () => {
    double = await serveFetch(async (request) => {
      const url = new URL(request.url);
      if (request.method === "GET" && url.searchParams.get("list-type") === "2") {
        const bucket = url.pathname.replace(/^\/|\/$/g, "");
        const prefix = url.searchParams.get("prefix") ?? "";
        const keys = [...objects.keys()].filter((k) => k.startsWith(`/${bucket}/${prefix}`)).map((k) => k.slice(bucket.length + 2));
        const contents = keys.map((k) => `<Contents><Key>${k}</Key><Size>${objects.get(`/${bucket}/${k}`)!.length}</Size></Contents>`).join("");
        return new Response(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`, {
          headers: { "content-type": "application/xml" },
        });
      }
      const path = decodeURIComponent(url.pathname);
      if (request.method === "PUT") {
        objects.set(path, Buffer.from(await request.arrayBuffer()));
        return new Response(null, { status: 200, headers: { etag: '"x"' } });
      }
      if (request.method === "DELETE") {
        objects.delete(path);
        return new Response(null, { status: 204 });
      }
      const object = objects.get(path);
      if (!object) return new Response(null, { status: 404 });
      const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.get("range") ?? "");
      const body = range ? object.subarray(Number(range[1]), Number(range[2]) + 1) : object;
      return new Response(new Uint8Array(body), { status: range ? 206 : 200, headers: { "content-length": String(body.length), etag: '"x"' } });
    });
    setRawArchiveStorage(new S3Storage({ bucket: "lake", region: "sa-east-1", endpoint: double.url, credentials: { accessKeyId: "test", secretAccessKey: "test" } }));
  });
  afterAll(async () => {
    setRawArchiveStorage(null);
    await double.close();
  });

  it("puts gzip objects in the bucket under the partition key, lists and reads them back", async () => {
    const key = (await writeSample("orgS3", new Date("2026-04-02T08:00:00Z"), "metrics"))!;
    expect(key).toMatch(/^org=orgS3\/provider=MERCADOLIVRE\/date=\d{4}-\d{2}-\d{2}\/metrics-/);
    const stored = objects.get(`/lake/${key}`);
    expect(stored).toBeDefined();
    expect(gunzipSync(stored!).toString("utf8").trim().split("\n")).toHaveLength(3);
    const listed = await listArchiveObjects("orgS3");
    expect(listed).toEqual([expect.objectContaining({ key, size: stored!.length, kind: "metrics", provider: "MERCADOLIVRE" })]);
    expect((await readArchiveObject("orgS3", listed[0]!)).map((l) => l.request.op)).toEqual(["getItems", "getVisits", "stored"]);
    expect(await listArchiveObjects("orgOther")).toEqual([]);
  });
});

describe("a write that fails", () => {
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
  let dir: string;
  const reader = new TestReader();
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "raw-archive-fail-"));
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
    resetInstruments();
  });
  afterAll(async () => {
    setRawArchiveStorage(null);
    metrics.disable();
    resetInstruments();
    await rm(dir, { recursive: true, force: true });
  });

  it("is swallowed, logged and counted (in process and as app.raw_archive.write_failures)", async () => {
    // A regular file where the archive folder should be: the write fails for real (ENOTDIR).
    const blocker = path.join(dir, "file");
    await writeFile(blocker, "x");
    setRawArchiveStorage(new LocalDiskStorage(blocker));
    const before = rawArchiveStats().writeFailures;
    expect(await writeSample("orgF", new Date("2026-03-01T10:00:00Z"))).toBeNull();
    expect(rawArchiveStats().writeFailures).toBe(before + 1);
    const { resourceMetrics } = (await reader.collect()) as { resourceMetrics: ResourceMetrics };
    const points = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).filter((m) => m.descriptor.name === "app.raw_archive.write_failures").flatMap((m) => m.dataPoints as { value: unknown; attributes: unknown }[]);
    expect(points).toEqual([expect.objectContaining({ value: 1, attributes: { "app.provider": "MERCADOLIVRE", "app.kind": "listings" } })]);
  });
});
