import { describe, expect, it } from "vitest";

import { SANDBOX_TIKTOK_ACCOUNTS, tiktokSandboxHistory } from "./data";

const DAY = 86_400_000;

describe("tiktokSandboxHistory", () => {
  const demo = SANDBOX_TIKTOK_ACCOUNTS[0]!.openId;
  const now = new Date("2026-11-20T15:30:00Z");

  it("is a pure function of the account and the UTC day", () => {
    expect(tiktokSandboxHistory(demo, now)).toEqual(tiktokSandboxHistory(demo, new Date("2026-11-20T01:00:00Z")));
    expect(tiktokSandboxHistory(demo, now).posts[0]!.externalId).not.toBe(tiktokSandboxHistory(SANDBOX_TIKTOK_ACCOUNTS[1]!.openId, now).posts[0]!.externalId);
  });

  it("has ~20 posts over the last 60 days, newest first, 90 days of metrics and comments on every post", () => {
    const history = tiktokSandboxHistory(demo, now);
    expect(history.posts).toHaveLength(20);
    for (const post of history.posts) {
      expect(post.publishedAt.getTime()).toBeLessThan(now.getTime());
      expect(post.publishedAt.getTime()).toBeGreaterThan(now.getTime() - 61 * DAY);
      expect(post.permalink).toBe(`https://www.tiktok.com/@lojademo/video/${post.externalId}`);
      const comments = history.comments.filter((c) => c.postExternalId === post.externalId);
      expect(comments.length).toBeGreaterThanOrEqual(2);
      expect(comments.length).toBe(post.metrics.comments);
      for (const c of comments) expect(c.externalId.startsWith(`${post.externalId}:`)).toBe(true);
    }
    const times = history.posts.map((p) => p.publishedAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(history.posts.map((p) => p.externalId)).size).toBe(20);
    expect(history.accountDaily).toHaveLength(90);
    expect(history.accountDaily.at(-1)!.date).toBe("2026-11-19");
    expect(history.accountDaily[0]!.date).toBe("2026-08-22");
  });
});
