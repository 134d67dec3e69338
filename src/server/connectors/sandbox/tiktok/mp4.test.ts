import { describe, expect, it } from "vitest";

import { mp4Info, syntheticMp4 } from "./mp4";

describe("mp4Info", () => {
  it("reads the duration from moov/mvhd", () => {
    expect(mp4Info(syntheticMp4(42.5, 4096))).toEqual({ isMp4: true, durationSec: 42.5 });
  });

  it("reads a version-1 mvhd (64-bit times)", () => {
    const ftyp = Buffer.from("00000018667479706973366d0000020069736f6d69736f32", "hex");
    const mvhd = Buffer.alloc(120);
    mvhd.writeUInt32BE(120, 0);
    mvhd.write("mvhd", 4, "latin1");
    mvhd[8] = 1;
    mvhd.writeUInt32BE(600, 28); // timescale
    mvhd.writeBigUInt64BE(600n * 90n, 32); // 90 s
    const moov = Buffer.alloc(8);
    moov.writeUInt32BE(128, 0);
    moov.write("moov", 4, "latin1");
    expect(mp4Info(Buffer.concat([ftyp, moov, mvhd]))).toEqual({ isMp4: true, durationSec: 90 });
  });

  it("knows an MP4 whose moov is not in the bytes kept, without a duration", () => {
    const head = syntheticMp4(10, 4096).subarray(0, 24);
    expect(mp4Info(head)).toEqual({ isMp4: true, durationSec: null });
  });

  it("refuses bytes that do not start with ftyp", () => {
    expect(mp4Info(Buffer.from("not a video at all, just text"))).toEqual({ isMp4: false, durationSec: null });
    expect(mp4Info(new Uint8Array(0))).toEqual({ isMp4: false, durationSec: null });
  });
});
