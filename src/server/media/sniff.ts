import { open } from "node:fs/promises";

import { fileTypeFromBuffer } from "file-type";

import type { MediaKind } from "~/lib/social/networks";

/** What the networks take (and nothing a browser could run: no SVG, HTML or PDF). */
export const ALLOWED_MEDIA_TYPES = {
  "image/jpeg": { ext: "jpg", kind: "IMAGE" },
  "image/png": { ext: "png", kind: "IMAGE" },
  "image/webp": { ext: "webp", kind: "IMAGE" },
  "video/mp4": { ext: "mp4", kind: "VIDEO" },
  "video/quicktime": { ext: "mov", kind: "VIDEO" },
  "video/webm": { ext: "webm", kind: "VIDEO" },
} as const satisfies Record<string, { ext: string; kind: MediaKind }>;

export type AllowedMediaType = keyof typeof ALLOWED_MEDIA_TYPES;

export type Sniffed = { mimeType: AllowedMediaType; ext: string; kind: MediaKind };
export type SniffResult = { ok: true; type: Sniffed } | { ok: false; reason: "empty_file" | "type_not_allowed"; detected: string | null };

/** Enough for every signature file-type knows (it asks for 4100 bytes; MP4 brands and EBML doc types fit well within). */
export const SNIFF_BYTES = 64 * 1024;

/**
 * The type of a file from its first bytes only: the name's extension and the browser's declared
 * Content-Type are ignored, since both are chosen by whoever uploads.
 */
export async function sniffBytes(head: Uint8Array): Promise<SniffResult> {
  if (head.length === 0) return { ok: false, reason: "empty_file", detected: null };
  const found = await fileTypeFromBuffer(head);
  const allowed = found ? (ALLOWED_MEDIA_TYPES as Record<string, { ext: string; kind: MediaKind }>)[found.mime] : undefined;
  if (!found || !allowed) return { ok: false, reason: "type_not_allowed", detected: found?.mime ?? null };
  return { ok: true, type: { mimeType: found.mime as AllowedMediaType, ext: allowed.ext, kind: allowed.kind } };
}

export async function readHead(filePath: string, bytes = SNIFF_BYTES): Promise<Buffer> {
  const handle = await open(filePath, "r");
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function sniffFile(filePath: string): Promise<SniffResult> {
  return sniffBytes(await readHead(filePath));
}
