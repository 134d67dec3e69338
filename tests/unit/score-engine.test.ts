/**
 * The Health Score engine on hand-built listings. Every expected value is worked out by hand in
 * the comments from the formulas in docs/health-score.md (never by calling the engine).
 */
import { describe, expect, it } from "vitest";

import en from "../../messages/en.json";
import ptBR from "../../messages/pt-BR.json";
import { computeHealthScore, EXPLANATION_CODES, titleMaxLength } from "~/server/services/scores/engine";
import { DEFAULT_SCORE_WEIGHTS, SCORE_COMPONENT_KEYS, type ScoreInput, type ScoreWeights } from "~/server/services/scores/types";

const chars = (n: number) => "x".repeat(n);

/** Everything present and healthy. */
function strong(overrides: Partial<ScoreInput> = {}): ScoreInput {
  return {
    provider: "MERCADOLIVRE",
    status: "ACTIVE",
    title: chars(50),
    titleMaxLength: 60,
    description: chars(150),
    attributes: [
      { id: "BRAND", name: "Marca", value: "Acme" },
      { id: "MODEL", name: "Modelo", value: "X1" },
      { id: "COLOR", name: "Cor", value: "Preto" },
      { id: "VOLTAGE", name: "Voltagem", value: "220V" },
    ],
    gtin: "7891234567895",
    pictureCount: 5,
    tags: [],
    priceCents: 10_000,
    suggestedPriceCents: 10_000,
    freeShipping: true,
    listingType: "gold_special",
    qualityScore: 90,
    qualityRules: [
      { key: "PICTURES", mode: "OPPORTUNITY", status: "COMPLETED", progress: 1 },
      { key: "TECHNICAL_SPECS", mode: "WARNING", status: "COMPLETED", progress: 1 },
    ],
    stock: 30,
    visits30d: 1000,
    sales30d: 20,
    sellerMedianConversion: 0.02,
    claimsRate: 0,
    cancellationRate: 0,
    ...overrides,
  };
}

/** Something wrong in every component. */
function weak(overrides: Partial<ScoreInput> = {}): ScoreInput {
  return strong({
    title: chars(21),
    description: null,
    attributes: [
      { id: "BRAND", name: "Marca", value: "Acme" },
      { id: "MODEL", name: "Modelo", value: null },
      { id: "COLOR", name: "Cor", value: "" },
      { id: "VOLTAGE", name: "Voltagem", value: null },
    ],
    gtin: null,
    pictureCount: 2,
    tags: ["poor_quality_picture"],
    priceCents: 12_000,
    freeShipping: false,
    listingType: "free",
    qualityScore: 50,
    qualityRules: [
      { key: "PICTURES", mode: "WARNING", status: "PENDING", progress: 0.2 },
      { key: "A", mode: "OPPORTUNITY", status: "COMPLETED", progress: 1 },
      { key: "B", mode: "OPPORTUNITY", status: "COMPLETED", progress: 1 },
      { key: "C", mode: "OPPORTUNITY", status: "COMPLETED", progress: 1 },
    ],
    stock: 2,
    visits30d: 500,
    sales30d: 5,
    claimsRate: 0.05,
    cancellationRate: 0.02,
    ...overrides,
  });
}

const valueOf = (input: ScoreInput, weights?: ScoreWeights) =>
  Object.fromEntries(computeHealthScore(input, weights).components.map((c) => [c.key, c.value]));

describe("computeHealthScore", () => {
  it("scores a healthy listing with full confidence", () => {
    const result = computeHealthScore(strong());
    // quality 0.8·90 + 20·(2/2) = 92; content 25+25+25+25 = 100; images 100; offer 50+30+20 = 100;
    // conversion 75·0.02/0.02 = 75; stock cover 30·30/20 = 45 days → 100; purchase 100.
    expect(valueOf(strong())).toEqual({
      marketplaceQuality: 92,
      contentCompleteness: 100,
      images: 100,
      offerCompetitiveness: 100,
      conversion: 75,
      stockHealth: 100,
      purchaseExperience: 100,
    });
    // (20·92 + 15·100 + 15·100 + 15·100 + 15·75 + 10·100 + 10·100) / 100 = 94.65 → 95
    expect(result.score).toBe(95);
    expect(result.confidence).toBe(1);
    expect(result.missingInputs).toEqual([]);
    expect(result.penalty).toBeNull();
    expect(result.components.map((c) => c.key)).toEqual([...SCORE_COMPONENT_KEYS]);
    expect(result.components[0]!.weight).toBeCloseTo(0.2);
    expect(result.components[0]!.explanation).toEqual({ code: "allRulesMet", params: { score: 90 } });
    expect(result.components[4]!.explanation).toEqual({ code: "aboveMedian", params: { rate: 2, median: 2 } });
    expect(result.components[5]!.explanation).toEqual({ code: "healthy", params: { days: 45 } });
  });

  it("scores a weak listing component by component, naming what costs the most", () => {
    const result = computeHealthScore(weak());
    // quality: 0.8·50 + 20·(3/4) = 55
    // content: attributes 25·1/4 = 6.25; GTIN 0; title 25·21/(60·0.7) = 12.5; description 0 → 18.75 → 19
    // images: 100·2/3 − 30 (poor quality) = 36.67 → 37
    // offer: price 12000/10000 = 1.2 → 50·(1.3−1.2)/0.3 = 16.67; shipping 0; type "free" 0 → 17
    // conversion: 5/500 = 0.01 against 0.02 → 75·0.5 = 37.5 → 38
    // stock: 2·30/5 = 12 days < 15 → 100·12/15 = 80
    // purchase: 100 − 800·0.05 − 400·0.02 = 52
    expect(valueOf(weak())).toEqual({
      marketplaceQuality: 55,
      contentCompleteness: 19,
      images: 37,
      offerCompetitiveness: 17,
      conversion: 38,
      stockHealth: 80,
      purchaseExperience: 52,
    });
    // (20·55 + 15·19 + 15·37 + 15·17 + 15·38 + 10·80 + 10·52) / 100 = 40.85 → 41
    expect(result.score).toBe(41);
    const explanations = Object.fromEntries(result.components.map((c) => [c.key, c.explanation]));
    expect(explanations).toEqual({
      marketplaceQuality: { code: "pendingRules", params: { score: 50, pending: 1 } },
      // GTIN and description both lose 25; the first in order is named.
      contentCompleteness: { code: "noGtin" },
      images: { code: "fewPictures", params: { count: 2, min: 3 } },
      offerCompetitiveness: { code: "priceAboveReference", params: { percent: 20 } },
      conversion: { code: "belowMedian", params: { rate: 1, median: 2 } },
      stockHealth: { code: "lowCover", params: { days: 12 } },
      purchaseExperience: { code: "issues", params: { claims: 5, cancellations: 2 } },
    });
  });

  it("leaves missing inputs out of the score and lowers confidence instead", () => {
    const result = computeHealthScore(
      strong({
        qualityScore: null,
        qualityRules: null,
        suggestedPriceCents: null,
        visits30d: null,
        sales30d: null,
        sellerMedianConversion: null,
        claimsRate: null,
        cancellationRate: null,
      }),
    );
    // Present: content 100, images 100, offer without the reference (30 + 20) / 50 · 100 = 100.
    expect(valueOf(strong({ qualityScore: null, suggestedPriceCents: null, visits30d: null, sales30d: null, claimsRate: null, cancellationRate: null }))).toEqual({
      marketplaceQuality: null,
      contentCompleteness: 100,
      images: 100,
      offerCompetitiveness: 100,
      conversion: null,
      stockHealth: null,
      purchaseExperience: null,
    });
    // (15·100 + 15·100 + 15·100) / 45 = 100
    expect(result.score).toBe(100);
    // (15 + 15 + 15·0.5) / 100 = 0.375 (the offer had half its inputs)
    expect(result.confidence).toBe(0.375);
    expect(result.missingInputs).toEqual(["qualityScore", "priceReference", "metrics", "claims", "cancellations"]);
    expect(result.components.find((c) => c.key === "marketplaceQuality")).toMatchObject({ weight: 0, value: null, missing: ["qualityScore"], explanation: { code: "noReport" } });
    expect(result.components.find((c) => c.key === "contentCompleteness")!.weight).toBeCloseTo(15 / 45);
  });

  it("renormalises the other weights when one component is missing", () => {
    const result = computeHealthScore(strong({ qualityScore: null, qualityRules: null }));
    // (15·100 + 15·100 + 15·100 + 15·75 + 10·100 + 10·100) / 80 = 7625 / 80 = 95.31 → 95
    expect(result.score).toBe(95);
    expect(result.confidence).toBe(0.8);
    expect(result.missingInputs).toEqual(["qualityScore"]);
    const weights = result.components.map((c) => c.weight);
    expect(weights[0]).toBe(0);
    expect(weights[1]).toBeCloseTo(15 / 80);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it("applies custom weights", () => {
    const contentAndConversion: ScoreWeights = {
      marketplaceQuality: 0,
      contentCompleteness: 1,
      images: 0,
      offerCompetitiveness: 0,
      conversion: 1,
      stockHealth: 0,
      purchaseExperience: 0,
    };
    // (100 + 75) / 2 = 87.5 → 88; weak: (19 + 38) / 2 = 28.5 → 29
    expect(computeHealthScore(strong(), contentAndConversion).score).toBe(88);
    expect(computeHealthScore(weak(), contentAndConversion).score).toBe(29);
    // A zero-weight component's missing input costs no confidence.
    expect(computeHealthScore(strong({ qualityScore: null }), contentAndConversion).confidence).toBe(1);
    // Only a missing component weighted: nothing to score, no confidence.
    const onlyQuality = { ...contentAndConversion, contentCompleteness: 0, conversion: 0, marketplaceQuality: 5 };
    expect(computeHealthScore(strong({ qualityScore: null }), onlyQuality)).toMatchObject({ score: 0, confidence: 0 });
    // Doubling every default weight changes nothing (weights are relative).
    const doubled = Object.fromEntries(SCORE_COMPONENT_KEYS.map((k) => [k, DEFAULT_SCORE_WEIGHTS[k] * 2])) as ScoreWeights;
    expect(computeHealthScore(weak(), doubled).score).toBe(41);
  });

  it("caps the score at 40 under review, for an infraction or a deboost", () => {
    expect(computeHealthScore(strong({ status: "UNDER_REVIEW" }))).toMatchObject({ score: 40, penalty: "under_review" });
    expect(computeHealthScore(strong({ tags: ["under_review"] }))).toMatchObject({ score: 40, penalty: "under_review" });
    expect(computeHealthScore(strong({ tags: ["moderation_penalty"] }))).toMatchObject({ score: 40, penalty: "infraction" });
    expect(computeHealthScore(strong({ tags: ["deboost"] }))).toMatchObject({ score: 40, penalty: "deboost" });
    // 41 capped to 40; a score already under the cap stays as it is.
    expect(computeHealthScore(weak({ tags: ["poor_quality_picture", "deboost"] })).score).toBe(40);
    const low = weak({ tags: ["poor_quality_picture", "deboost"], qualityScore: 0, stock: 0 });
    // quality 0 + 15 = 15; stock 0: (20·15 + 285 + 555 + 255 + 570 + 0 + 520) / 100 = 24.85 → 25
    expect(computeHealthScore(low)).toMatchObject({ score: 25, penalty: "deboost" });
  });

  it("handles the edges of each component", () => {
    // No pictures; no visits at all; out of stock.
    expect(valueOf(strong({ pictureCount: 0 })).images).toBe(0);
    expect(valueOf(strong({ visits30d: 0, sales30d: 0 })).conversion).toBe(0);
    expect(computeHealthScore(strong({ stock: 0 })).components[5]).toMatchObject({ value: 0, explanation: { code: "outOfStock" } });
    // Stock that does not move: 60; 200 units at 10 a month = 600 days of cover: 70.
    expect(valueOf(strong({ sales30d: 0 })).stockHealth).toBe(60);
    expect(computeHealthScore(strong({ stock: 200, sales30d: 10 })).components[5]).toMatchObject({ value: 70, explanation: { code: "overstock", params: { days: 600 } } });
    // Title over the limit scores no title points: 100 − 25 = 75; a 50-char description half: 87.5 → 88.
    expect(computeHealthScore(strong({ title: chars(61) })).components[1]).toMatchObject({ value: 75, explanation: { code: "titleTooLong", params: { length: 61, max: 60 } } });
    expect(valueOf(strong({ description: chars(50) })).contentCompleteness).toBe(88);
    // GTIN carried as an attribute counts; no attributes at all scores none of their 25 points.
    expect(valueOf(strong({ gtin: null, attributes: [{ id: "GTIN", name: "GTIN", value: "789" }] })).contentCompleteness).toBe(100);
    expect(valueOf(strong({ attributes: [] })).contentCompleteness).toBe(75);
    // Price 30 % or more above the reference scores no price points: 0 + 30 + 20 = 50.
    expect(valueOf(strong({ priceCents: 13_000 })).offerCompetitiveness).toBe(50);
    // A seller baseline of zero (no listing converts): nothing to compare with.
    expect(computeHealthScore(strong({ sellerMedianConversion: 0 })).missingInputs).toEqual(["sellerMedianConversion"]);
    // Only one of claims/cancellations reported: scored on it, half its confidence.
    const oneRate = computeHealthScore(strong({ cancellationRate: null, claimsRate: 0.01 }));
    // 100 − 800·0.01 = 92
    expect(oneRate.components[6]).toMatchObject({ value: 92, missing: ["cancellations"] });
    expect(oneRate.confidence).toBe(0.95);
  });

  it("is fast enough to score 100k listings inside the recompute budget (sanity, not a timing assertion)", () => {
    const input = weak();
    let sum = 0;
    for (let i = 0; i < 1000; i++) sum += computeHealthScore(input).score;
    expect(sum).toBe(41_000);
  });
});

describe("titleMaxLength", () => {
  it("uses each marketplace's limit", () => {
    expect(titleMaxLength("MERCADOLIVRE", "MLB1055")).toBe(60);
    expect(titleMaxLength("MERCADOLIVRE", null)).toBe(60);
    expect(titleMaxLength("SHOPEE", "100001")).toBe(120);
  });
});

describe("explanations", () => {
  it("has a message for every explanation code in both languages", () => {
    for (const [name, messages] of [["en", en], ["pt-BR", ptBR]] as const) {
      const explanations = (messages as unknown as { scoreExplanations: Record<string, Record<string, string>> }).scoreExplanations;
      for (const key of SCORE_COMPONENT_KEYS) {
        for (const code of EXPLANATION_CODES[key]) {
          expect(explanations?.[key]?.[code], `${name}: scoreExplanations.${key}.${code}`).toBeTypeOf("string");
        }
      }
    }
  });

  it("only produces codes listed in EXPLANATION_CODES", () => {
    const inputs = [strong(), weak(), strong({ qualityScore: null, suggestedPriceCents: null, visits30d: null, sales30d: null, claimsRate: null, cancellationRate: null }), strong({ stock: 0, pictureCount: 0 })];
    for (const input of inputs) {
      for (const component of computeHealthScore(input).components) {
        expect(EXPLANATION_CODES[component.key]).toContain(component.explanation.code);
      }
    }
  });
});
