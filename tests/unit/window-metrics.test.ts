import { describe, expect, it } from "vitest";

import { medianConversions, MIN_KNOWN_DAYS, toWindowMetrics } from "~/server/services/scores/recompute";

const NOW = new Date("2026-11-26T15:00:00.000Z");
const daysAgo = (n: number) => new Date(Date.UTC(2026, 10, 26) - n * 86_400_000);
const sums = (over: Partial<Parameters<typeof toWindowMetrics>[0]>) => ({
  listingId: "l1",
  connectionId: "c1",
  visits: 0,
  sales: 0,
  visitsFrom: daysAgo(29),
  salesFrom: daysAgo(29),
  ...over,
});

describe("toWindowMetrics", () => {
  it("keeps 30 known days as they are", () => {
    expect(toWindowMetrics(sums({ visits: 900, sales: 12 }), NOW)).toEqual({ connectionId: "c1", visits30d: 900, sales30d: 12 });
  });

  it("scales fewer known days to 30: 4 sales in 10 days read as 12, never as 4 in a month", () => {
    expect(toWindowMetrics(sums({ visits: 70, visitsFrom: daysAgo(6), sales: 4, salesFrom: daysAgo(9) }), NOW)).toEqual({
      connectionId: "c1",
      visits30d: 300,
      sales30d: 12,
    });
  });

  it("treats fewer than MIN_KNOWN_DAYS known days, or none, as missing", () => {
    expect(MIN_KNOWN_DAYS).toBe(7);
    const m = toWindowMetrics(sums({ visits: 50, visitsFrom: null, sales: 3, salesFrom: daysAgo(5) }), NOW);
    expect(m).toEqual({ connectionId: "c1", visits30d: null, sales30d: null });
    expect(toWindowMetrics(sums({ sales: 3, salesFrom: daysAgo(6) }), NOW).sales30d).toBe(13);
  });
});

describe("medianConversions", () => {
  it("takes each connection's median over listings with known visits and sales", () => {
    const medians = medianConversions([
      { connectionId: "a", visits30d: 100, sales30d: 1 },
      { connectionId: "a", visits30d: 100, sales30d: 3 },
      { connectionId: "a", visits30d: 100, sales30d: 2 },
      { connectionId: "a", visits30d: null, sales30d: 50 },
      { connectionId: "a", visits30d: 0, sales30d: 0 },
      { connectionId: "b", visits30d: 10, sales30d: 1 },
      { connectionId: "b", visits30d: 10, sales30d: 2 },
      { connectionId: "c", visits30d: 10, sales30d: null },
    ]);
    expect([...medians.keys()]).toEqual(["a", "b"]);
    expect(medians.get("a")).toBeCloseTo(0.02);
    expect(medians.get("b")).toBeCloseTo(0.15);
  });
});
