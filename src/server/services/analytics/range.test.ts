import { describe, expect, it } from "vitest";

import { accountSyncWindow, daysBetween, engagementRate, followerGrowth, postGrowth, rangeWindow } from "./range";

const at = (s: string) => new Date(s);
const zero = { views: 0, reach: 0, likes: 0, comments: 0, shares: 0, saves: 0 };

describe("analytics ranges", () => {
  it("covers today and the N − 1 UTC days before it", () => {
    const w = rangeWindow(7, at("2026-11-26T23:59:00Z"));
    expect(w.from.toISOString()).toBe("2026-11-20T00:00:00.000Z");
    expect(w.to.toISOString()).toBe("2026-11-26T00:00:00.000Z");
    expect(w.endExclusive.toISOString()).toBe("2026-11-27T00:00:00.000Z");
    expect(daysBetween(w.from, w.to)).toHaveLength(7);
    expect(daysBetween(rangeWindow(90, at("2026-03-01T00:00:00Z")).from, at("2026-03-01T00:00:00Z"))).toHaveLength(90);
  });

  it("crosses month and leap-year ends", () => {
    expect(rangeWindow(30, at("2028-03-01T10:00:00Z")).from.toISOString().slice(0, 10)).toBe("2028-02-01");
    expect(daysBetween(at("2028-02-28T00:00:00Z"), at("2028-03-01T00:00:00Z"))).toEqual(["2028-02-28", "2028-02-29", "2028-03-01"]);
  });

  it("asks 90 account days on the first sync and 3 afterwards", () => {
    const first = accountSyncWindow(at("2026-11-26T15:00:00Z"), true);
    expect(daysBetween(first.from, first.to)).toHaveLength(90);
    const later = accountSyncWindow(at("2026-11-26T15:00:00Z"), false, at("2026-11-26T00:00:00Z"));
    expect(daysBetween(later.from, later.to)).toEqual(["2026-11-24", "2026-11-25", "2026-11-26"]);
  });

  it("reaches back to just before the newest stored day for a network that reports late, within 90 days", () => {
    // YouTube gave days up to the 22nd: the 20th–26th are asked (the 23rd on may have arrived since; recent days get revised).
    const lagging = accountSyncWindow(at("2026-11-26T15:00:00Z"), false, at("2026-11-22T00:00:00Z"));
    expect(lagging.from.toISOString().slice(0, 10)).toBe("2026-11-20");
    const ancient = accountSyncWindow(at("2026-11-26T15:00:00Z"), false, at("2025-01-01T00:00:00Z"));
    expect(daysBetween(ancient.from, ancient.to)).toHaveLength(90);
  });
});

describe("analytics figures", () => {
  it("rates engagements per reach, per view without reach, and not at all without an audience", () => {
    expect(engagementRate(25, 500, 9000)).toBe(0.05);
    expect(engagementRate(30, 0, 1000)).toBe(0.03);
    expect(engagementRate(5, 0, 0)).toBeNull();
  });

  it("measures a post's growth from the last total before the range", () => {
    const from = at("2026-11-20T00:00:00Z");
    const latest = { ...zero, views: 900, likes: 30, comments: 5 };
    expect(postGrowth(latest, { ...zero, views: 600, likes: 20 }, at("2026-11-01T00:00:00Z"), from)).toEqual({ views: 300, engagements: 15 });
    // Published inside the range: everything is growth.
    expect(postGrowth(latest, null, at("2026-11-21T00:00:00Z"), from)).toEqual({ views: 900, engagements: 35 });
    // Older post never measured before the range: unknown, not "everything".
    expect(postGrowth(latest, null, at("2026-11-01T00:00:00Z"), from)).toBeNull();
    expect(postGrowth(null, null, at("2026-11-21T00:00:00Z"), from)).toBeNull();
    // A network that revises a total downwards does not show negative growth.
    expect(postGrowth({ ...zero, views: 100 }, { ...zero, views: 120 }, at("2026-11-01T00:00:00Z"), from)).toEqual({ views: 0, engagements: 0 });
  });

  it("measures follower growth from the baseline, or from the first day in range", () => {
    const series = [
      { date: "2026-11-22", followers: 130 },
      { date: "2026-11-20", followers: 110 },
    ];
    expect(followerGrowth(series, 100)).toEqual({ now: 130, growth: 30 });
    expect(followerGrowth(series, null)).toEqual({ now: 130, growth: 20 });
    expect(followerGrowth([], 100)).toBeNull();
  });
});
