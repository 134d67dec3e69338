import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { jpegBytes, mp4Bytes, pngBytes, webmBytes, webpBytes } from "../../../tests/helpers/media-fixtures";
import { probeFile, UnreadableMediaError } from "./probe";
import { sniffBytes, sniffFile, type Sniffed } from "./sniff";
import { makeThumbnail, videoPosterSvg } from "./thumbnail";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "media-unit-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function saved(name: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

async function sniffed(file: string): Promise<Sniffed> {
  const result = await sniffFile(file);
  if (!result.ok) throw new Error(`not accepted: ${result.reason}`);
  return result.type;
}

// A DOS/PE header: what a renamed Windows executable starts with.
function exeBytes(): Buffer {
  const out = Buffer.alloc(1024);
  out.write("MZ", 0, "latin1");
  out.writeUInt32LE(0x80, 0x3c);
  out.write("PE\0\0", 0x80, "latin1");
  out.writeUInt16LE(0x14c, 0x84);
  return out;
}

describe("sniffing", () => {
  it("accepts the allowed types from their bytes", async () => {
    const cases: [Buffer, string][] = [
      [await jpegBytes({ width: 8, height: 8 }), "image/jpeg"],
      [await pngBytes({ width: 8, height: 8 }), "image/png"],
      [await webpBytes({ width: 8, height: 8 }), "image/webp"],
      [mp4Bytes({ durationMs: 1000, width: 16, height: 16 }), "video/mp4"],
      [mp4Bytes({ durationMs: 1000, width: 16, height: 16, brand: "qt  " }), "video/quicktime"],
      [webmBytes({ durationMs: 1000, width: 16, height: 16 }), "video/webm"],
    ];
    for (const [bytes, mime] of cases) {
      const result = await sniffBytes(bytes);
      expect(result.ok && result.type.mimeType, mime).toBe(mime);
    }
  });

  it("refuses an executable renamed .jpg (the name is ignored)", async () => {
    const result = await sniffFile(await saved("foto.jpg", exeBytes()));
    expect(result).toMatchObject({ ok: false, reason: "type_not_allowed" });
  });

  it("refuses SVG, HTML, PDF, ZIP and unknown bytes; empty is its own reason", async () => {
    const svg = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    const html = Buffer.from("<!doctype html><html><body>oi</body></html>");
    const pdf = Buffer.from("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n");
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, ...Buffer.alloc(60)]);
    const random = Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37 + 11) % 251));
    for (const bytes of [svg, html, pdf, zip, random]) {
      expect(await sniffBytes(bytes)).toMatchObject({ ok: false, reason: "type_not_allowed" });
    }
    expect(await sniffBytes(Buffer.alloc(0))).toMatchObject({ ok: false, reason: "empty_file" });
  });
});

describe("probing", () => {
  it("reads a JPEG's and a PNG's dimensions", async () => {
    const jpeg = await saved("a.jpg", await jpegBytes({ width: 1080, height: 1350 }));
    expect(await probeFile(jpeg, await sniffed(jpeg))).toEqual({ width: 1080, height: 1350, durationMs: null });
    const png = await saved("a.png", await pngBytes({ width: 40, height: 30 }));
    expect(await probeFile(png, await sniffed(png))).toEqual({ width: 40, height: 30, durationMs: null });
  });

  it("swaps width and height for an EXIF orientation rotated by 90°", async () => {
    const rotated = await saved("r.jpg", await jpegBytes({ width: 1920, height: 1080, orientation: 6 }));
    expect(await probeFile(rotated, await sniffed(rotated))).toEqual({ width: 1080, height: 1920, durationMs: null });
    const flipped = await saved("f.jpg", await jpegBytes({ width: 1920, height: 1080, orientation: 3 }));
    expect(await probeFile(flipped, await sniffed(flipped))).toEqual({ width: 1920, height: 1080, durationMs: null });
  });

  it("reads an MP4's duration (mvhd) and size (first video tkhd), with any timescale", async () => {
    const mp4 = await saved("a.mp4", mp4Bytes({ durationMs: 15_500, width: 1080, height: 1920, timescale: 90_000 }));
    expect(await probeFile(mp4, await sniffed(mp4))).toEqual({ width: 1080, height: 1920, durationMs: 15_500 });
    const mov = await saved("a.mov", mp4Bytes({ durationMs: 61_000, width: 1280, height: 720, brand: "qt  " }));
    expect(await probeFile(mov, await sniffed(mov))).toEqual({ width: 1280, height: 720, durationMs: 61_000 });
  });

  it("finds moov after a large mdat without reading the mdat", async () => {
    const normal = mp4Bytes({ durationMs: 3000, width: 640, height: 360, sizeBytes: 5_000_000 });
    // Move moov to the end (as a camera writes it): ftyp + mdat + moov.
    const ftypSize = normal.readUInt32BE(0);
    const moovSize = normal.readUInt32BE(ftypSize);
    const ftyp = normal.subarray(0, ftypSize);
    const moov = normal.subarray(ftypSize, ftypSize + moovSize);
    const mdat = normal.subarray(ftypSize + moovSize);
    const file = await saved("tail.mp4", Buffer.concat([ftyp, mdat, moov]));
    expect(await probeFile(file, await sniffed(file))).toEqual({ width: 640, height: 360, durationMs: 3000 });
  });

  it("refuses an MP4 without moov as unreadable", async () => {
    const full = mp4Bytes({ durationMs: 1000, width: 16, height: 16 });
    const ftypSize = full.readUInt32BE(0);
    const noMoov = Buffer.concat([full.subarray(0, ftypSize), Buffer.from([0, 0, 0, 16]), Buffer.from("mdat"), Buffer.alloc(8)]);
    const file = await saved("nomoov.mp4", noMoov);
    await expect(probeFile(file, await sniffed(file))).rejects.toBeInstanceOf(UnreadableMediaError);
  });

  it("reads a WebM's duration from Segment/Info and null when absent", async () => {
    const webm = await saved("a.webm", webmBytes({ durationMs: 12_345, width: 640, height: 360 }));
    expect(await probeFile(webm, await sniffed(webm))).toEqual({ width: 640, height: 360, durationMs: 12_345 });
    const noDuration = await saved("b.webm", webmBytes({ durationMs: null, width: 64, height: 36 }));
    expect(await probeFile(noDuration, await sniffed(noDuration))).toEqual({ width: 64, height: 36, durationMs: null });
  });
});

describe("thumbnails", () => {
  it("makes a 320 px wide upright JPEG of an image", async () => {
    const file = await saved("big.jpg", await jpegBytes({ width: 1600, height: 900, orientation: 6 }));
    const type = await sniffed(file);
    const thumb = await makeThumbnail(file, type, await probeFile(file, type));
    const meta = await sharp(thumb).metadata();
    expect(meta.format).toBe("jpeg");
    expect(meta.width).toBe(320);
    // Turned upright: portrait after applying orientation 6.
    expect(meta.height).toBe(Math.round((320 * 1600) / 900));
  });

  it("draws a poster for a video with its duration and dimensions", async () => {
    const file = await saved("v.mp4", mp4Bytes({ durationMs: 75_000, width: 1920, height: 1080 }));
    const type = await sniffed(file);
    const facts = await probeFile(file, type);
    const svg = videoPosterSvg(facts);
    expect(svg).toContain("1:15");
    expect(svg).toContain("1920×1080");
    const meta = await sharp(await makeThumbnail(file, type, facts)).metadata();
    expect(meta.format).toBe("jpeg");
    expect(meta.width).toBe(320);
    expect(meta.height).toBe(180);
  });
});
