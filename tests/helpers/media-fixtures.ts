import sharp from "sharp";
import { serveFetch } from "./serve-fetch";

type ImageOptions = {
  width: number;
  height: number;
  /** JPEG quality (1–100); sharp's default when absent. */
  quality?: number;
  /** EXIF orientation (1–8) written into the file; 6 and 8 mean "rotate 90°" when displayed. */
  orientation?: number;
  /** Fill colour; a flat colour keeps files tiny. */
  color?: { r: number; g: number; b: number };
};

function canvas({ width, height, color }: ImageOptions) {
  return sharp({
    create: { width, height, channels: 3, background: color ?? { r: 200, g: 80, b: 40 } },
  });
}

/** A real JPEG of the given size (sharp), optionally with an EXIF orientation. */
export async function jpegBytes(options: ImageOptions): Promise<Buffer> {
  let image = canvas(options).jpeg({ quality: options.quality ?? 80 });
  if (options.orientation !== undefined) image = image.withMetadata({ orientation: options.orientation });
  return image.toBuffer();
}

/** A real PNG of the given size (sharp). */
export async function pngBytes(options: ImageOptions): Promise<Buffer> {
  return canvas(options).png().toBuffer();
}

/** A real WebP of the given size (sharp). */
export async function webpBytes(options: ImageOptions): Promise<Buffer> {
  return canvas(options).webp().toBuffer();
}

/**
 * Inserts a JPEG COM (comment) segment right after SOI, e.g. to hide markup inside a valid image
 * (the scanner must still find it).
 */
export function withJpegComment(jpeg: Buffer, comment: string): Buffer {
  const text = Buffer.from(comment, "latin1");
  const header = Buffer.alloc(4);
  header.writeUInt16BE(0xfffe, 0);
  header.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, text, jpeg.subarray(2)]);
}

function box(type: string, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
}

function u32(...values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}

// Identity transformation matrix as stored in mvhd/tkhd (16.16 and 2.30 fixed point).
const IDENTITY_MATRIX = u32(0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000);

type Mp4Options = {
  durationMs: number;
  width: number;
  height: number;
  /** Total file size in bytes; mdat is padded with zero bytes to reach it. Default: header + 1 KiB. */
  sizeBytes?: number;
  /** mvhd timescale (units per second). Default 1000. */
  timescale?: number;
  /** ftyp major brand: "isom" (MP4, default) or "qt  " (QuickTime MOV). */
  brand?: "isom" | "qt  ";
};

/**
 * A minimal but structurally valid MP4 (or MOV with brand "qt  "):
 * ftyp + moov{mvhd, trak{tkhd, mdia{mdhd, hdlr vide}}} + mdat padded with zeros up to sizeBytes.
 * Not playable (no sample tables), but every box a prober or a network's header check reads is there.
 */
export function mp4Bytes(options: Mp4Options): Buffer {
  const timescale = options.timescale ?? 1000;
  const duration = Math.round((options.durationMs * timescale) / 1000);
  const brand = options.brand ?? "isom";

  const ftyp = box(
    "ftyp",
    Buffer.from(brand, "latin1"),
    u32(0x200),
    Buffer.from(brand === "isom" ? "isomiso2avc1mp41" : "qt  ", "latin1"),
  );
  const mvhd = box(
    "mvhd",
    u32(0, 0, 0, timescale, duration, 0x00010000),
    Buffer.from([0x01, 0x00, 0, 0]), // volume 1.0 + reserved
    Buffer.alloc(8), // reserved
    IDENTITY_MATRIX,
    Buffer.alloc(24), // pre_defined
    u32(2), // next_track_ID
  );
  const tkhd = box(
    "tkhd",
    u32(0x00000003, 0, 0, 1, 0, duration), // version 0, flags enabled|in_movie; track 1
    Buffer.alloc(8), // reserved
    Buffer.alloc(8), // layer, alternate_group, volume, reserved
    IDENTITY_MATRIX,
    u32(options.width * 0x10000, options.height * 0x10000),
  );
  const mdhd = box("mdhd", u32(0, 0, 0, timescale, duration), Buffer.from([0x55, 0xc4, 0, 0]));
  const hdlr = box(
    "hdlr",
    u32(0, 0),
    Buffer.from("vide", "latin1"),
    Buffer.alloc(12),
    Buffer.from("VideoHandler\0", "latin1"),
  );
  const moov = box("moov", mvhd, box("trak", tkhd, box("mdia", mdhd, hdlr)));

  const head = Buffer.concat([ftyp, moov]);
  const total = options.sizeBytes ?? head.length + 8 + 1024;
  if (total < head.length + 8) throw new Error(`mp4Bytes: sizeBytes must be at least ${head.length + 8}`);
  // Buffer.alloc zero-fills: the mdat payload is the padding.
  const out = Buffer.alloc(total);
  head.copy(out, 0);
  out.writeUInt32BE(total - head.length, head.length);
  out.write("mdat", head.length + 4, "latin1");
  return out;
}

function ebml(id: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const idBytes = Buffer.from(id.toString(16).padStart(id > 0xffffff ? 8 : id > 0xffff ? 6 : id > 0xff ? 4 : 2, "0"), "hex");
  // Sizes always as 8-byte vints (0x01 + 7 bytes): valid EBML and simple to write.
  const size = Buffer.alloc(8);
  size.writeUInt8(0x01, 0);
  size.writeUIntBE(body.length, 2, 6);
  return Buffer.concat([idBytes, size, body]);
}

function uintBytes(value: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  out.writeUIntBE(value, 0, length);
  return out;
}

/**
 * A minimal WebM: EBML header (DocType webm) + Segment{Info{TimecodeScale, Duration?},
 * Tracks{TrackEntry{Video{PixelWidth, PixelHeight}}}, Cluster padding}. Duration omitted when null.
 */
export function webmBytes(options: { durationMs: number | null; width: number; height: number }): Buffer {
  const header = ebml(0x1a45dfa3, ebml(0x4286, uintBytes(1, 1)), ebml(0x4282, Buffer.from("webm", "latin1")), ebml(0x4287, uintBytes(4, 1)));
  const duration = Buffer.alloc(8);
  if (options.durationMs !== null) duration.writeDoubleBE(options.durationMs, 0);
  const info = ebml(
    0x1549a966,
    ebml(0x2ad7b1, uintBytes(1_000_000, 3)),
    ...(options.durationMs !== null ? [ebml(0x4489, duration)] : []),
  );
  const tracks = ebml(
    0x1654ae6b,
    ebml(
      0xae,
      ebml(0xd7, uintBytes(1, 1)),
      ebml(0x83, uintBytes(1, 1)),
      ebml(0x86, Buffer.from("V_VP9", "latin1")),
      ebml(0xe0, ebml(0xb0, uintBytes(options.width, 2)), ebml(0xba, uintBytes(options.height, 2))),
    ),
  );
  const cluster = ebml(0x1f43b675, ebml(0xe7, uintBytes(0, 1)), Buffer.alloc(512));
  return Buffer.concat([header, ebml(0x18538067, info, tracks, cluster)]);
}

function mimeOf(name: string): string {
  const ext = name.split(".").pop()?.toLowerCase();
  switch (ext) {
    case "jpg":
    case "jpeg":
      return "image/jpeg";
    case "png":
      return "image/png";
    case "webp":
      return "image/webp";
    case "mp4":
      return "video/mp4";
    case "mov":
      return "video/quicktime";
    case "webm":
      return "video/webm";
    default:
      return "application/octet-stream";
  }
}

export type ServedMedia = {
  /** Absolute URL of a served file. */
  url(name: string): string;
  /** Requests received so far (method, path, range header), for asserting what a client fetched. */
  requests: { method: string; path: string; range: string | null }[];
  close(): Promise<void>;
};

/**
 * Serves in-memory files over real HTTP (GET/HEAD, single `bytes=` Range → 206, bad range → 416),
 * standing in for a public media URL that a network (or a sandbox of one) fetches.
 */
export async function servedMedia(files: Record<string, Buffer>): Promise<ServedMedia> {
  const requests: ServedMedia["requests"] = [];
  const served = await serveFetch(async (request) => {
    const path = decodeURIComponent(new URL(request.url).pathname.replace(/^\//, ""));
    const range = request.headers.get("range");
    requests.push({ method: request.method, path, range });
    const file = files[path];
    if (!file) return new Response("not found", { status: 404 });
    if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405 });

    const headers: Record<string, string> = { "content-type": mimeOf(path), "accept-ranges": "bytes" };
    if (range) {
      const match = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
      let start = match?.[1] ? Number(match[1]) : NaN;
      let end = match?.[2] ? Number(match[2]) : NaN;
      if (match && !match[1] && match[2]) {
        // Suffix range: the last N bytes.
        start = Math.max(0, file.length - Number(match[2]));
        end = file.length - 1;
      } else if (match && match[1] && !match[2]) {
        end = file.length - 1;
      }
      if (!match || Number.isNaN(start) || Number.isNaN(end) || start > end || start >= file.length) {
        return new Response(null, { status: 416, headers: { "content-range": `bytes */${file.length}` } });
      }
      end = Math.min(end, file.length - 1);
      const part = file.subarray(start, end + 1);
      return new Response(request.method === "HEAD" ? null : new Uint8Array(part), {
        status: 206,
        headers: {
          ...headers,
          "content-length": String(part.length),
          "content-range": `bytes ${start}-${end}/${file.length}`,
        },
      });
    }
    return new Response(request.method === "HEAD" ? null : new Uint8Array(file), {
      status: 200,
      headers: { ...headers, "content-length": String(file.length) },
    });
  });
  return {
    url: (name) => `${served.url}/${encodeURIComponent(name)}`,
    requests,
    close: served.close,
  };
}
