import { beforeEach, describe, expect, it } from "vitest";

import { reserveAccountStart, resetAccountPacing } from "./account-pacing";

describe("per-account publish starts", () => {
  beforeEach(() => resetAccountPacing());

  it("spaces TikTok starts 10 s apart per account (6 video/init a minute), other accounts unaffected", () => {
    const t0 = 1_000_000;
    expect(reserveAccountStart("TIKTOK", "a", t0)).toBe(0);
    expect(reserveAccountStart("TIKTOK", "a", t0 + 4_000)).toBe(6_000);
    expect(reserveAccountStart("TIKTOK", "b", t0 + 4_000)).toBe(0);
    expect(reserveAccountStart("TIKTOK", "a", t0 + 10_000)).toBe(0);
    // Asking every second for a minute: six starts (one every 10 s), counting the one at t0 + 10 s.
    let starts = 1;
    for (let t = t0 + 11_000; t < t0 + 70_000; t += 1_000) if (reserveAccountStart("TIKTOK", "a", t) === 0) starts++;
    expect(starts).toBe(6);
  });

  it("never holds Instagram or YouTube (their quotas bound them)", () => {
    for (let i = 0; i < 20; i++) {
      expect(reserveAccountStart("INSTAGRAM", "ig", 5_000)).toBe(0);
      expect(reserveAccountStart("YOUTUBE", "yt", 5_000)).toBe(0);
    }
  });
});
