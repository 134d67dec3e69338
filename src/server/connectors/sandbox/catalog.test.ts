import { describe, expect, it } from "vitest";
import {
  CATALOG_DEFAULT_SIZE,
  CATALOG_MAX_SIZE,
  CATALOG_MIN_SIZE,
  FLAG_SHARES,
  NO_SALES_SHARE,
  PROBLEM_SHARES,
  QUALITY_PENDING_SHARE,
  createSandboxCatalog,
  resolveCatalogSize,
  type CatalogFlag,
  type CatalogProblem,
} from "./catalog";

describe("sandbox catalog", () => {
  it("is deterministic: same (seed, seller, index) → same item, computed in any order", () => {
    const a = createSandboxCatalog({ seed: 42, size: 1000 });
    const b = createSandboxCatalog({ seed: 42, size: 1000 });
    expect(a.item("seller-1", 777)).toEqual(b.item("seller-1", 777));
    const forward = [...a.items("seller-1", 0, 50)];
    const backward = Array.from({ length: 50 }, (_, i) => b.item("seller-1", 49 - i)).reverse();
    expect(forward).toEqual(backward);
    expect(a.daily("seller-1", 3, "2026-03-01")).toEqual(b.daily("seller-1", 3, "2026-03-01"));
  });

  it("differs across seeds and sellers", () => {
    const a = createSandboxCatalog({ seed: 1 });
    const b = createSandboxCatalog({ seed: 2 });
    const titles = (c: typeof a, s: string) => [...c.items(s, 0, 20)].map((i) => i.title).join("|");
    expect(titles(a, "x")).not.toBe(titles(b, "x"));
    expect(titles(a, "x")).not.toBe(titles(a, "y"));
    expect(createSandboxCatalog({ seed: "demo" }).item(1, 0)).toEqual(createSandboxCatalog({ seed: "demo" }).item("1", 0));
  });

  it("bounds the size and refuses indexes outside it", () => {
    expect(resolveCatalogSize(undefined)).toBe(CATALOG_DEFAULT_SIZE);
    expect(resolveCatalogSize("abc")).toBe(CATALOG_DEFAULT_SIZE);
    expect(resolveCatalogSize(1)).toBe(CATALOG_MIN_SIZE);
    expect(resolveCatalogSize(10_000_000)).toBe(CATALOG_MAX_SIZE);
    expect(resolveCatalogSize("2500")).toBe(2500);
    const c = createSandboxCatalog({ seed: 1, size: 100_000 });
    expect(c.size).toBe(100_000);
    expect(c.item("s", 99_999).index).toBe(99_999);
    expect(() => c.item("s", 100_000)).toThrow(RangeError);
    expect(() => c.item("s", -1)).toThrow(RangeError);
  });

  it("produces realistic, well-formed items", () => {
    const c = createSandboxCatalog({ seed: 7, size: 500 });
    for (const item of c.items("seller", 0, 500)) {
      expect(item.title.length).toBeGreaterThan(3);
      expect(Number.isInteger(item.priceCents)).toBe(true);
      expect(item.priceCents).toBeGreaterThan(0);
      expect(item.priceCents % 100).toBe(90);
      expect(item.category.id).toMatch(/^MLB\d+$/);
      if (item.gtin) {
        expect(item.gtin).toMatch(/^\d{13}$/);
        const digits = [...item.gtin].map(Number);
        const sum = digits.slice(0, 12).reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 1 : 3), 0);
        expect((10 - (sum % 10)) % 10).toBe(digits[12]);
      }
      expect(item.createdDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (item.stock === 0) expect(item.status).toBe("paused");
    }
  });

  it("keeps problem shares close to the design", () => {
    const n = 20_000;
    const c = createSandboxCatalog({ seed: 2026, size: n });
    const counts = Object.fromEntries(Object.keys(PROBLEM_SHARES).map((k) => [k, 0])) as Record<CatalogProblem, number>;
    let noSales = 0;
    let pendingQuality = 0;
    let shortTitles = 0;
    let overpriced = 0;
    for (const item of c.items("share-check")) {
      for (const p of item.problems) counts[p]++;
      if (item.soldQuantity === 0) noSales++;
      if (!item.qualityComputed) pendingQuality++;
      if (item.title.split(" ").length <= 3) shortTitles++;
      if (item.priceCents > item.referencePriceCents * 1.12) overpriced++;
      expect(item.freeShipping).toBe(!item.problems.includes("no_free_shipping"));
      expect(item.gtin === null).toBe(item.problems.includes("missing_gtin"));
      expect(item.pictureCount <= 2).toBe(item.problems.includes("few_photos"));
    }
    for (const [key, share] of Object.entries(PROBLEM_SHARES)) {
      expect(Math.abs(counts[key as CatalogProblem] / n - share)).toBeLessThan(0.015);
    }
    expect(Math.abs(noSales / n - NO_SALES_SHARE)).toBeLessThan(0.015);
    expect(Math.abs(pendingQuality / n - QUALITY_PENDING_SHARE)).toBeLessThan(0.015);
    expect(Math.abs(shortTitles / n - PROBLEM_SHARES.short_title)).toBeLessThan(0.015);
    expect(Math.abs(overpriced / n - PROBLEM_SHARES.overpriced)).toBeLessThan(0.02);
  });

  it("keeps marketplace flag shares close to the design, drawn apart from everything else", () => {
    const n = 20_000;
    const c = createSandboxCatalog({ seed: 2026, size: n });
    const counts = Object.fromEntries(Object.keys(FLAG_SHARES).map((k) => [k, 0])) as Record<CatalogFlag, number>;
    for (const item of c.items("flag-check")) for (const flag of item.flags) counts[flag]++;
    for (const [key, share] of Object.entries(FLAG_SHARES)) {
      expect(Math.abs(counts[key as CatalogFlag] / n - share)).toBeLessThan(0.01);
    }
    // Some items carry several flags; most carry none.
    const flagged = [...c.items("flag-check", 0, 5000)].filter((i) => i.flags.length > 0).length;
    expect(flagged / 5000).toBeGreaterThan(0.15);
    expect(flagged / 5000).toBeLessThan(0.3);
  });

  it("generates daily visits and sales only from the creation day on", () => {
    const c = createSandboxCatalog({ seed: 3, size: 50 });
    const item = c.item("s", 0);
    const before = new Date(Date.parse(`${item.createdDay}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    expect(c.daily("s", 0, before)).toEqual({ visits: 0, sales: 0 });
    let total = 0;
    for (let d = 0; d < 30; d++) {
      const day = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      const { visits, sales } = c.daily("s", 0, day, item);
      expect(sales).toBeLessThanOrEqual(visits);
      total += visits;
    }
    if (item.status !== "closed") expect(total).toBeGreaterThan(0);
  });
});
