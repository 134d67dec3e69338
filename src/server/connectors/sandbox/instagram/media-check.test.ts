import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { mp4Bytes } from "../../../../../tests/helpers/media-fixtures";
import { checkInstagramMedia, mp4DurationMs } from "./media-check";

function serving(bytes: Buffer | null): typeof fetch {
  return async () => (bytes ? new Response(new Uint8Array(bytes)) : new Response("gone", { status: 404 }));
}

const jpeg = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#c85028" } }).jpeg().toBuffer();

describe("Instagram sandbox media checks", () => {
  it("reads an MP4's duration from moov/mvhd (any timescale) and finds none in other bytes", () => {
    expect(mp4DurationMs(mp4Bytes({ durationMs: 7_500, width: 720, height: 1280 }))).toBe(7_500);
    expect(mp4DurationMs(mp4Bytes({ durationMs: 4_000, width: 720, height: 1280, timescale: 90_000, brand: "qt  " }))).toBe(4_000);
    expect(mp4DurationMs(Buffer.from("not a video at all"))).toBeNull();
  });

  it("accepts a JPEG within 4:5–1.91:1 and refuses PNG bytes, a wrong aspect or a failed download", async () => {
    expect(await checkInstagramMedia(serving(await jpeg(1080, 1350)), "http://x/a.jpg", "IMAGE")).toBeNull();
    expect(await checkInstagramMedia(serving(await jpeg(1910, 1000)), "http://x/a.jpg", "IMAGE")).toBeNull();
    const png = await sharp({ create: { width: 100, height: 100, channels: 3, background: "#fff" } }).png().toBuffer();
    // The URL says .jpg: the bytes decide.
    expect(await checkInstagramMedia(serving(png), "http://x/disguised.jpg", "IMAGE")).toMatch(/only JPEG/);
    expect(await checkInstagramMedia(serving(await jpeg(500, 1000)), "http://x/a.jpg", "IMAGE")).toMatch(/aspect ratio 0\.50/);
    expect(await checkInstagramMedia(serving(null), "http://x/a.jpg", "IMAGE")).toMatch(/HTTP 404/);
    // Over 8 MB: refused while downloading, whatever the bytes are.
    const big = Buffer.concat([await jpeg(1080, 1080), Buffer.alloc(8 * 1024 * 1024)]);
    expect(await checkInstagramMedia(serving(big), "http://x/big.jpg", "IMAGE")).toMatch(/too large \(maximum 8 MB\)/);
  });

  it("accepts a 3 s–15 min MP4 as a Reel and refuses shorter videos or non-video bytes", async () => {
    expect(await checkInstagramMedia(serving(mp4Bytes({ durationMs: 3_000, width: 1080, height: 1920 })), "http://x/v.mp4", "VIDEO")).toBeNull();
    expect(await checkInstagramMedia(serving(mp4Bytes({ durationMs: 2_000, width: 1080, height: 1920 })), "http://x/v.mp4", "VIDEO")).toMatch(/duration 2\.0 s/);
    expect(await checkInstagramMedia(serving(await jpeg(100, 100)), "http://x/v.mp4", "VIDEO")).toMatch(/MP4 or MOV/);
  });
});
