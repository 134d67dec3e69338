import { describe, expect, it } from "vitest";

import { SANDBOX_YOUTUBE_ACCOUNTS, youtubeSandboxHistory } from "./data";
import { mp4DurationMs } from "./sandbox";

const DEMO = SANDBOX_YOUTUBE_ACCOUNTS[0]!.id;
const NOW = new Date("2026-11-20T12:00:00Z");
const DAY_MS = 86_400_000;

describe("youtubeSandboxHistory", () => {
  it("serves ~20 videos of the last 60 days, newest first, with 90 days of analytics and comments", () => {
    const history = youtubeSandboxHistory(DEMO, NOW);
    expect(history.posts.length).toBeGreaterThanOrEqual(19);
    expect(history.posts.length).toBeLessThanOrEqual(21);
    for (const post of history.posts) {
      expect(post.publishedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(post.publishedAt.getTime()).toBeGreaterThanOrEqual(NOW.getTime() - 60 * DAY_MS);
      expect(post.externalId).toMatch(/^[A-Za-z0-9_-]{11}$/);
      expect(post.permalink).toBe(`https://www.youtube.com/watch?v=${post.externalId}`);
      expect(post.metrics.comments).toBe(history.comments.filter((c) => c.postExternalId === post.externalId).length);
    }
    const times = history.posts.map((p) => p.publishedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(history.daily).toHaveLength(90);
    expect(history.daily.at(-1)!.date).toBe("2026-11-20");
    expect(history.comments.length).toBeGreaterThan(history.posts.length);
  });

  it("is the same data when asked again, and the same videos a day later (absolute calendar)", () => {
    const a = youtubeSandboxHistory(DEMO, NOW);
    expect(youtubeSandboxHistory(DEMO, NOW)).toEqual(a);
    const later = youtubeSandboxHistory(DEMO, new Date(NOW.getTime() + DAY_MS));
    const shared = a.posts.filter((p) => later.posts.some((q) => q.externalId === p.externalId));
    expect(shared.length).toBeGreaterThan(15);
    for (const post of shared) {
      const again = later.posts.find((q) => q.externalId === post.externalId)!;
      expect(again.publishedAt).toEqual(post.publishedAt);
      expect(again.caption).toBe(post.caption);
      // Lifetime metrics only grow.
      expect(again.metrics.views).toBeGreaterThanOrEqual(post.metrics.views);
    }
    const day = a.daily.find((d) => d.date === "2026-11-01")!;
    expect(later.daily.find((d) => d.date === "2026-11-01")).toEqual(day);
  });

  it("followers move by each day's net gain", () => {
    const { daily } = youtubeSandboxHistory(DEMO, NOW);
    for (let i = 1; i < daily.length; i++) {
      const day = daily[i]!;
      expect(day.followers - daily[i - 1]!.followers).toBe(day.subscribersGained - day.subscribersLost);
    }
  });

  it("the two accounts differ and an unknown account has no history", () => {
    const other = youtubeSandboxHistory(SANDBOX_YOUTUBE_ACCOUNTS[1]!.id, NOW);
    expect(other.posts[0]!.externalId).not.toBe(youtubeSandboxHistory(DEMO, NOW).posts[0]!.externalId);
    expect(youtubeSandboxHistory("UCnobody", NOW)).toEqual({ posts: [], daily: [], comments: [] });
  });
});

function box(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, "latin1");
  return Buffer.concat([header, body]);
}

describe("mp4DurationMs", () => {
  it("reads mvhd version 0 and 1 inside moov, after ftyp", () => {
    const v0 = Buffer.alloc(100);
    v0.writeUInt32BE(600, 12); // timescale
    v0.writeUInt32BE(600 * 42, 16); // duration
    const file0 = Buffer.concat([box("ftyp", Buffer.from("isom0000", "latin1")), box("moov", box("mvhd", v0))]);
    expect(mp4DurationMs(file0)).toBe(42_000);

    const v1 = Buffer.alloc(112);
    v1.writeUInt8(1, 0);
    v1.writeUInt32BE(1000, 20);
    v1.writeBigUInt64BE(90_500n, 24);
    expect(mp4DurationMs(Buffer.concat([box("moov", box("mvhd", v1))]))).toBe(90_500);
  });

  it("is null without a moov/mvhd (e.g. moov past the bytes kept)", () => {
    expect(mp4DurationMs(Buffer.from("not a video at all"))).toBeNull();
    expect(mp4DurationMs(box("ftyp", Buffer.alloc(8)))).toBeNull();
  });
});
