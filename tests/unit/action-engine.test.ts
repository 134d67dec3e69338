import { describe, expect, it } from "vitest";

import type { ListingCopy } from "~/server/ai/types";
import {
  applyToInput,
  expectedGainOf,
  recommendActions,
  withCopy,
  type EngineListing,
} from "~/server/services/actions/engine";
import { ZActionPayloads, type ActionPayload, type ActionTypeName, type Recommendation } from "~/server/services/actions/payloads";
import { computeHealthScore } from "~/server/services/scores/engine";
import { DEFAULT_SCORE_WEIGHTS } from "~/server/services/scores/types";

const NOW = new Date("2026-11-26T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const weights = DEFAULT_SCORE_WEIGHTS;

const DESCRIPTION =
  "Fone de ouvido Bluetooth JBL Tune 510BT na cor preta, com até 40 horas de bateria, recarga rápida e graves JBL Pure Bass. " +
  "Dobrável e leve, conecta dois aparelhos ao mesmo tempo. Acompanha cabo de recarga USB-C e manual em português.";

/** A listing with nothing to fix: every rule stays quiet. Tests change one fact at a time. */
function healthy(overrides: Partial<EngineListing> = {}): EngineListing {
  return {
    id: "lst_1",
    provider: "MERCADOLIVRE",
    status: "ACTIVE",
    title: "Fone de Ouvido Bluetooth JBL Tune 510BT Preto Dobrável", // 54 of 60
    titleMaxLength: 60,
    description: DESCRIPTION,
    attributes: [
      { id: "BRAND", name: "Marca", value: "JBL" },
      { id: "MODEL", name: "Modelo", value: "Tune 510BT" },
      { id: "GTIN", name: "Código universal de produto", value: "7891234567895" },
      { id: "COLOR", name: "Cor", value: "Preto" },
    ],
    gtin: "7891234567895",
    pictureCount: 6,
    tags: [],
    priceCents: 19_990,
    suggestedPriceCents: 19_990,
    freeShipping: true,
    listingType: "gold_special",
    qualityScore: 90,
    qualityRules: [
      { key: "PICTURES_QUANTITY", mode: "OPPORTUNITY", status: "COMPLETED", progress: 1 },
      { key: "TITLE_QUALITY", mode: "OPPORTUNITY", status: "COMPLETED", progress: 1 },
    ],
    stock: 50,
    visits30d: 600,
    sales30d: 30,
    sellerMedianConversion: 0.04,
    claimsRate: null,
    cancellationRate: null,
    categoryId: "MLB196208",
    categoryName: "Fones de Ouvido",
    hasVariations: false,
    catalogListing: false,
    soldQuantity: 120,
    lastSaleAt: daysAgo(1),
    salesSince: daysAgo(90),
    ...overrides,
  };
}

function run(listing: EngineListing, extra: { writeCopy?: (r: never) => ListingCopy } = {}) {
  const score = computeHealthScore(listing, weights);
  return recommendActions(listing, score, { weights, now: NOW, ...(extra as object) });
}

function only<T extends ActionTypeName>(recs: Recommendation[], type: T) {
  const found = recs.filter((r) => r.type === type);
  expect(found).toHaveLength(1);
  return found[0] as Recommendation<T> & { payload: ActionPayload<T> };
}

describe("recommendActions", () => {
  it("recommends nothing for a listing with nothing to fix", () => {
    expect(run(healthy())).toEqual([]);
  });

  it("every payload is valid for its type and every gain is the re-scored difference, best first", () => {
    const listing = healthy({
      title: "Fone JBL",
      description: null,
      gtin: null,
      attributes: [
        { id: "BRAND", name: "Marca", value: "JBL" },
        { id: "MODEL", name: "Modelo", value: "Tune 510BT" },
        { id: "GTIN", name: "GTIN", value: null },
      ],
      pictureCount: 1,
      freeShipping: false,
      priceCents: 30_000,
      stock: 2,
    });
    const score = computeHealthScore(listing, weights);
    const recs = recommendActions(listing, score, { weights, now: NOW });
    expect(recs.map((r) => r.type).sort()).toEqual(
      ["ADD_PHOTOS", "ADJUST_PRICE", "COMPLETE_ATTRIBUTES", "ENABLE_FREE_SHIPPING", "RESTOCK_ALERT", "REWRITE_DESCRIPTION", "REWRITE_TITLE"].sort(),
    );
    for (const rec of recs) {
      expect(() => ZActionPayloads[rec.type].parse(rec.payload)).not.toThrow();
      const after = computeHealthScore(applyToInput(listing, rec.type, rec.payload as never), weights).score;
      expect(rec.expectedGain).toBe(Math.max(0, after - score.score));
      expect(rec.expectedGain).toBeGreaterThanOrEqual(0);
    }
    const gains = recs.map((r) => r.expectedGain);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(recs.find((r) => r.type === "ENABLE_FREE_SHIPPING")!.expectedGain).toBeGreaterThan(0);
  });

  it("uses the given weights for the expected gain", () => {
    const listing = healthy({ freeShipping: false });
    const score = computeHealthScore(listing, weights);
    const heavy = { ...weights, offerCompetitiveness: 80 };
    const heavyScore = computeHealthScore(listing, heavy);
    const normal = only(recommendActions(listing, score, { weights, now: NOW }), "ENABLE_FREE_SHIPPING");
    const weighted = only(recommendActions(listing, heavyScore, { weights: heavy, now: NOW }), "ENABLE_FREE_SHIPPING");
    expect(weighted.expectedGain).toBeGreaterThan(normal.expectedGain);
    expect(weighted.expectedGain).toBe(expectedGainOf(listing, heavyScore, "ENABLE_FREE_SHIPPING", {}, heavy));
  });
});

describe("REWRITE_TITLE", () => {
  it("a short title is rewritten from the listing's own attributes by the local generator", () => {
    const rec = only(run(healthy({ title: "Fone JBL" })), "REWRITE_TITLE");
    expect(rec.reason).toBe("title_too_short");
    expect(rec.source).toBe("LOCAL_GENERATOR");
    expect(rec.payload.generator).toBe("local");
    expect(rec.payload.previousTitle).toBe("Fone JBL");
    expect(rec.payload.maxLength).toBe(60);
    expect(rec.payload.title).toContain("Tune 510BT");
    expect(rec.payload.title.length).toBeLessThanOrEqual(60);
    expect(rec.expectedGain).toBeGreaterThan(0);
  });

  it("a title over the category limit is cut to fit", () => {
    const title = "Fone de Ouvido Bluetooth JBL Tune 510BT Preto Dobrável Sem Fio Com Microfone Original";
    const rec = only(run(healthy({ title })), "REWRITE_TITLE");
    expect(rec.reason).toBe("title_too_long");
    expect(rec.payload.title.length).toBeLessThanOrEqual(60);
    expect(rec.expectedGain).toBeGreaterThan(0);
  });

  it("a title without the brand or model the attributes state is rewritten", () => {
    const rec = only(run(healthy({ title: "Fone de Ouvido Bluetooth JBL Preto Dobrável Leve" })), "REWRITE_TITLE");
    expect(rec.reason).toBe("title_missing_key_attributes");
    expect(rec.payload.title).toContain("Tune 510BT");
  });

  it("a pending TITLE_QUALITY rule of the marketplace asks for a rewrite", () => {
    const listing = healthy({
      title: "Fone de Ouvido Bluetooth JBL Tune 510BT Dobrável", // key attributes present, length fine
      qualityRules: [{ key: "TITLE_QUALITY", mode: "OPPORTUNITY", status: "PENDING", progress: 0.3 }],
    });
    const rec = only(run(listing), "REWRITE_TITLE");
    expect(rec.reason).toBe("title_marketplace_rule");
  });

  it("copy that changes nothing is no recommendation", () => {
    const listing = healthy({ title: "Fone JBL" });
    const same: ListingCopy = { text: "Fone JBL", generator: "local", model: "x", notes: [] };
    expect(run(listing, { writeCopy: () => same }).some((r) => r.type === "REWRITE_TITLE")).toBe(false);
  });

  it("LLM copy replaces the local one with source AI and a recomputed gain", () => {
    const listing = healthy({ title: "Fone JBL" });
    const score = computeHealthScore(listing, weights);
    const local = only(recommendActions(listing, score, { weights, now: NOW }), "REWRITE_TITLE");
    const ai: ListingCopy = { text: "Fone de Ouvido Bluetooth JBL Tune 510BT Preto Sem Fio", generator: "ai", model: "m", notes: ["added model"] };
    const upgraded = withCopy(listing, score, local, ai, weights)!;
    expect(upgraded.source).toBe("AI");
    expect(upgraded.reason).toBe("title_too_short");
    expect(upgraded.payload).toMatchObject({ title: ai.text, generator: "ai", notes: ["added model"] });
    expect(upgraded.expectedGain).toBe(expectedGainOf(listing, score, "REWRITE_TITLE", upgraded.payload as ActionPayload<"REWRITE_TITLE">, weights));
  });
});

describe("REWRITE_DESCRIPTION", () => {
  it("a missing description is written from the facts", () => {
    const rec = only(run(healthy({ description: null })), "REWRITE_DESCRIPTION");
    expect(rec.reason).toBe("description_missing");
    expect(rec.payload.previousDescription).toBeNull();
    expect(rec.payload.description).toContain("JBL");
    expect(rec.source).toBe("LOCAL_GENERATOR");
    expect(rec.expectedGain).toBeGreaterThan(0);
  });

  it("a short description is rewritten", () => {
    const rec = only(run(healthy({ description: "Fone JBL preto." })), "REWRITE_DESCRIPTION");
    expect(rec.reason).toBe("description_too_short");
  });
});

describe("COMPLETE_ATTRIBUTES", () => {
  it("a missing GTIN alone is its own reason", () => {
    const listing = healthy({
      gtin: null,
      attributes: healthy().attributes.map((a) => (a.id === "GTIN" ? { ...a, value: null } : a)),
    });
    const rec = only(run(listing), "COMPLETE_ATTRIBUTES");
    expect(rec.reason).toBe("gtin_missing");
    expect(rec.payload.attributes).toEqual([{ id: "GTIN", name: "Código universal de produto", value: null }]);
    expect(rec.expectedGain).toBeGreaterThan(0);
  });

  it("GTIN is asked for even when the attribute list does not carry it", () => {
    const listing = healthy({ gtin: null, attributes: healthy().attributes.filter((a) => a.id !== "GTIN") });
    const rec = only(run(listing), "COMPLETE_ATTRIBUTES");
    expect(rec.payload.attributes).toEqual([{ id: "GTIN", name: "GTIN", value: null }]);
  });

  it("pre-fills only what the listing itself states (its GTIN, a voltage or colour in the title)", () => {
    const listing = healthy({
      title: "Secador de Cabelo Taiff Black 2000W Preto 220V Profissional",
      attributes: [
        { id: "BRAND", name: "Marca", value: "Taiff" },
        { id: "MODEL", name: "Modelo", value: "Black 2000W" },
        { id: "GTIN", name: "Código universal de produto", value: null },
        { id: "VOLTAGE", name: "Voltagem", value: null },
        { id: "COLOR", name: "Cor", value: "" },
        { id: "PACKAGE_WEIGHT", name: "Peso da embalagem", value: null },
      ],
      gtin: "7891234567895",
    });
    const rec = only(run(listing), "COMPLETE_ATTRIBUTES");
    expect(rec.reason).toBe("attributes_missing");
    expect(rec.payload.attributes).toEqual([
      { id: "GTIN", name: "Código universal de produto", value: "7891234567895" },
      { id: "VOLTAGE", name: "Voltagem", value: "220V" },
      { id: "COLOR", name: "Cor", value: "Preto" },
      { id: "PACKAGE_WEIGHT", name: "Peso da embalagem", value: null },
    ]);
  });
});

describe("ADD_PHOTOS", () => {
  it("fewer than 3 photos asks for 5, URLs left for the seller", () => {
    const rec = only(run(healthy({ pictureCount: 1 })), "ADD_PHOTOS");
    expect(rec.reason).toBe("few_photos");
    expect(rec.payload).toEqual({ currentCount: 1, targetCount: 5, pictureUrls: [] });
    expect(rec.expectedGain).toBeGreaterThan(0);
  });

  it("a poor-quality flag asks to replace the photos", () => {
    const rec = only(run(healthy({ tags: ["poor_quality_picture"] })), "ADD_PHOTOS");
    expect(rec.reason).toBe("poor_quality_photos");
    expect(rec.payload.targetCount).toBe(6);
    expect(rec.expectedGain).toBeGreaterThan(0);
  });

  it("a pending PICTURES_QUANTITY rule asks for more photos", () => {
    const listing = healthy({ qualityRules: [{ key: "PICTURES_QUANTITY", mode: "OPPORTUNITY", status: "PENDING", progress: 0.5 }] });
    expect(only(run(listing), "ADD_PHOTOS").reason).toBe("photos_marketplace_rule");
  });
});

describe("ADJUST_PRICE", () => {
  it("more than 10 % above the reference moves to the reference, at most 20 % down at once", () => {
    const toReference = only(run(healthy({ priceCents: 12_000, suggestedPriceCents: 10_000 })), "ADJUST_PRICE");
    expect(toReference.reason).toBe("price_above_reference");
    expect(toReference.payload).toEqual({ fromCents: 12_000, toCents: 10_000, referenceCents: 10_000 });
    expect(toReference.expectedGain).toBeGreaterThan(0);

    const capped = only(run(healthy({ priceCents: 20_000, suggestedPriceCents: 10_000 })), "ADJUST_PRICE");
    expect(capped.payload.toCents).toBe(16_000);
  });

  it("never below R$ 5,00", () => {
    const rec = only(run(healthy({ priceCents: 600, suggestedPriceCents: 100 })), "ADJUST_PRICE");
    expect(rec.payload.toCents).toBe(500);
  });

  it("within the threshold nothing, unless the marketplace's COMPETITIVE_PRICE rule is pending", () => {
    expect(run(healthy({ priceCents: 10_900, suggestedPriceCents: 10_000 })).some((r) => r.type === "ADJUST_PRICE")).toBe(false);
    const listing = healthy({
      priceCents: 10_900,
      suggestedPriceCents: 10_000,
      qualityRules: [{ key: "COMPETITIVE_PRICE", mode: "WARNING", status: "PENDING", progress: 0.5 }],
    });
    const rec = only(run(listing), "ADJUST_PRICE");
    expect(rec.reason).toBe("price_marketplace_rule");
    expect(rec.payload.toCents).toBe(10_000);
  });

  it("no reference, no price recommendation", () => {
    expect(run(healthy({ priceCents: 99_000, suggestedPriceCents: null })).some((r) => r.type === "ADJUST_PRICE")).toBe(false);
  });
});

describe("ENABLE_FREE_SHIPPING", () => {
  it("is recommended when free shipping is off", () => {
    const rec = only(run(healthy({ freeShipping: false })), "ENABLE_FREE_SHIPPING");
    expect(rec).toMatchObject({ reason: "free_shipping_off", payload: {}, source: "RULE" });
  });
});

describe("RESTOCK_ALERT", () => {
  it("fewer than 15 days of cover → stock for 30 days", () => {
    const rec = only(run(healthy({ stock: 5, sales30d: 30 })), "RESTOCK_ALERT");
    expect(rec.reason).toBe("low_days_of_cover");
    expect(rec.payload).toEqual({ currentStock: 5, daysOfCover: 5, suggestedStock: 30 });
    expect(rec.expectedGain).toBeGreaterThan(0);
  });

  it("sold out with sales history, even paused for it", () => {
    const rec = only(run(healthy({ stock: 0, sales30d: 0, status: "PAUSED", soldQuantity: 12 })), "RESTOCK_ALERT");
    expect(rec.reason).toBe("out_of_stock_with_sales");
    expect(rec.payload).toEqual({ currentStock: 0, daysOfCover: null, suggestedStock: 5 });
  });

  it("reads sales30d as a 30-day equivalent (the metric window already scaled the known days)", () => {
    // 60 a month is 2 a day: 10 in stock is 5 days of cover; 30 days of cover is 60.
    const rec = only(run(healthy({ stock: 10, sales30d: 60, salesSince: daysAgo(2) })), "RESTOCK_ALERT");
    expect(rec.payload).toEqual({ currentStock: 10, daysOfCover: 5, suggestedStock: 60 });
    // 6 a month is 50 days of cover: nothing to do.
    expect(run(healthy({ stock: 10, sales30d: 6 })).some((r) => r.type === "RESTOCK_ALERT")).toBe(false);
  });

  it("sold out without any sale ever is no restock alert", () => {
    expect(run(healthy({ stock: 0, sales30d: 0, soldQuantity: 0 })).some((r) => r.type === "RESTOCK_ALERT")).toBe(false);
  });
});

describe("PAUSE_LISTING", () => {
  const dead = { sales30d: 0, visits30d: 120, lastSaleAt: null, salesSince: daysAgo(45) };

  it("an active listing with visits and no sale for 30+ days", () => {
    const rec = only(run(healthy(dead)), "PAUSE_LISTING");
    expect(rec).toMatchObject({ reason: "dead_listing", payload: { daysWithoutSales: 45, visits30d: 120 } });
    expect(rec.expectedGain).toBe(0);
  });

  it("counts from the last sale when there was one", () => {
    const rec = only(run(healthy({ ...dead, lastSaleAt: daysAgo(33) })), "PAUSE_LISTING");
    expect(rec.payload.daysWithoutSales).toBe(33);
  });

  it("not for a young listing, one nobody visits, or one that is not active", () => {
    // Sales known for 10 days only (first synced then): too soon to call it dead.
    expect(run(healthy({ ...dead, salesSince: daysAgo(10) })).some((r) => r.type === "PAUSE_LISTING")).toBe(false);
    expect(run(healthy({ ...dead, visits30d: 5 })).some((r) => r.type === "PAUSE_LISTING")).toBe(false);
    expect(run(healthy({ ...dead, status: "PAUSED" })).some((r) => r.type === "PAUSE_LISTING")).toBe(false);
    expect(run(healthy({ ...dead, visits30d: null, sales30d: null })).some((r) => r.type === "PAUSE_LISTING")).toBe(false);
    expect(run(healthy({ ...dead, salesSince: null })).some((r) => r.type === "PAUSE_LISTING")).toBe(false);
  });
});
