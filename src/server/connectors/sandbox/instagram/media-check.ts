import sharp from "sharp";

import { NETWORK_LIMITS } from "~/lib/social/networks";

/**
 * How the sandbox fetches and checks a container's media, like Meta's servers do: download the
 * public URL, then look at the bytes (not the URL or the Content-Type). Returns null when the media
 * is acceptable, or the readable reason the container ends in ERROR.
 */
const LIMITS = NETWORK_LIMITS.INSTAGRAM;
const ASPECT_TOLERANCE = 0.005;

export type MediaCheckKind = "IMAGE" | "VIDEO";

export async function checkInstagramMedia(doFetch: typeof fetch, url: string, kind: MediaCheckKind, timeoutMs = kind === "IMAGE" ? 30_000 : 300_000): Promise<string | null> {
  const maxBytes = kind === "IMAGE" ? LIMITS.image!.maxBytes : LIMITS.video!.maxBytes;
  let bytes: Buffer;
  try {
    const response = await doFetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    if (!response.ok) {
      await response.body?.cancel();
      return `Media download has failed: the media URI answered HTTP ${response.status}.`;
    }
    const read = await readAtMost(response, maxBytes);
    if (!read) return tooLarge(kind, maxBytes);
    bytes = read;
  } catch {
    return "Media download has failed: the media URI could not be fetched.";
  }
  return kind === "IMAGE" ? checkImage(bytes) : checkVideo(bytes);
}

function tooLarge(kind: MediaCheckKind, maxBytes: number): string {
  return `The ${kind === "IMAGE" ? "image" : "video"} is too large (maximum ${maxBytes / 1048576} MB).`;
}

/** The body, or null as soon as it passes `maxBytes` (the download stops there, nothing more is held). */
async function readAtMost(response: Response, maxBytes: number): Promise<Buffer | null> {
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

async function checkImage(bytes: Buffer): Promise<string | null> {
  const rules = LIMITS.image!;
  // Only JPEG is accepted by the Graph API publishing endpoints; PNG/WebP/GIF end in ERROR.
  if (!(bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)) {
    return "The image format is not supported: only JPEG images can be published.";
  }
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes).metadata());
  } catch {
    return "The image could not be decoded.";
  }
  if (!width || !height) return "The image could not be decoded.";
  const aspect = width / height;
  if (aspect < rules.minAspect - ASPECT_TOLERANCE || aspect > rules.maxAspect + ASPECT_TOLERANCE) {
    return `The aspect ratio ${aspect.toFixed(2)} is not supported: it must be between 4:5 (0.8) and 1.91:1.`;
  }
  return null;
}

function checkVideo(bytes: Buffer): string | null {
  const rules = LIMITS.video!;
  // MP4 and MOV are ISO base media files: the first box is `ftyp` (QuickTime may start with others).
  const boxType = bytes.length >= 8 ? bytes.toString("latin1", 4, 8) : "";
  if (!["ftyp", "moov", "mdat", "wide", "free"].includes(boxType)) return "The video format is not supported: Reels must be MP4 or MOV.";
  const durationMs = mp4DurationMs(bytes);
  if (durationMs === null) return "The video could not be read: no movie header (moov/mvhd) was found.";
  if (durationMs < rules.minDurationMs || durationMs > rules.maxDurationMs) {
    return `The video duration ${(durationMs / 1000).toFixed(1)} s is not supported: Reels must be between 3 s and 15 min.`;
  }
  return null;
}

/** Duration from the `mvhd` box inside `moov` (version 0 or 1), or null when there is none. */
export function mp4DurationMs(bytes: Buffer): number | null {
  const moov = findBox(bytes, 0, bytes.length, "moov");
  if (!moov) return null;
  const mvhd = findBox(bytes, moov.start, moov.end, "mvhd");
  if (!mvhd) return null;
  const version = bytes[mvhd.start];
  if (version === 1) {
    if (mvhd.start + 32 > mvhd.end) return null;
    const timescale = bytes.readUInt32BE(mvhd.start + 20);
    const duration = Number(bytes.readBigUInt64BE(mvhd.start + 24));
    return timescale > 0 ? Math.round((duration / timescale) * 1000) : null;
  }
  if (mvhd.start + 20 > mvhd.end) return null;
  const timescale = bytes.readUInt32BE(mvhd.start + 12);
  const duration = bytes.readUInt32BE(mvhd.start + 16);
  return timescale > 0 ? Math.round((duration / timescale) * 1000) : null;
}

/** Content range [start, end) of the first box of `type` between `from` and `to`. */
function findBox(bytes: Buffer, from: number, to: number, type: string): { start: number; end: number } | null {
  let offset = from;
  while (offset + 8 <= to) {
    let size = bytes.readUInt32BE(offset);
    const name = bytes.toString("latin1", offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > to) return null;
      size = Number(bytes.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < header) return null;
    if (name === type) return { start: offset + header, end: Math.min(to, offset + size) };
    offset += size;
  }
  return null;
}
