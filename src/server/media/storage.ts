import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";

import { env } from "~/env";

/** Byte range [start, end) of a stored file. */
export type ByteRange = { start: number; end: number };

/**
 * Where media bytes live. Keys are built by `mediaStorageKey` only (never from user input):
 * `<organizationId>/<yyyy>/<mm>/<random>.<ext>`.
 */
export interface MediaStorage {
  /** Stores the file at `filePath` under `key` (the temp file may be moved away). */
  put(key: string, filePath: string, contentType: string): Promise<void>;
  /** Bytes [start, end) of the file. */
  read(key: string, start: number, end: number): Promise<Buffer>;
  /** The whole file, or bytes [start, end), as a web stream. */
  stream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>>;
  remove(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Size in bytes, or null when there is no such file. */
  size(key: string): Promise<number | null>;
}

/** A stored object under a prefix (the raw archive lists its partitions this way). */
export type StoredObject = { key: string; size: number };

/** Storage that can also enumerate keys under a folder-like prefix ("a/b/", or "" for all). */
export interface ListableStorage extends MediaStorage {
  list(prefix: string): Promise<StoredObject[]>;
}

// Keys never come from a person, but a key is still checked before it becomes a path or an object name.
// "=" is allowed for the raw archive's Hive-style partitions (org=…/provider=…/date=…): never a separator.
const KEY = /^[A-Za-z0-9_=-]+(\/[A-Za-z0-9_=-][A-Za-z0-9_.=-]*)*$/;

export function mediaStorageKey(organizationId: string, ext: string, now: Date = new Date(), suffix = ""): string {
  const yyyy = String(now.getUTCFullYear());
  const mm = String(now.getUTCMonth() + 1).padStart(2, "0");
  // 24 base-36 characters ≈ 124 bits: unguessable and collision-free without a lookup.
  const id = [...randomBytes(24)].map((b) => (b % 36).toString(36)).join("");
  const key = `${organizationId}/${yyyy}/${mm}/${id}${suffix}.${ext}`;
  assertKey(key);
  return key;
}

function assertKey(key: string) {
  if (!KEY.test(key) || key.includes("..") || key.length > 300) throw new Error("Invalid media storage key");
}

function assertPrefix(prefix: string) {
  if (prefix !== "" && (!prefix.endsWith("/") || !KEY.test(prefix.slice(0, -1)) || prefix.includes(".."))) throw new Error("Invalid storage prefix");
}

/** Files under one folder (MEDIA_DIR, relative to the working directory). */
export class LocalDiskStorage implements ListableStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string): string {
    assertKey(key);
    return path.join(this.root, ...key.split("/"));
  }

  async put(key: string, filePath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(path.dirname(target), { recursive: true });
    try {
      await rename(filePath, target);
    } catch (error) {
      // Temp folder on another device: copy instead.
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      await copyFile(filePath, target);
    }
  }

  async read(key: string, start: number, end: number): Promise<Buffer> {
    const handle = await open(this.pathOf(key), "r");
    try {
      const buffer = Buffer.alloc(Math.max(0, end - start));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async stream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    const file = this.pathOf(key);
    await stat(file); // fail here (ENOENT) rather than mid-response
    if (range && range.end <= range.start) return new ReadableStream({ start: (c) => c.close() });
    const node = createReadStream(file, range ? { start: range.start, end: range.end - 1 } : {});
    return Readable.toWeb(node) as ReadableStream<Uint8Array>;
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.size(key)) !== null;
  }

  async size(key: string): Promise<number | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? info.size : null;
    } catch {
      return null;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertPrefix(prefix);
    const base = path.join(this.root, ...prefix.split("/").filter(Boolean));
    let entries;
    try {
      entries = await readdir(base, { recursive: true, withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    const out: StoredObject[] = [];
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      const key = path.relative(this.root, full).split(path.sep).join("/");
      // Leftover temp files (".tmp-…") and anything not a valid key are not objects.
      if (!KEY.test(key)) continue;
      out.push({ key, size: (await stat(full)).size });
    }
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }
}

export type S3StorageOptions = {
  bucket: string;
  region?: string;
  endpoint?: string;
  /** Tests and non-AWS setups; otherwise the SDK's default credential chain. */
  credentials?: S3ClientConfig["credentials"];
};

/** An S3 bucket (or an S3-compatible store such as MinIO, with `endpoint` and path-style URLs). */
export class S3Storage implements ListableStorage {
  readonly client: S3Client;
  readonly bucket: string;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      region: options.region ?? "us-east-1",
      ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Default CRC checksums stream the body as aws-chunked, which many S3-compatible stores refuse.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async put(key: string, filePath: string, contentType: string): Promise<void> {
    assertKey(key);
    const { size } = await stat(filePath);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: createReadStream(filePath), ContentLength: size, ContentType: contentType }),
    );
  }

  async read(key: string, start: number, end: number): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    const stream = await this.stream(key, { start, end });
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async stream(key: string, range?: ByteRange): Promise<ReadableStream<Uint8Array>> {
    assertKey(key);
    if (range && range.end <= range.start) return new ReadableStream({ start: (c) => c.close() });
    const out = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end - 1}` } : {}) }),
    );
    if (!out.Body) throw new Error("S3 returned no body");
    return out.Body.transformToWebStream();
  }

  async remove(key: string): Promise<void> {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.size(key)) !== null;
  }

  async size(key: string): Promise<number | null> {
    assertKey(key);
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? null;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === "NotFound") return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertPrefix(prefix);
    const out: StoredObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }
}

let configured: MediaStorage | null = null;

/** The configured storage: S3 when MEDIA_S3_BUCKET is set, else the local folder MEDIA_DIR. */
export function mediaStorage(): MediaStorage {
  configured ??= env.MEDIA_S3_BUCKET
    ? new S3Storage({ bucket: env.MEDIA_S3_BUCKET, region: env.MEDIA_S3_REGION, endpoint: env.MEDIA_S3_ENDPOINT })
    : new LocalDiskStorage(env.MEDIA_DIR);
  return configured;
}

/** Tests point the app at a temporary folder (or a double) without touching the environment. */
export function setMediaStorage(storage: MediaStorage | null): void {
  configured = storage;
}
