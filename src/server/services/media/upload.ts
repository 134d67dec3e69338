import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { env } from "~/env";
import { boundaryOf, MultipartError, receiveMultipart, type ReceivedFile } from "~/server/media/multipart";
import { probeFile, UnreadableMediaError, type ProbeResult } from "~/server/media/probe";
import { scanFile } from "~/server/media/scan";
import { ALLOWED_MEDIA_TYPES, sniffFile, type Sniffed } from "~/server/media/sniff";
import { mediaStorage, mediaStorageKey } from "~/server/media/storage";
import { makeThumbnail } from "~/server/media/thumbnail";
import { AppError, notFound } from "~/server/lib/errors";
import { contentExists, createMedia, findStoredByChecksum, lockContent, nextMediaPosition, type NewMedia } from "~/server/repositories/media";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { contentChanged } from "../publishing/hooks";
import { toMediaView, type MediaView } from "./media";

/** Stable codes of the upload endpoint (the UI translates them under media.uploadErrors). */
export type UploadErrorCode =
  | "too_large"
  | "empty_file"
  | "no_file"
  | "bad_request"
  | "content_not_found"
  | "type_not_allowed"
  | "malware_signature"
  | "embedded_script"
  | "scanner_rejected"
  | "unreadable_file"
  | "scan_failed";

export type UploadOutcome =
  | { ok: true; media: MediaView }
  /** `media` is the REJECTED row kept so the person sees why (null when nothing was recorded). */
  | { ok: false; status: number; code: UploadErrorCode; message: string; media: MediaView | null };

export type UploadRequest = { body: ReadableStream<Uint8Array> | null; contentType: string | null; contentLength: number | null };

// Multipart framing (boundaries, part headers, the contentId field) on top of the file itself.
const FORM_OVERHEAD_BYTES = 64 * 1024;

const MESSAGES: Record<UploadErrorCode, string> = {
  too_large: "The file is larger than the upload limit",
  empty_file: "The file is empty",
  no_file: "No file was sent (form field \"file\")",
  bad_request: "The upload is not a valid multipart/form-data body",
  content_not_found: "Content not found",
  type_not_allowed: "Only JPEG, PNG, WebP, MP4, MOV and WebM files are accepted",
  malware_signature: "The file contains a malware signature",
  embedded_script: "The image contains embedded code or markup",
  scanner_rejected: "The virus scanner rejected the file",
  unreadable_file: "The file is damaged or cannot be read",
  scan_failed: "The file could not be checked for viruses; try again later",
};

const STATUS: Record<UploadErrorCode, number> = {
  too_large: 413,
  empty_file: 400,
  no_file: 400,
  bad_request: 400,
  content_not_found: 404,
  type_not_allowed: 415,
  malware_signature: 422,
  embedded_script: 422,
  scanner_rejected: 422,
  unreadable_file: 422,
  scan_failed: 503,
};

function failure(code: UploadErrorCode, media: MediaView | null = null): UploadOutcome {
  const message = code === "too_large" ? `The file is larger than the upload limit (${env.MEDIA_MAX_UPLOAD_MB} MB)` : MESSAGES[code];
  return { ok: false, status: STATUS[code], code, message, media };
}

export function maxUploadBytes(): number {
  return env.MEDIA_MAX_UPLOAD_MB * 1024 * 1024;
}

export function uploadLimits() {
  return { maxUploadBytes: maxUploadBytes(), acceptedTypes: Object.keys(ALLOWED_MEDIA_TYPES) };
}

/**
 * POST /api/v1/media: receives a multipart upload (field `file`, optional `contentId`) into a temp
 * file, then sniff → scan → probe → thumbnail → store → Media row. Rejected files keep a REJECTED
 * row (reason shown to the person) but their bytes are never stored. Bytes already stored in the
 * organization (same SHA-256) are not stored again: the new row points at the same storage keys.
 */
export async function uploadMedia(ctx: TenantCtx, request: UploadRequest): Promise<UploadOutcome> {
  const limit = maxUploadBytes();
  if (request.contentLength !== null && request.contentLength > limit + FORM_OVERHEAD_BYTES) return failure("too_large");
  const boundary = boundaryOf(request.contentType);
  if (!boundary || !request.body) return failure("bad_request");

  const dir = await mkdtemp(path.join(tmpdir(), "ss-upload-"));
  try {
    let file: ReceivedFile | null;
    let fields: Record<string, string>;
    try {
      ({ file, fields } = await receiveMultipart(request.body, boundary, { fileField: "file", maxFileBytes: limit, tempPath: path.join(dir, "upload") }));
    } catch (error) {
      if (error instanceof MultipartError) return failure(error.code);
      throw error;
    }
    if (!file) return failure("no_file");
    if (file.sizeBytes === 0) return failure("empty_file");
    const contentId = fields.contentId?.trim() || null;
    if (contentId && !(await contentExists(ctx.db, ctx.tenant.organizationId, contentId))) return failure("content_not_found");
    try {
      return await processUpload(ctx, file, contentId, dir);
    } catch (error) {
      // The content was deleted while the file was being checked.
      if (error instanceof AppError && error.code === "NOT_FOUND") return failure("content_not_found");
      throw error;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Accepted = { type: Sniffed; facts: ProbeResult; storageKey: string; thumbnailKey: string | null; stored: string[] };

async function processUpload(ctx: TenantCtx, file: ReceivedFile, contentId: string | null, dir: string): Promise<UploadOutcome> {
  const { organizationId } = ctx.tenant;
  const base = { contentId, fileName: file.fileName, sizeBytes: file.sizeBytes, checksumSha256: file.sha256 };

  const sniffed = await sniffFile(file.path);
  if (!sniffed.ok) {
    if (sniffed.reason === "empty_file") return failure("empty_file");
    return reject(ctx, base, sniffed.detected ?? "application/octet-stream", "type_not_allowed");
  }
  const type = sniffed.type;
  const verdict = await scanFile(file.path, type);
  if (!verdict.ok) {
    if (verdict.reason === "scan_failed") {
      ctx.log.warn({ checksum: file.sha256 }, "media scanner gave no answer");
      return failure("scan_failed");
    }
    return reject(ctx, base, type.mimeType, verdict.reason);
  }

  let accepted: Accepted;
  const existing = await findStoredByChecksum(ctx.db, organizationId, file.sha256);
  if (existing && existing.mimeType === type.mimeType) {
    accepted = {
      type,
      facts: { width: existing.width, height: existing.height, durationMs: existing.durationMs },
      storageKey: existing.storageKey,
      thumbnailKey: existing.thumbnailKey,
      stored: [],
    };
  } else {
    let facts: ProbeResult;
    let thumbnail: Buffer;
    try {
      facts = await probeFile(file.path, type);
      thumbnail = await makeThumbnail(file.path, type, facts);
    } catch (error) {
      if (error instanceof UnreadableMediaError || type.kind === "IMAGE") return reject(ctx, base, type.mimeType, "unreadable_file");
      throw error;
    }
    const storage = mediaStorage();
    const now = new Date();
    const storageKey = mediaStorageKey(organizationId, type.ext, now);
    const thumbnailKey = mediaStorageKey(organizationId, "jpg", now, ".thumb");
    const thumbPath = path.join(dir, "thumbnail.jpg");
    await writeFile(thumbPath, thumbnail);
    await storage.put(storageKey, file.path, type.mimeType);
    try {
      await storage.put(thumbnailKey, thumbPath, "image/jpeg");
    } catch (error) {
      await storage.remove(storageKey).catch(() => undefined);
      throw error;
    }
    accepted = { type, facts, storageKey, thumbnailKey, stored: [storageKey, thumbnailKey] };
  }

  try {
    const row = await record(ctx, {
      ...base,
      mimeType: type.mimeType,
      storageKey: accepted.storageKey,
      thumbnailKey: accepted.thumbnailKey,
      width: accepted.facts.width,
      height: accepted.facts.height,
      durationMs: accepted.facts.durationMs,
      status: "READY",
      rejectReason: null,
    }, existing ? { reusedFrom: existing.id } : {});
    return { ok: true, media: row };
  } catch (error) {
    // No row points at freshly stored bytes: remove them rather than leave orphans.
    const storage = mediaStorage();
    await Promise.all(accepted.stored.map((key) => storage.remove(key).catch(() => undefined)));
    throw error;
  }
}

type RowBase = { contentId: string | null; fileName: string; sizeBytes: number; checksumSha256: string };

async function reject(ctx: TenantCtx, base: RowBase, mimeType: string, reason: Exclude<UploadErrorCode, "scan_failed">): Promise<UploadOutcome> {
  const row = await record(ctx, {
    ...base,
    mimeType,
    storageKey: "",
    thumbnailKey: null,
    width: null,
    height: null,
    durationMs: null,
    status: "REJECTED",
    rejectReason: reason,
  });
  return failure(reason, row);
}

async function record(ctx: TenantCtx, data: Omit<NewMedia, "position">, metadata: Record<string, string> = {}): Promise<MediaView> {
  const { organizationId, userId } = ctx.tenant;
  const row = await ctx.db.$transaction(async (tx) => {
    if (data.contentId && !(await lockContent(tx, organizationId, data.contentId))) throw notFound("Content");
    const position = data.contentId ? await nextMediaPosition(tx, organizationId, data.contentId) : 0;
    const created = await createMedia(tx, organizationId, { ...data, position });
    await audit(tx, { organizationId, userId, request: ctx.request }, "media.uploaded", { type: "media", id: created.id }, {
      status: created.status,
      ...(created.rejectReason ? { rejectReason: created.rejectReason } : {}),
      ...(data.contentId ? { contentId: data.contentId } : {}),
      sizeBytes: data.sizeBytes,
      mimeType: data.mimeType,
      ...metadata,
    });
    return created;
  });
  if (data.contentId && row.status === "READY") await contentChanged(ctx.db, organizationId, data.contentId);
  return toMediaView(row);
}
