/**
 * The Health Score engine: a pure function from one listing's facts to its score. No I/O, no
 * dates, no allocation beyond the result — the scoring service calls it for every listing of a
 * catalog (100k in bench/scores.bench.ts) and the action engine re-scores a listing with a proposed
 * change to state the expected gain. Formulas are documented in docs/health-score.md; keep both in
 * step.
 */
import {
  DEFAULT_SCORE_WEIGHTS,
  PENALTY_CAP,
  SCORE_BANDS,
  SCORE_COMPONENT_KEYS,
  type Explanation,
  type PenaltyKind,
  type ScoreComponent,
  type ScoreComponentKey,
  type ScoreInput,
  type ScoreResult,
  type ScoreWeights,
} from "./types";

/** Marketplace default title limits (characters). */
const TITLE_LIMITS: Record<ScoreInput["provider"], number> = { MERCADOLIVRE: 60, SHOPEE: 120 };

/**
 * Categories whose limit differs from the marketplace default, keyed "<provider>:<categoryId>".
 * Empty until a category with its own limit is met: a guessed limit would make us rewrite titles
 * the marketplace then truncates.
 */
const CATEGORY_TITLE_LIMITS: Record<string, number> = {};

export function titleMaxLength(provider: ScoreInput["provider"], categoryId: string | null): number {
  if (categoryId) {
    const own = CATEGORY_TITLE_LIMITS[`${provider}:${categoryId}`];
    if (own) return own;
  }
  return TITLE_LIMITS[provider];
}

/**
 * Every explanation code each component can produce: messages.<locale>.scoreExplanations.<key>.<code>
 * must exist for each (tests/unit/score-engine.test.ts checks both languages).
 */
export const EXPLANATION_CODES: Record<ScoreComponentKey, readonly string[]> = {
  marketplaceQuality: ["noReport", "pendingRules", "allRulesMet"],
  contentCompleteness: ["missingAttributes", "noGtin", "titleShort", "titleTooLong", "noDescription", "shortDescription", "complete"],
  images: ["noPictures", "fewPictures", "poorQuality", "good"],
  offerCompetitiveness: ["noPriceReference", "priceAboveReference", "noFreeShipping", "freeListingType", "competitive"],
  conversion: ["noMetrics", "noVisits", "noBaseline", "aboveMedian", "belowMedian"],
  stockHealth: ["outOfStock", "noMetrics", "noSales", "lowCover", "overstock", "healthy"],
  purchaseExperience: ["noData", "good", "issues"],
};

/** Minimum number of pictures a listing should have. */
export const MIN_PICTURES = 3;
/** A description shorter than this is counted as half done. */
export const MIN_DESCRIPTION_LENGTH = 100;
/** A title using at least this share of the category limit gets the full title points. */
export const TITLE_GOOD_SHARE = 0.7;
/** Days of cover: below LOW is a stock-out risk, above HIGH is capital sitting still. */
export const COVER_LOW_DAYS = 15;
export const COVER_HIGH_DAYS = 180;
/** Price ratio (price / reference) at which the price part reaches zero. */
export const PRICE_RATIO_ZERO = 1.3;

/** What one component computes before weights are applied. */
type Part = {
  value: number | null;
  explanation: Explanation;
  missing: string[];
  /** Share (0–1) of the component's inputs that were present; feeds confidence. */
  presence: number;
};

const clamp = (n: number) => (n < 0 ? 0 : n > 100 ? 100 : n);
const round1 = (n: number) => Math.round(n * 10) / 10;

function marketplaceQuality(input: ScoreInput): Part {
  // Shopee exposes no quality report and Mercado Livre answers 404 until it computed one: both are
  // a missing input, never a zero.
  if (input.qualityScore === null) {
    return { value: null, explanation: { code: "noReport" }, missing: ["qualityScore"], presence: 0 };
  }
  const rules = input.qualityRules ?? [];
  let pending = 0;
  for (const rule of rules) if (rule.status === "PENDING") pending++;
  const completedShare = rules.length === 0 ? 1 : (rules.length - pending) / rules.length;
  // The marketplace's score dominates; the share of its own rules still pending adds the part the
  // seller can act on right away.
  const value = Math.round(clamp(0.8 * input.qualityScore + 20 * completedShare));
  const explanation: Explanation =
    pending > 0
      ? { code: "pendingRules", params: { score: input.qualityScore, pending } }
      : { code: "allRulesMet", params: { score: input.qualityScore } };
  return { value, explanation, missing: [], presence: 1 };
}

function contentCompleteness(input: ScoreInput): Part {
  // Four parts of 25 points: attributes filled, GTIN, title length, description.
  const total = input.attributes.length;
  let filled = 0;
  let gtinAttribute = false;
  for (const attribute of input.attributes) {
    const present = attribute.value !== null && attribute.value.trim() !== "";
    if (present) filled++;
    if (present && attribute.id === "GTIN") gtinAttribute = true;
  }
  const attributePoints = total === 0 ? 0 : (25 * filled) / total;
  const hasGtin = (input.gtin !== null && input.gtin.trim() !== "") || gtinAttribute;
  const gtinPoints = hasGtin ? 25 : 0;
  const length = input.title.trim().length;
  const max = input.titleMaxLength;
  // Over the limit the marketplace truncates the title: no points. Under, full points from 70 %.
  const titlePoints = length > max ? 0 : 25 * Math.min(1, length / (max * TITLE_GOOD_SHARE));
  const descriptionLength = input.description?.trim().length ?? 0;
  const descriptionPoints =
    descriptionLength >= MIN_DESCRIPTION_LENGTH ? 25 : descriptionLength > 0 ? 12.5 : 0;
  const value = Math.round(attributePoints + gtinPoints + titlePoints + descriptionPoints);

  // The explanation names the part that loses the most points (ties: the order below).
  const losses: [number, Explanation][] = [
    [25 - attributePoints, { code: "missingAttributes", params: { filled, total } }],
    [25 - gtinPoints, { code: "noGtin" }],
    [
      25 - titlePoints,
      length > max ? { code: "titleTooLong", params: { length, max } } : { code: "titleShort", params: { length, max } },
    ],
    [25 - descriptionPoints, descriptionLength > 0 ? { code: "shortDescription", params: { length: descriptionLength } } : { code: "noDescription" }],
  ];
  let worst: [number, Explanation] = [0, { code: "complete" }];
  for (const loss of losses) if (loss[0] > worst[0] + 1e-9) worst = loss;
  return { value, explanation: worst[1], missing: [], presence: 1 };
}

function images(input: ScoreInput): Part {
  const count = input.pictureCount;
  const poor = input.tags.includes("poor_quality_picture");
  const base = count >= MIN_PICTURES ? 100 : (100 * count) / MIN_PICTURES;
  const value = Math.round(clamp(base - (poor ? 30 : 0)));
  const explanation: Explanation =
    count === 0
      ? { code: "noPictures" }
      : count < MIN_PICTURES
        ? { code: "fewPictures", params: { count, min: MIN_PICTURES } }
        : poor
          ? { code: "poorQuality" }
          : { code: "good", params: { count } };
  return { value, explanation, missing: [], presence: 1 };
}

function offerCompetitiveness(input: ScoreInput): Part {
  // Price against the reference 50 points, free shipping 30, listing type 20.
  const shippingPoints = input.freeShipping ? 30 : 0;
  // Mercado Livre's "free" type gets the least exposure; Shopee has no listing types (null).
  const freeType = input.listingType === "free";
  const typePoints = freeType ? 0 : 20;
  const reference = input.suggestedPriceCents;
  if (reference === null || reference <= 0) {
    // Without the reference the rest is rescaled to 100; confidence carries the gap.
    const value = Math.round(((shippingPoints + typePoints) / 50) * 100);
    const explanation: Explanation = !input.freeShipping
      ? { code: "noFreeShipping" }
      : freeType
        ? { code: "freeListingType" }
        : { code: "noPriceReference" };
    return { value, explanation, missing: ["priceReference"], presence: 0.5 };
  }
  const ratio = input.priceCents / reference;
  const pricePoints = ratio <= 1 ? 50 : ratio >= PRICE_RATIO_ZERO ? 0 : (50 * (PRICE_RATIO_ZERO - ratio)) / (PRICE_RATIO_ZERO - 1);
  const value = Math.round(pricePoints + shippingPoints + typePoints);
  // The explanation names the part that loses the most points (ties: the order below).
  const losses: [number, Explanation][] = [
    [50 - pricePoints, { code: "priceAboveReference", params: { percent: Math.round((ratio - 1) * 100) } }],
    [30 - shippingPoints, { code: "noFreeShipping" }],
    [20 - typePoints, { code: "freeListingType" }],
  ];
  let worst: [number, Explanation] = [0, { code: "competitive" }];
  for (const loss of losses) if (loss[0] > worst[0] + 1e-9) worst = loss;
  const explanation = worst[1];
  return { value, explanation, missing: [], presence: 1 };
}

/** Conversion at the seller's median scores this; 4/3 of the median or better scores 100. */
export const CONVERSION_AT_MEDIAN = 75;

function conversion(input: ScoreInput): Part {
  if (input.visits30d === null || input.sales30d === null) {
    return { value: null, explanation: { code: "noMetrics" }, missing: ["metrics"], presence: 0 };
  }
  if (input.visits30d === 0) {
    return { value: 0, explanation: { code: "noVisits" }, missing: [], presence: 1 };
  }
  const rate = input.sales30d / input.visits30d;
  const median = input.sellerMedianConversion;
  // With no baseline (no listing of the seller converts yet) there is nothing to compare against.
  if (median === null || median <= 0) {
    return {
      value: null,
      explanation: { code: "noBaseline" },
      missing: ["sellerMedianConversion"],
      presence: 0,
    };
  }
  const value = Math.round(clamp((CONVERSION_AT_MEDIAN * rate) / median));
  const params = { rate: round1(rate * 100), median: round1(median * 100) };
  const explanation: Explanation =
    rate >= median ? { code: "aboveMedian", params } : { code: "belowMedian", params };
  return { value, explanation, missing: [], presence: 1 };
}

function stockHealth(input: ScoreInput): Part {
  if (input.stock <= 0) return { value: 0, explanation: { code: "outOfStock" }, missing: [], presence: 1 };
  if (input.sales30d === null) {
    return { value: null, explanation: { code: "noMetrics" }, missing: ["metrics"], presence: 0 };
  }
  if (input.sales30d === 0) {
    // Stock that does not move: not a stock-out risk, but capital sitting still.
    return { value: 60, explanation: { code: "noSales", params: { stock: input.stock } }, missing: [], presence: 1 };
  }
  const days = Math.round((input.stock * 30) / input.sales30d);
  const cover = (input.stock * 30) / input.sales30d;
  if (cover < COVER_LOW_DAYS) {
    return {
      value: Math.round((100 * cover) / COVER_LOW_DAYS),
      explanation: { code: "lowCover", params: { days } },
      missing: [],
      presence: 1,
    };
  }
  if (cover > COVER_HIGH_DAYS) {
    return { value: 70, explanation: { code: "overstock", params: { days } }, missing: [], presence: 1 };
  }
  return { value: 100, explanation: { code: "healthy", params: { days } }, missing: [], presence: 1 };
}

function purchaseExperience(input: ScoreInput): Part {
  const { claimsRate, cancellationRate } = input;
  if (claimsRate === null && cancellationRate === null) {
    return { value: null, explanation: { code: "noData" }, missing: ["claims", "cancellations"], presence: 0 };
  }
  // A 5 % claim rate costs 40 points, a 5 % cancellation rate 20: claims hurt reputation more.
  const value = Math.round(clamp(100 - 800 * (claimsRate ?? 0) - 400 * (cancellationRate ?? 0)));
  const params = {
    claims: claimsRate === null ? "-" : round1(claimsRate * 100),
    cancellations: cancellationRate === null ? "-" : round1(cancellationRate * 100),
  };
  const missing: string[] = [];
  if (claimsRate === null) missing.push("claims");
  if (cancellationRate === null) missing.push("cancellations");
  const explanation: Explanation = value >= 90 ? { code: "good", params } : { code: "issues", params };
  return { value, explanation, missing, presence: missing.length === 0 ? 1 : 0.5 };
}

const COMPONENTS: Record<ScoreComponentKey, (input: ScoreInput) => Part> = {
  marketplaceQuality,
  contentCompleteness,
  images,
  offerCompetitiveness,
  conversion,
  stockHealth,
  purchaseExperience,
};

/** The penalty a listing's status and provider flags call for (the cap applies to any of them). */
export function penaltyOf(input: Pick<ScoreInput, "status" | "tags">): PenaltyKind | null {
  if (input.status === "UNDER_REVIEW" || input.tags.includes("under_review")) return "under_review";
  if (input.tags.includes("moderation_penalty")) return "infraction";
  if (input.tags.includes("deboost")) return "deboost";
  return null;
}

/**
 * Weighted mean of the components that have a value; missing components drop out of the mean (the
 * other weights are renormalised) and lower confidence instead of the score.
 */
export function computeHealthScore(input: ScoreInput, weights: ScoreWeights = DEFAULT_SCORE_WEIGHTS): ScoreResult {
  const parts: Part[] = [];
  let configured = 0;
  let presentWeight = 0;
  let presence = 0;
  for (const key of SCORE_COMPONENT_KEYS) {
    const part = COMPONENTS[key](input);
    parts.push(part);
    const w = weights[key];
    configured += w;
    presence += w * part.presence;
    if (part.value !== null) presentWeight += w;
  }

  let weighted = 0;
  const components: ScoreComponent[] = [];
  const missingInputs: string[] = [];
  for (let i = 0; i < SCORE_COMPONENT_KEYS.length; i++) {
    const key = SCORE_COMPONENT_KEYS[i]!;
    const part = parts[i]!;
    const weight = part.value === null || presentWeight === 0 ? 0 : weights[key] / presentWeight;
    if (part.value !== null) weighted += weight * part.value;
    for (const name of part.missing) if (!missingInputs.includes(name)) missingInputs.push(name);
    components.push({ key, weight, value: part.value, explanation: part.explanation, missing: part.missing });
  }

  const penalty = penaltyOf(input);
  let score = Math.round(weighted);
  if (penalty && score > PENALTY_CAP) score = PENALTY_CAP;
  const confidence = configured === 0 ? 0 : Math.round((presence / configured) * 1000) / 1000;
  return { score, components, missingInputs, confidence, penalty };
}

/** Band of a score, as in SCORE_BANDS. */
export function scoreBand(score: number): "poor" | "fair" | "good" {
  return score < SCORE_BANDS.poorBelow ? "poor" : score < SCORE_BANDS.goodFrom ? "fair" : "good";
}
