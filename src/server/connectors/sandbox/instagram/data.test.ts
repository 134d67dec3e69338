import { describe, expect, it } from "vitest";

import { SANDBOX_INSTAGRAM_ACCOUNTS, historySlotOf, instagramSandboxHistory, sandboxInstagramAccount } from "./data";

const NOW = new Date("2026-11-20T15:30:00Z");
const DAY = 86_400_000;

describe("Instagram sandbox demo data", () => {
  it("has two Brazilian accounts, the demo one first", () => {
    expect(SANDBOX_INSTAGRAM_ACCOUNTS).toHaveLength(2);
    expect(SANDBOX_INSTAGRAM_ACCOUNTS[0]).toMatchObject({ username: "lojademo", name: "Loja Demo" });
    expect(new Set(SANDBOX_INSTAGRAM_ACCOUNTS.map((a) => a.id)).size).toBe(2);
    // Accounts minted for benchmarks get a stable profile.
    expect(sandboxInstagramAccount("17841499999999999")).toEqual(sandboxInstagramAccount("17841499999999999"));
  });

  it("serves ~20 posts of the last 60 days, newest first, with pt-BR captions, permalinks and comments after the post", () => {
    const { posts } = instagramSandboxHistory(SANDBOX_INSTAGRAM_ACCOUNTS[0]!.id, NOW);
    expect(posts).toHaveLength(20);
    for (const [i, post] of posts.entries()) {
      expect(post.publishedAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      expect(post.publishedAt.getTime()).toBeGreaterThan(NOW.getTime() - 61 * DAY);
      if (i > 0) expect(post.publishedAt.getTime()).toBeLessThan(posts[i - 1]!.publishedAt.getTime());
      expect(post.caption).toMatch(/#\w+/);
      expect(post.permalink).toMatch(/^https:\/\/www\.instagram\.com\/(p|reel)\/[\w-]{11}\/$/);
      expect(post.metrics.views).toBeGreaterThanOrEqual(post.metrics.reach);
      expect(post.comments.length).toBe(post.metrics.comments);
      for (const c of post.comments) {
        expect(c.createdAt.getTime()).toBeGreaterThan(post.publishedAt.getTime());
        expect(c.createdAt.getTime()).toBeLessThanOrEqual(NOW.getTime());
      }
      expect(historySlotOf(SANDBOX_INSTAGRAM_ACCOUNTS[0]!.id, post.externalId)).not.toBeNull();
      expect(historySlotOf(SANDBOX_INSTAGRAM_ACCOUNTS[1]!.id, post.externalId)).toBeNull();
    }
  });

  it("is stable over time: a post seen today is the same post (id, time, caption, metrics) a week later", () => {
    const id = SANDBOX_INSTAGRAM_ACCOUNTS[1]!.id;
    const today = instagramSandboxHistory(id, NOW).posts;
    const later = instagramSandboxHistory(id, new Date(NOW.getTime() + 7 * DAY)).posts;
    const shared = today.filter((p) => later.some((q) => q.externalId === p.externalId));
    expect(shared.length).toBeGreaterThan(10);
    for (const p of shared) expect(later.find((q) => q.externalId === p.externalId)).toEqual(p);
    // New posts came into the window; the oldest left it.
    expect(later[0]!.externalId).not.toBe(today[0]!.externalId);
  });

  it("has 90 consecutive UTC days ending yesterday; followers only change by the day's new followers", () => {
    const { days } = instagramSandboxHistory(SANDBOX_INSTAGRAM_ACCOUNTS[0]!.id, NOW);
    expect(days).toHaveLength(90);
    expect(days.at(-1)!.date).toBe("2026-11-19");
    expect(days[0]!.date).toBe("2026-08-22");
    for (let i = 1; i < days.length; i++) {
      expect(Date.parse(days[i]!.date) - Date.parse(days[i - 1]!.date)).toBe(DAY);
      expect(days[i]!.followers - days[i - 1]!.followers).toBe(days[i]!.newFollowers);
      expect(days[i]!.reach).toBeGreaterThan(0);
    }
    expect(instagramSandboxHistory(SANDBOX_INSTAGRAM_ACCOUNTS[0]!.id, NOW)).toEqual(instagramSandboxHistory(SANDBOX_INSTAGRAM_ACCOUNTS[0]!.id, NOW));
  });
});
