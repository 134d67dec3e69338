import { open, type FileHandle } from "node:fs/promises";

import sharp from "sharp";

import type { Sniffed } from "./sniff";

export type ProbeResult = { width: number | null; height: number | null; durationMs: number | null };

/** The file's type was accepted but its content cannot be read as that type. */
export class UnreadableMediaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableMediaError";
  }
}

/** Width, height (as displayed) and duration, reading only what is needed from the file. */
export async function probeFile(filePath: string, type: Sniffed): Promise<ProbeResult> {
  if (type.kind === "IMAGE") return probeImage(filePath);
  const handle = await open(filePath, "r");
  try {
    if (type.mimeType === "video/webm") return await probeWebm(handle);
    return await probeIsoBmff(handle);
  } finally {
    await handle.close();
  }
}

async function probeImage(filePath: string): Promise<ProbeResult> {
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(filePath).metadata();
  } catch {
    throw new UnreadableMediaError("image could not be decoded");
  }
  if (!meta.width || !meta.height) throw new UnreadableMediaError("image has no dimensions");
  // EXIF orientations 5–8 are displayed rotated by 90°: the networks judge the aspect as shown.
  const rotated = (meta.orientation ?? 1) >= 5;
  return { width: rotated ? meta.height : meta.width, height: rotated ? meta.width : meta.height, durationMs: null };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

type Box = { type: string; start: number; headerSize: number; size: number };

/** Boxes laid one after another inside `buffer[from, to)`. */
function* boxesIn(buffer: Buffer, from = 0, to = buffer.length): Generator<Box> {
  let pos = from;
  while (pos + 8 <= to) {
    let size = buffer.readUInt32BE(pos);
    const type = buffer.toString("latin1", pos + 4, pos + 8);
    let headerSize = 8;
    if (size === 1) {
      if (pos + 16 > to) return;
      size = Number(buffer.readBigUInt64BE(pos + 8));
      headerSize = 16;
    } else if (size === 0) {
      size = to - pos;
    }
    if (size < headerSize || pos + size > to) return;
    yield { type, start: pos, headerSize, size };
    pos += size;
  }
}

const MAX_MOOV_BYTES = 64 * 1024 * 1024;

/**
 * MP4/MOV: walks the top-level box headers (a few bytes each, seeking past mdat) to find moov,
 * reads moov only, and takes the duration from mvhd and the size from the first video track's tkhd.
 */
async function probeIsoBmff(handle: FileHandle): Promise<ProbeResult> {
  const { size: fileSize } = await handle.stat();
  let pos = 0;
  while (pos + 8 <= fileSize) {
    const head = await readAt(handle, pos, 16);
    if (head.length < 8) break;
    let size = head.readUInt32BE(0);
    const type = head.toString("latin1", 4, 8);
    let headerSize = 8;
    if (size === 1) {
      if (head.length < 16) break;
      size = Number(head.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) {
      size = fileSize - pos;
    }
    if (size < headerSize) break;
    if (type === "moov") {
      if (size > MAX_MOOV_BYTES) throw new UnreadableMediaError("moov box too large");
      const moov = await readAt(handle, pos, size);
      return parseMoov(moov.subarray(headerSize));
    }
    pos += size;
  }
  throw new UnreadableMediaError("no moov box");
}

function fixed16(buffer: Buffer, offset: number): number {
  return buffer.readInt32BE(offset) / 0x10000;
}

function parseMoov(moov: Buffer): ProbeResult {
  let durationMs: number | null = null;
  let dims: { width: number; height: number } | null = null;
  for (const box of boxesIn(moov)) {
    const body = moov.subarray(box.start + box.headerSize, box.start + box.size);
    if (box.type === "mvhd" && body.length >= 20) {
      const v1 = body[0] === 1;
      const timescale = body.readUInt32BE(v1 ? 20 : 12);
      const duration = v1 ? Number(body.readBigUInt64BE(24)) : body.readUInt32BE(16);
      if (timescale > 0 && duration > 0 && duration !== 0xffffffff) durationMs = Math.round((duration * 1000) / timescale);
    } else if (box.type === "trak" && !dims) {
      dims = videoTrackSize(body);
    }
  }
  if (!dims) throw new UnreadableMediaError("no video track");
  return { width: dims.width, height: dims.height, durationMs };
}

function videoTrackSize(trak: Buffer): { width: number; height: number } | null {
  let size: { width: number; height: number } | null = null;
  let isVideo = false;
  for (const box of boxesIn(trak)) {
    const body = trak.subarray(box.start + box.headerSize, box.start + box.size);
    if (box.type === "tkhd") {
      const v1 = body[0] === 1;
      const matrix = v1 ? 52 : 40;
      if (body.length < matrix + 44) continue;
      const width = Math.round(fixed16(body, matrix + 36));
      const height = Math.round(fixed16(body, matrix + 40));
      // A 90°/270° rotation matrix (a = d = 0) means the video is displayed with sides swapped.
      const rotated = body.readInt32BE(matrix) === 0 && body.readInt32BE(matrix + 16) === 0;
      size = rotated ? { width: height, height: width } : { width, height };
    } else if (box.type === "mdia") {
      for (const child of boxesIn(body)) {
        if (child.type !== "hdlr") continue;
        const hdlr = body.subarray(child.start + child.headerSize, child.start + child.size);
        isVideo = hdlr.length >= 12 && hdlr.toString("latin1", 8, 12) === "vide";
      }
    }
  }
  return isVideo && size && size.width > 0 && size.height > 0 ? size : null;
}

// ─── WebM (EBML) ───

const WEBM_HEAD_BYTES = 1024 * 1024;
const EBML = { Segment: 0x18538067, Info: 0x1549a966, TimecodeScale: 0x2ad7b1, Duration: 0x4489, Tracks: 0x1654ae6b, TrackEntry: 0xae, TrackType: 0x83, Video: 0xe0, PixelWidth: 0xb0, PixelHeight: 0xba, Cluster: 0x1f43b675 };

type Element = { id: number; dataStart: number; dataEnd: number; unknownSize: boolean };

function readVint(buffer: Buffer, pos: number, keepMarker: boolean): { value: number; length: number; allOnes: boolean } | null {
  const first = buffer[pos];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23; // leading zeros within the byte, plus one
  if (length > 8 || pos + length > buffer.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const byte = buffer[pos + i]!;
    value = value * 256 + byte;
    if (byte !== 0xff) allOnes = false;
  }
  return { value, length, allOnes };
}

function* elementsIn(buffer: Buffer, from: number, to: number): Generator<Element> {
  let pos = from;
  while (pos < to) {
    const id = readVint(buffer, pos, true);
    if (!id) return;
    const size = readVint(buffer, pos + id.length, false);
    if (!size) return;
    const dataStart = pos + id.length + size.length;
    const unknownSize = size.allOnes;
    const dataEnd = unknownSize ? to : Math.min(dataStart + size.value, to);
    yield { id: id.value, dataStart, dataEnd, unknownSize };
    if (unknownSize || dataStart + size.value > to) return;
    pos = dataEnd;
  }
}

function readUint(buffer: Buffer, el: Element): number {
  let value = 0;
  for (let i = el.dataStart; i < el.dataEnd; i++) value = value * 256 + buffer[i]!;
  return value;
}

/** WebM: Segment/Info (TimecodeScale × Duration) and the first video track's pixel size, from the first MiB. */
async function probeWebm(handle: FileHandle): Promise<ProbeResult> {
  const buffer = await readAt(handle, 0, WEBM_HEAD_BYTES);
  const result: ProbeResult = { width: null, height: null, durationMs: null };
  for (const top of elementsIn(buffer, 0, buffer.length)) {
    if (top.id !== EBML.Segment) continue;
    for (const el of elementsIn(buffer, top.dataStart, top.dataEnd)) {
      if (el.id === EBML.Cluster) break;
      if (el.id === EBML.Info) {
        let scale = 1_000_000;
        let duration: number | null = null;
        for (const field of elementsIn(buffer, el.dataStart, el.dataEnd)) {
          if (field.id === EBML.TimecodeScale) scale = readUint(buffer, field);
          if (field.id === EBML.Duration) {
            const length = field.dataEnd - field.dataStart;
            if (length === 4) duration = buffer.readFloatBE(field.dataStart);
            if (length === 8) duration = buffer.readDoubleBE(field.dataStart);
          }
        }
        if (duration !== null && Number.isFinite(duration) && duration > 0) result.durationMs = Math.round((duration * scale) / 1_000_000);
      } else if (el.id === EBML.Tracks && result.width === null) {
        for (const entry of elementsIn(buffer, el.dataStart, el.dataEnd)) {
          if (entry.id !== EBML.TrackEntry) continue;
          for (const field of elementsIn(buffer, entry.dataStart, entry.dataEnd)) {
            if (field.id !== EBML.Video) continue;
            for (const v of elementsIn(buffer, field.dataStart, field.dataEnd)) {
              if (v.id === EBML.PixelWidth) result.width = readUint(buffer, v);
              if (v.id === EBML.PixelHeight) result.height = readUint(buffer, v);
            }
          }
          if (result.width !== null) break;
        }
      }
    }
    break;
  }
  return result;
}
