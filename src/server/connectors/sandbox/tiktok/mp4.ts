/**
 * Just enough ISO-BMFF reading for the sandbox to check an upload the way TikTok's processing does,
 * cheaply: the file starts with an `ftyp` box, and `moov/mvhd` (when it is within the bytes kept)
 * gives the duration. Files whose `moov` sits after the media data are checked for type only.
 */
export type Mp4Info = { isMp4: boolean; durationSec: number | null };

type Box = { type: string; start: number; headerSize: number; end: number };

function boxes(bytes: Uint8Array, from: number, to: number): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Box[] = [];
  let offset = from;
  while (offset + 8 <= to) {
    let size = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    let headerSize = 8;
    if (size === 1) {
      if (offset + 16 > to) break;
      size = Number(view.getBigUint64(offset + 8));
      headerSize = 16;
    } else if (size === 0) {
      size = to - offset;
    }
    if (size < headerSize) break;
    out.push({ type, start: offset, headerSize, end: Math.min(offset + size, to) });
    offset += size;
  }
  return out;
}

export function mp4Info(bytes: Uint8Array): Mp4Info {
  const top = boxes(bytes, 0, bytes.length);
  if (top[0]?.type !== "ftyp") return { isMp4: false, durationSec: null };
  const moov = top.find((b) => b.type === "moov");
  const mvhd = moov ? boxes(bytes, moov.start + moov.headerSize, moov.end).find((b) => b.type === "mvhd") : undefined;
  if (!mvhd) return { isMp4: true, durationSec: null };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const body = mvhd.start + mvhd.headerSize;
  if (body + 32 > mvhd.end) return { isMp4: true, durationSec: null };
  const version = bytes[body];
  const timescale = version === 1 ? view.getUint32(body + 20) : view.getUint32(body + 12);
  const duration = version === 1 ? Number(view.getBigUint64(body + 24)) : view.getUint32(body + 16);
  return { isMp4: true, durationSec: timescale > 0 ? duration / timescale : null };
}

/** A structurally valid MP4 head (ftyp + moov/mvhd) of the given duration, then `mdat` up to totalSize bytes (tests, demo). */
export function syntheticMp4(durationSec: number, totalSize: number): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write("ftypisom", 4, "latin1");
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write("isommp41", 16, "latin1");
  const mvhd = Buffer.alloc(108);
  mvhd.writeUInt32BE(108, 0);
  mvhd.write("mvhd", 4, "latin1");
  mvhd.writeUInt32BE(1000, 20); // timescale
  mvhd.writeUInt32BE(Math.round(durationSec * 1000), 24); // duration
  mvhd.writeUInt32BE(0x00010000, 28); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 32); // volume 1.0
  const moov = Buffer.alloc(8);
  moov.writeUInt32BE(8 + mvhd.length, 0);
  moov.write("moov", 4, "latin1");
  const head = Buffer.concat([ftyp, moov, mvhd]);
  if (totalSize < head.length + 8) throw new RangeError(`an MP4 needs at least ${head.length + 8} bytes`);
  const mdat = Buffer.alloc(totalSize - head.length);
  mdat.writeUInt32BE(mdat.length, 0);
  mdat.write("mdat", 4, "latin1");
  return Buffer.concat([head, mdat]);
}
