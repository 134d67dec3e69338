import { describe, expect, it } from "vitest";

import { chunkPlanProblem, chunkRange, MB, planChunks, TIKTOK_MAX_CHUNKS } from "./chunks";

/** Every chunk's range, checked to tile the file exactly. */
function ranges(plan: ReturnType<typeof planChunks>) {
  const out = Array.from({ length: plan.totalChunkCount }, (_, i) => chunkRange(plan, i));
  expect(out[0]!.start).toBe(0);
  expect(out.at(-1)!.end).toBe(plan.videoSize);
  for (let i = 1; i < out.length; i++) expect(out[i]!.start).toBe(out[i - 1]!.end);
  return out;
}

describe("planChunks", () => {
  it("sends a video under 5 MB whole", () => {
    const size = Math.round(4.9 * MB);
    expect(planChunks(size)).toEqual({ videoSize: size, chunkSize: size, totalChunkCount: 1 });
    expect(planChunks(1)).toEqual({ videoSize: 1, chunkSize: 1, totalChunkCount: 1 });
    expect(planChunks(5 * MB - 1, 5 * MB)).toEqual({ videoSize: 5 * MB - 1, chunkSize: 5 * MB - 1, totalChunkCount: 1 });
  });

  it("cuts exactly 10 MB into two 5 MB chunks", () => {
    const plan = planChunks(10 * MB, 5 * MB);
    expect(plan).toEqual({ videoSize: 10 * MB, chunkSize: 5 * MB, totalChunkCount: 2 });
    expect(ranges(plan)).toEqual([
      { start: 0, end: 5 * MB },
      { start: 5 * MB, end: 10 * MB },
    ]);
  });

  it("puts the remainder on the last chunk: 140 MB with 64 MB chunks is 64 + 76 MB", () => {
    const plan = planChunks(140 * MB, 64 * MB);
    expect(plan.totalChunkCount).toBe(2);
    const [first, last] = ranges(plan);
    expect(first!.end - first!.start).toBe(64 * MB);
    expect(last!.end - last!.start).toBe(76 * MB);
  });

  it("never makes the last chunk reach 128 MB and keeps every other chunk the same size", () => {
    for (const size of [5 * MB, 5 * MB + 1, 64 * MB, 64 * MB + 1, 127 * MB + 12345, 128 * MB - 1, 128 * MB, 1000 * MB + 7]) {
      const plan = planChunks(size, 64 * MB);
      expect(chunkPlanProblem(plan)).toBeNull();
      const all = ranges(plan);
      for (const r of all.slice(0, -1)) expect(r.end - r.start).toBe(plan.chunkSize);
      const last = all.at(-1)!;
      expect(last.end - last.start).toBeLessThan(128 * MB);
      expect(last.end - last.start).toBeGreaterThanOrEqual(Math.min(plan.chunkSize, size));
    }
  });

  it("sends a 5–64 MB video smaller than the chunk as one chunk", () => {
    expect(planChunks(7 * MB, 10 * MB)).toEqual({ videoSize: 7 * MB, chunkSize: 7 * MB, totalChunkCount: 1 });
    expect(planChunks(10 * MB, 10 * MB)).toEqual({ videoSize: 10 * MB, chunkSize: 10 * MB, totalChunkCount: 1 });
  });

  it("splits a video just over 64 MB in two (a single chunk may not pass 64 MB)", () => {
    expect(planChunks(64 * MB + 1, 64 * MB)).toEqual({ videoSize: 64 * MB + 1, chunkSize: 32 * MB, totalChunkCount: 2 });
    expect(planChunks(100 * MB, 64 * MB)).toEqual({ videoSize: 100 * MB, chunkSize: 50 * MB, totalChunkCount: 2 });
    expect(planChunks(12 * MB, 10 * MB)).toEqual({ videoSize: 12 * MB, chunkSize: 12 * MB, totalChunkCount: 1 });
  });

  it("clamps the preferred chunk size to 5–64 MB", () => {
    expect(planChunks(100 * MB, 1 * MB).chunkSize).toBe(5 * MB);
    expect(planChunks(300 * MB, 200 * MB).chunkSize).toBe(64 * MB);
  });

  it("grows chunks for very large videos so the count stays within 1000", () => {
    const size = 4096 * MB;
    const plan = planChunks(size, 5 * MB);
    expect(plan.totalChunkCount).toBeLessThanOrEqual(TIKTOK_MAX_CHUNKS);
    expect(chunkPlanProblem(plan)).toBeNull();
  });

  it("always produces a plan TikTok accepts, for any size up to 4 GB and any preferred chunk", () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 3000; i++) {
      const size = 1 + Math.floor(next() ** 3 * 4096 * MB);
      const preferred = Math.floor(next() * 80 * MB);
      const plan = planChunks(size, preferred);
      expect(chunkPlanProblem(plan), `${size} bytes, preferred ${preferred}`).toBeNull();
      expect(chunkRange(plan, plan.totalChunkCount - 1).end).toBe(size);
    }
  });

  it("refuses sizes that are not positive integers", () => {
    expect(() => planChunks(0)).toThrow(RangeError);
    expect(() => planChunks(-5)).toThrow(RangeError);
    expect(() => planChunks(1.5)).toThrow(RangeError);
  });

  it("refuses chunk indexes outside the plan", () => {
    const plan = planChunks(10 * MB, 5 * MB);
    expect(() => chunkRange(plan, 2)).toThrow(RangeError);
    expect(() => chunkRange(plan, -1)).toThrow(RangeError);
  });
});

describe("chunkPlanProblem (what the sandbox refuses at init)", () => {
  it("accepts the planner's plans", () => {
    for (const size of [1, Math.round(4.9 * MB), 5 * MB, 10 * MB, 140 * MB, 2048 * MB]) {
      expect(chunkPlanProblem(planChunks(size))).toBeNull();
      expect(chunkPlanProblem(planChunks(size, 64 * MB))).toBeNull();
    }
  });

  it("refuses a small video in chunks, counts rounded up, chunks out of bounds, and a whole video over 64 MB", () => {
    expect(chunkPlanProblem({ videoSize: 4 * MB, chunkSize: 2 * MB, totalChunkCount: 2 })).toMatch(/smaller than 5 MB/);
    expect(chunkPlanProblem({ videoSize: 140 * MB, chunkSize: 64 * MB, totalChunkCount: 3 })).toMatch(/rounded down/);
    expect(chunkPlanProblem({ videoSize: 11 * MB, chunkSize: 5 * MB, totalChunkCount: 3 })).toMatch(/rounded down/);
    expect(chunkPlanProblem({ videoSize: 100 * MB, chunkSize: 4 * MB, totalChunkCount: 25 })).toMatch(/between 5 MB and 64 MB/);
    expect(chunkPlanProblem({ videoSize: 200 * MB, chunkSize: 100 * MB, totalChunkCount: 2 })).toMatch(/between 5 MB and 64 MB/);
    expect(chunkPlanProblem({ videoSize: 65 * MB, chunkSize: 65 * MB, totalChunkCount: 1 })).toMatch(/at most 64 MB/);
    expect(chunkPlanProblem({ videoSize: 10 * MB, chunkSize: 0, totalChunkCount: 1 })).toMatch(/positive integers/);
    expect(chunkPlanProblem({ videoSize: 6000 * MB, chunkSize: 5 * MB, totalChunkCount: 1200 })).toMatch(/at most 1000/);
  });
});
