/**
 * The raw archive ("data lake"): every payload a background function fetched from a provider during
 * ingestion, as gzip-compressed JSON lines partitioned by organization, provider and UTC day:
 *
 *   org=<organizationId>/provider=<PROVIDER>/date=YYYY-MM-DD/<kind>-<stamp>-<random>.jsonl.gz
 *
 * One object per sync step (a page of listings, one analytics run…), one line per provider call.
 * The payload is what the connector returned for that call (the provider's answer as the
 * connector's plain types); the request descriptor names the call and its parameters, never a
 * credential. Reprocessing (reprocess.ts) feeds these lines back through the sync's own store step.
 *
 * Writing never fails a sync: a failed write is logged (no payload, no secret) and counted.
 */
import { randomBytes } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";

import { env } from "~/env";
import { LocalDiskStorage, S3Storage, type ListableStorage, type StoredObject } from "~/server/media/storage";
import type { Logger } from "~/server/lib/logger";
import { recordRawArchiveWriteFailure } from "~/server/observability/metrics";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** What a flow archives: listings (items + visits), social metrics, sales history, market signals. */
export const ARCHIVE_KINDS = ["listings", "metrics", "sales", "signals"] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

/** One fetched payload, one line of an archive object. */
export type ArchiveLine = {
  v: 1;
  fetchedAt: string;
  kind: ArchiveKind;
  provider: string;
  connectionId: string;
  /** The connector call and its parameters (ids, dates, cursor): never a token. */
  request: { op: string; params: Record<string, unknown> };
  payload: unknown;
};

export type ArchiveObject = StoredObject & { provider: string; date: string; kind: ArchiveKind };

let configured: ListableStorage | null = null;

/** S3 when RAW_ARCHIVE_S3_BUCKET is set, else the local folder RAW_ARCHIVE_DIR. */
export function rawArchiveStorage(): ListableStorage {
  configured ??= env.RAW_ARCHIVE_S3_BUCKET
    ? new S3Storage({
        bucket: env.RAW_ARCHIVE_S3_BUCKET,
        region: env.RAW_ARCHIVE_S3_REGION ?? env.MEDIA_S3_REGION,
        endpoint: env.RAW_ARCHIVE_S3_ENDPOINT ?? env.MEDIA_S3_ENDPOINT,
      })
    : new LocalDiskStorage(env.RAW_ARCHIVE_DIR);
  return configured;
}

/** Tests point the archive at a temporary folder (or a failing double). */
export function setRawArchiveStorage(storage: ListableStorage | null): void {
  configured = storage;
}

let enabledOverride: boolean | null = null;
/** Tests switch archiving off without touching the environment. */
export function setRawArchiveEnabled(enabled: boolean | null): void {
  enabledOverride = enabled;
}
const archiveEnabled = () => enabledOverride ?? env.RAW_ARCHIVE_ENABLED;

/** In-process counters (tests, diagnostics); failures also go to OpenTelemetry and the log. */
const stats = { objectsWritten: 0, linesWritten: 0, writeFailures: 0 };
export function rawArchiveStats(): Readonly<typeof stats> {
  return { ...stats };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const PROVIDER = /^[A-Z_]{2,32}$/;
const KEY_PARTS = /^org=([A-Za-z0-9_-]+)\/provider=([A-Z_]+)\/date=(\d{4}-\d{2}-\d{2})\/([a-z]+)-[A-Za-z0-9]+-[a-z0-9]+\.jsonl\.gz$/;

/** The folder of one organization: every read and delete starts from it, so no other is ever touched. */
export function organizationPrefix(organizationId: string): string {
  if (!ID.test(organizationId)) throw new Error("Invalid organization id for the raw archive");
  return `org=${organizationId}/`;
}

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Parses a key written by `flush` (anything else under the prefix is ignored). */
export function parseArchiveKey(object: StoredObject): ArchiveObject | null {
  const match = KEY_PARTS.exec(object.key);
  if (!match || !(ARCHIVE_KINDS as readonly string[]).includes(match[4]!)) return null;
  return { ...object, provider: match[2]!, date: match[3]!, kind: match[4] as ArchiveKind };
}

/**
 * Collects the payloads of one step and writes them as one object. A service creates one per step,
 * wraps each provider call in `fetch`, and calls `flush` once the step's data is stored.
 */
export class RawArchiveRecorder {
  private lines: ArchiveLine[] = [];

  constructor(
    private readonly ctx: { organizationId: string; log: Logger },
    private readonly scope: { kind: ArchiveKind; provider: string; connectionId: string },
  ) {}

  /** Runs one provider call and keeps its answer for the archive. */
  async fetch<T>(op: string, params: Record<string, unknown>, call: () => Promise<T>): Promise<T> {
    const payload = await call();
    this.record(op, params, payload);
    return payload;
  }

  record(op: string, params: Record<string, unknown>, payload: unknown, fetchedAt = new Date()): void {
    if (!archiveEnabled()) return;
    this.lines.push({ v: 1, fetchedAt: fetchedAt.toISOString(), kind: this.scope.kind, provider: this.scope.provider, connectionId: this.scope.connectionId, request: { op, params }, payload });
  }

  get size(): number {
    return this.lines.length;
  }

  /**
   * Writes what was recorded (nothing when empty); never throws. Returns the key written, or null.
   * `storedAt` (the instant the step stored its rows as) ends the object with a "stored" line, so a
   * reprocess stores the same rows with the same timestamps.
   */
  async flush(storedAt?: Date): Promise<string | null> {
    if (storedAt && this.lines.length > 0) this.record("stored", { at: storedAt.toISOString() }, null);
    const lines = this.lines;
    this.lines = [];
    if (lines.length === 0) return null;
    let key: string | null = null;
    let tmp: string | null = null;
    try {
      if (!PROVIDER.test(this.scope.provider) || !ID.test(this.scope.connectionId)) throw new Error("Invalid archive scope");
      const first = new Date(lines[0]!.fetchedAt);
      // The stamp orders a partition's objects by time, which is the order reprocessing replays them in.
      const stamp = lines[0]!.fetchedAt.replace(/[-:.]/g, "");
      const random = [...randomBytes(8)].map((b) => (b % 36).toString(36)).join("");
      key = `${organizationPrefix(this.ctx.organizationId)}provider=${this.scope.provider}/date=${isoDay(first)}/${this.scope.kind}-${stamp}-${random}.jsonl.gz`;
      const body = await gzipAsync(Buffer.from(lines.map((l) => JSON.stringify(l)).join("\n") + "\n"));
      tmp = path.join(os.tmpdir(), `raw-archive-${random}.gz`);
      await writeFile(tmp, body);
      await rawArchiveStorage().put(key, tmp, "application/gzip");
      stats.objectsWritten += 1;
      stats.linesWritten += lines.length;
      return key;
    } catch (error) {
      stats.writeFailures += 1;
      recordRawArchiveWriteFailure(this.scope.provider, this.scope.kind);
      // The step's data is already stored: only the archive copy is lost, and this line says so.
      this.ctx.log.warn(
        { key, kind: this.scope.kind, connectionId: this.scope.connectionId, lines: lines.length, error: error instanceof Error ? error.message.slice(0, 300) : "unknown" },
        "raw archive write failed",
      );
      return null;
    } finally {
      if (tmp) await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}

/** The organization's archive objects, optionally only one kind and a day range (inclusive, YYYY-MM-DD). */
export async function listArchiveObjects(organizationId: string, filter: { kind?: ArchiveKind; from?: string; to?: string } = {}): Promise<ArchiveObject[]> {
  const prefix = organizationPrefix(organizationId);
  const objects = await rawArchiveStorage().list(prefix);
  return objects
    .filter((o) => o.key.startsWith(prefix))
    .map(parseArchiveKey)
    .filter((o): o is ArchiveObject => o !== null)
    .filter((o) => (!filter.kind || o.kind === filter.kind) && (!filter.from || o.date >= filter.from) && (!filter.to || o.date <= filter.to))
    .sort((a, b) => a.date.localeCompare(b.date) || objectName(a).localeCompare(objectName(b)));
}

const objectName = (o: ArchiveObject) => o.key.slice(o.key.lastIndexOf("/") + 1).replace(/^[a-z]+-/, "");

/** The lines of one object of this organization (the key must be under its prefix). */
export async function readArchiveObject(organizationId: string, object: StoredObject): Promise<ArchiveLine[]> {
  if (!object.key.startsWith(organizationPrefix(organizationId))) throw new Error("Archive object outside the organization");
  const bytes = await rawArchiveStorage().read(object.key, 0, object.size);
  const text = (await gunzipAsync(bytes)).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ArchiveLine);
}
