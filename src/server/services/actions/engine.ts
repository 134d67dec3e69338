/**
 * The action engine: pure rules that turn one listing's score inputs into recommended actions.
 * No database, no I/O, no clock of its own (`now` comes in), so it is tested on hand-built
 * listings and runs over a whole catalog in memory. docs/actions.md explains every rule.
 *
 * Each recommendation carries a concrete payload (payloads.ts), a reason code (rendered through
 * messages `actionReasons.<code>`) and its expected gain: the Health Score of the listing with the
 * change applied, minus its current score, computed by the scoring engine with the same weights.
 */
import type { ListingCopy, ListingCopyRequest, ListingFacts } from "~/server/ai/types";
import type { QualityRule } from "~/server/connectors/marketplace/types";
import { generateLocalCopy } from "~/server/ai/local";
import { COVER_LOW_DAYS, MIN_DESCRIPTION_LENGTH, MIN_PICTURES, TITLE_GOOD_SHARE, computeHealthScore } from "~/server/services/scores/engine";
import type { ScoreInput, ScoreResult, ScoreWeights } from "~/server/services/scores/types";
import { ZActionPayloads, type ActionPayload, type ActionTypeName, type Recommendation } from "./payloads";

// ─── Thresholds (documented in docs/actions.md) ─────────────────────────────────────────────────
// Where the Health Score already draws a line (title share, description length, photo count, days
// of cover), the engine uses the scoring engine's own constant: a seller is told to fix exactly
// what costs them points.

/** A title shorter than this share of the category's limit loses score points (scores engine). */
export const TITLE_MIN_SHARE = TITLE_GOOD_SHARE;
/** Attributes whose value a buyer searches for: missing from the title → rewrite it. */
export const TITLE_KEY_ATTRIBUTES = ["BRAND", "MODEL"] as const;
/** A description shorter than this loses score points (scores engine). */
export const DESCRIPTION_MIN_LENGTH = MIN_DESCRIPTION_LENGTH;
/** Length asked of generated descriptions (Mercado Livre accepts 50 000; buyers read far less). */
export const DESCRIPTION_MAX_LENGTH = 3000;
/** Fewer photos than this loses score points and fails Mercado Livre's PICTURES_QUANTITY rule. */
export const MIN_PHOTOS = MIN_PICTURES;
/** What we ask for when a listing has too few photos (the score needs MIN_PHOTOS; buyers like more). */
export const RECOMMENDED_PHOTOS = 5;
/** Price more than this share above the marketplace's reference → move toward the reference. */
export const PRICE_ABOVE_REFERENCE_THRESHOLD = 0.1;
/** One recommendation never cuts the price by more than this share (the seller's margin is unknown). */
export const MAX_PRICE_CUT = 0.2;
/** Never suggest a price below this, in cents (Mercado Livre's minimum price in Brazil, R$ 5,00). */
export const MIN_PRICE_CENTS = 500;
/** Restock when the current stock covers fewer days of sales than this (scores engine's low cover). */
export const RESTOCK_MIN_DAYS_OF_COVER = COVER_LOW_DAYS;
/** The suggested stock covers this many days at the 30-day sales rate. */
export const RESTOCK_TARGET_DAYS = 30;
/** Suggested stock for a sold-out listing with sales history but no sale in the last 30 days. */
export const RESTOCK_FALLBACK_UNITS = 5;
/** Mercado Livre's largest available_quantity. */
export const MAX_STOCK = 99_999;
/** A listing with no sale for this many days… */
export const DEAD_LISTING_DAYS = 30;
/** …while at least this many people looked at it in 30 days is a dead listing: pause it. */
export const DEAD_LISTING_MIN_VISITS = 30;

/**
 * The marketplace's own quality rules (Mercado Livre /item/{id}/performance, as the sandbox reports
 * them) and the action that completes each. A PENDING rule recommends its action even when our own
 * thresholds would not.
 */
export const QUALITY_RULE_ACTIONS: Readonly<Record<string, ActionTypeName>> = {
  PICTURES_QUANTITY: "ADD_PHOTOS",
  UNIVERSAL_IDENTIFIER: "COMPLETE_ATTRIBUTES",
  TITLE_QUALITY: "REWRITE_TITLE",
  FREE_SHIPPING: "ENABLE_FREE_SHIPPING",
  STOCK_AVAILABLE: "RESTOCK_ALERT",
  COMPETITIVE_PRICE: "ADJUST_PRICE",
};

// ─── Inputs ─────────────────────────────────────────────────────────────────────────────────────

/** Everything the engine reads about one listing: its score inputs plus what the rules need. */
export type EngineListing = ScoreInput & {
  id: string;
  categoryId: string | null;
  categoryName?: string | null;
  hasVariations: boolean;
  catalogListing: boolean;
  /** Lifetime units sold (Mercado Livre locks the title once it is above 0). */
  soldQuantity: number;
  /** Day of the last recorded sale (metric snapshots); null when none is recorded. */
  lastSaleAt: Date | null;
  /**
   * First UTC day whose daily sales are known (listings.sales_since: the first sync, or the start
   * of an orders backfill). Before it a day without a recorded sale is unknown, not a day without
   * sales. Null = unknown.
   */
  salesSince: Date | null;
};

export type EngineContext = {
  weights: ScoreWeights;
  now: Date;
  /**
   * Writes title/description copy; defaults to the AI layer's local generator (pure, synchronous).
   * The generation service swaps in LLM copy for the best candidates afterwards (withCopy below).
   */
  writeCopy?: (request: ListingCopyRequest) => ListingCopy;
};

const DAY_MS = 86_400_000;

// ─── Expected gain ──────────────────────────────────────────────────────────────────────────────

/** Marks the marketplace rules an action completes as done, as the marketplace would after it. */
function completeRules(rules: QualityRule[] | null, type: ActionTypeName): QualityRule[] | null {
  if (!rules) return rules;
  return rules.map((r) => (QUALITY_RULE_ACTIONS[r.key] === type ? { ...r, status: "COMPLETED", progress: 1 } : r));
}

/** The listing's score inputs as they would be once the action is applied. */
export function applyToInput<T extends ActionTypeName>(input: ScoreInput, type: T, payload: ActionPayload<T>): ScoreInput {
  const next: ScoreInput = { ...input, qualityRules: completeRules(input.qualityRules, type) };
  switch (type) {
    case "REWRITE_TITLE":
      return { ...next, title: (payload as ActionPayload<"REWRITE_TITLE">).title };
    case "REWRITE_DESCRIPTION":
      return { ...next, description: (payload as ActionPayload<"REWRITE_DESCRIPTION">).description };
    case "COMPLETE_ATTRIBUTES": {
      // The seller fills every listed field before approving; a placeholder stands for their value.
      const filled = new Map((payload as ActionPayload<"COMPLETE_ATTRIBUTES">).attributes.map((a) => [a.id, a.value ?? "…"]));
      const attributes = input.attributes.map((a) => (filled.has(a.id) ? { ...a, value: filled.get(a.id)! } : a));
      for (const [id, value] of filled) if (!attributes.some((a) => a.id === id)) attributes.push({ id, name: id, value });
      return { ...next, attributes, gtin: filled.get("GTIN") ?? input.gtin };
    }
    case "ADD_PHOTOS":
      return {
        ...next,
        pictureCount: (payload as ActionPayload<"ADD_PHOTOS">).targetCount,
        tags: input.tags.filter((t) => t !== "poor_quality_picture"),
      };
    case "ADJUST_PRICE":
      return { ...next, priceCents: (payload as ActionPayload<"ADJUST_PRICE">).toCents };
    case "ENABLE_FREE_SHIPPING":
      return { ...next, freeShipping: true };
    case "RESTOCK_ALERT":
      return { ...next, stock: (payload as ActionPayload<"RESTOCK_ALERT">).suggestedStock };
    case "PAUSE_LISTING":
      return { ...next, status: "PAUSED" };
    default:
      return next;
  }
}

/** Score points the change is expected to add (never negative), with the same weights. */
export function expectedGainOf<T extends ActionTypeName>(
  input: ScoreInput,
  current: ScoreResult,
  type: T,
  payload: ActionPayload<T>,
  weights: ScoreWeights,
): number {
  const after = computeHealthScore(applyToInput(input, type, payload), weights);
  return Math.max(0, after.score - current.score);
}

// ─── Helpers over listing facts ─────────────────────────────────────────────────────────────────

/** Lower-case, accents stripped, single spaces: how buyers' searches match words. */
function normalise(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

function attributeValue(listing: EngineListing, id: string): string | null {
  const value = listing.attributes.find((a) => a.id === id)?.value?.trim();
  return value ? value : null;
}

export function factsOf(listing: EngineListing): ListingFacts {
  return {
    provider: listing.provider,
    title: listing.title,
    categoryId: listing.categoryId,
    categoryName: listing.categoryName ?? null,
    description: listing.description,
    attributes: listing.attributes,
    gtin: listing.gtin,
    priceCents: listing.priceCents,
    freeShipping: listing.freeShipping,
  };
}

function pendingRule(listing: EngineListing, type: ActionTypeName): boolean {
  return (listing.qualityRules ?? []).some((r) => r.status === "PENDING" && QUALITY_RULE_ACTIONS[r.key] === type);
}

/**
 * Whole days without a sale: since the last recorded sale, else since sales are known; null when
 * not even that is known.
 */
export function daysWithoutSales(listing: EngineListing, now: Date): number | null {
  const since = listing.lastSaleAt ?? listing.salesSince;
  if (!since) return null;
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

/**
 * Units sold per day. `sales30d` is already a 30-day equivalent over the days whose sales are known
 * (services/scores/recompute.ts toWindowMetrics: a listing first synced 10 days ago that sold 4
 * units reads 12), so the rate is a thirtieth of it. 0 without sales or when sales are unknown.
 */
export function dailySalesRate(listing: EngineListing): number {
  if (listing.sales30d === null || listing.sales30d <= 0) return 0;
  return listing.sales30d / 30;
}

/** Trims copy to a limit at a word boundary (generators are asked to respect it; this makes sure). */
function fitToLength(text: string, max: number, singleLine: boolean): string {
  // Descriptions keep their paragraphs; titles are one line.
  const clean = singleLine ? text.replace(/\s+/g, " ").trim() : text.replace(/[ \t]+/g, " ").trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max + 1);
  const lastSpace = Math.max(cut.lastIndexOf(" "), cut.lastIndexOf("\n"));
  return (lastSpace > max / 2 ? cut.slice(0, lastSpace) : clean.slice(0, max)).trim();
}

const COLOR_WORDS = ["Preto", "Branco", "Azul", "Vermelho", "Cinza", "Rosa", "Verde", "Prata", "Amarelo", "Roxo", "Laranja", "Bege", "Marrom", "Dourado", "Grafite"];

/**
 * A value for an empty attribute, only when the listing states it itself (the GTIN field, a
 * voltage or a colour written in the title). Anything else stays null for the seller to fill:
 * an invented brand or model would be worse than an empty field.
 */
function inferAttribute(listing: EngineListing, id: string): string | null {
  if (id === "GTIN") return listing.gtin;
  if (id === "VOLTAGE") {
    const match = /\b(bivolt|110 ?v|127 ?v|220 ?v)\b/i.exec(listing.title);
    if (!match) return null;
    return /bivolt/i.test(match[1]!) ? "Bivolt" : match[1]!.replace(/\s/g, "").toUpperCase();
  }
  if (id === "COLOR" || id === "MAIN_COLOR") {
    const words = new Set(normalise(listing.title).split(" "));
    return COLOR_WORDS.find((c) => words.has(normalise(c))) ?? null;
  }
  return null;
}

// ─── The rules ──────────────────────────────────────────────────────────────────────────────────

type Draft = { [T in ActionTypeName]: { type: T; reason: string; payload: ActionPayload<T>; source: Recommendation["source"] } }[ActionTypeName];

function titleRule(listing: EngineListing, ctx: EngineContext): Draft | null {
  const max = listing.titleMaxLength;
  const length = listing.title.trim().length;
  const normalisedTitle = normalise(listing.title);
  const missingKey = TITLE_KEY_ATTRIBUTES.some((id) => {
    const value = attributeValue(listing, id);
    return value !== null && !normalisedTitle.includes(normalise(value));
  });
  const reason =
    length > max
      ? "title_too_long"
      : length < Math.ceil(max * TITLE_MIN_SHARE)
        ? "title_too_short"
        : missingKey
          ? "title_missing_key_attributes"
          : pendingRule(listing, "REWRITE_TITLE")
            ? "title_marketplace_rule"
            : null;
  if (!reason) return null;
  return titleDraft(listing, reason, (ctx.writeCopy ?? generateLocalCopy)(copyRequestFor(listing, "REWRITE_TITLE")));
}

function titleDraft(listing: EngineListing, reason: string, copy: ListingCopy): Draft | null {
  const title = fitToLength(copy.text, listing.titleMaxLength, true);
  // A suggestion that changes nothing (or is unusable) is no recommendation.
  if (title.length < 3 || title === listing.title.trim()) return null;
  return {
    type: "REWRITE_TITLE",
    reason,
    payload: { title, previousTitle: listing.title, maxLength: listing.titleMaxLength, generator: copy.generator, notes: copy.notes },
    source: copy.generator === "ai" ? "AI" : "LOCAL_GENERATOR",
  };
}

function descriptionRule(listing: EngineListing, ctx: EngineContext): Draft | null {
  const length = listing.description?.trim().length ?? 0;
  if (length >= DESCRIPTION_MIN_LENGTH) return null;
  const reason = length === 0 ? "description_missing" : "description_too_short";
  return descriptionDraft(listing, reason, (ctx.writeCopy ?? generateLocalCopy)(copyRequestFor(listing, "REWRITE_DESCRIPTION")));
}

function descriptionDraft(listing: EngineListing, reason: string, copy: ListingCopy): Draft | null {
  const description = fitToLength(copy.text, DESCRIPTION_MAX_LENGTH, false);
  if (description.length < 20 || description === listing.description?.trim()) return null;
  return {
    type: "REWRITE_DESCRIPTION",
    reason,
    payload: { description, previousDescription: listing.description, generator: copy.generator, notes: copy.notes },
    source: copy.generator === "ai" ? "AI" : "LOCAL_GENERATOR",
  };
}

function attributesRule(listing: EngineListing): Draft | null {
  const missing = new Map<string, { id: string; name: string; value: string | null }>();
  for (const a of listing.attributes) {
    if (a.value === null || a.value.trim() === "") missing.set(a.id, { id: a.id, name: a.name, value: inferAttribute(listing, a.id) });
  }
  if (listing.gtin === null && !missing.has("GTIN")) missing.set("GTIN", { id: "GTIN", name: "GTIN", value: null });
  if (missing.size === 0) return null;
  const onlyGtin = missing.size === 1 && missing.has("GTIN");
  return {
    type: "COMPLETE_ATTRIBUTES",
    reason: onlyGtin ? "gtin_missing" : "attributes_missing",
    payload: { attributes: [...missing.values()] },
    source: "RULE",
  };
}

function photosRule(listing: EngineListing): Draft | null {
  const few = listing.pictureCount < MIN_PHOTOS;
  const poor = listing.tags.includes("poor_quality_picture");
  const rule = pendingRule(listing, "ADD_PHOTOS");
  if (!few && !poor && !rule) return null;
  const targetCount = few || rule ? Math.max(RECOMMENDED_PHOTOS, listing.pictureCount + 1) : Math.max(MIN_PHOTOS, listing.pictureCount);
  return {
    type: "ADD_PHOTOS",
    reason: few ? "few_photos" : poor ? "poor_quality_photos" : "photos_marketplace_rule",
    payload: { currentCount: listing.pictureCount, targetCount: Math.min(12, targetCount), pictureUrls: [] },
    source: "RULE",
  };
}

function priceRule(listing: EngineListing): Draft | null {
  const reference = listing.suggestedPriceCents;
  if (reference === null || reference <= 0 || listing.priceCents <= reference) return null;
  const above = listing.priceCents > reference * (1 + PRICE_ABOVE_REFERENCE_THRESHOLD);
  if (!above && !pendingRule(listing, "ADJUST_PRICE")) return null;
  const floor = Math.max(MIN_PRICE_CENTS, Math.ceil(listing.priceCents * (1 - MAX_PRICE_CUT)));
  const toCents = Math.max(reference, floor);
  if (toCents >= listing.priceCents) return null;
  return {
    type: "ADJUST_PRICE",
    reason: above ? "price_above_reference" : "price_marketplace_rule",
    payload: { fromCents: listing.priceCents, toCents, referenceCents: reference },
    source: "RULE",
  };
}

function freeShippingRule(listing: EngineListing): Draft | null {
  if (listing.freeShipping) return null;
  return { type: "ENABLE_FREE_SHIPPING", reason: "free_shipping_off", payload: {}, source: "RULE" };
}

function restockRule(listing: EngineListing): Draft | null {
  const dailyRate = dailySalesRate(listing);
  const daysOfCover = dailyRate > 0 ? Math.round((listing.stock / dailyRate) * 10) / 10 : null;
  const soldOut = listing.stock === 0 && (listing.soldQuantity > 0 || dailyRate > 0 || pendingRule(listing, "RESTOCK_ALERT"));
  const running = daysOfCover !== null && daysOfCover < RESTOCK_MIN_DAYS_OF_COVER;
  if (!soldOut && !running) return null;
  const suggestedStock = Math.min(MAX_STOCK, dailyRate > 0 ? Math.max(1, Math.ceil(dailyRate * RESTOCK_TARGET_DAYS)) : RESTOCK_FALLBACK_UNITS);
  if (suggestedStock <= listing.stock) return null;
  return {
    type: "RESTOCK_ALERT",
    reason: listing.stock === 0 ? "out_of_stock_with_sales" : "low_days_of_cover",
    payload: { currentStock: listing.stock, daysOfCover, suggestedStock },
    source: "RULE",
  };
}

function pauseRule(listing: EngineListing, now: Date): Draft | null {
  if (listing.status !== "ACTIVE" || listing.stock === 0) return null;
  const days = daysWithoutSales(listing, now);
  const visits = listing.visits30d ?? 0;
  if (days === null || days < DEAD_LISTING_DAYS || visits < DEAD_LISTING_MIN_VISITS || (listing.sales30d ?? 0) > 0) return null;
  return { type: "PAUSE_LISTING", reason: "dead_listing", payload: { daysWithoutSales: days, visits30d: visits }, source: "RULE" };
}

function finish(listing: EngineListing, score: ScoreResult, draft: Draft, weights: ScoreWeights): Recommendation {
  // Payloads leave the engine valid by construction; parse anyway so a rule bug fails loudly here.
  const payload = ZActionPayloads[draft.type].parse(draft.payload) as ActionPayload;
  return {
    type: draft.type,
    reason: draft.reason,
    payload,
    source: draft.source,
    expectedGain: expectedGainOf(listing, score, draft.type, payload as never, weights),
  };
}

/**
 * Every action worth recommending for one listing, best expected gain first. At most one per type.
 * `score` is the listing's current score computed from the same inputs and weights.
 */
export function recommendActions(listing: EngineListing, score: ScoreResult, context: EngineContext): Recommendation[] {
  const drafts = [
    titleRule(listing, context),
    descriptionRule(listing, context),
    attributesRule(listing),
    photosRule(listing),
    priceRule(listing),
    freeShippingRule(listing),
    restockRule(listing),
    pauseRule(listing, context.now),
  ].filter((d): d is Draft => d !== null);
  return drafts.map((d) => finish(listing, score, d, context.weights)).sort((a, b) => b.expectedGain - a.expectedGain);
}

/**
 * The same title/description recommendation with other copy (the LLM's, replacing the local
 * generator's); the expected gain is recomputed for the new text. Null when the copy is unusable.
 */
export function withCopy(
  listing: EngineListing,
  score: ScoreResult,
  recommendation: Recommendation,
  copy: ListingCopy,
  weights: ScoreWeights,
): Recommendation | null {
  const draft =
    recommendation.type === "REWRITE_TITLE"
      ? titleDraft(listing, recommendation.reason, copy)
      : recommendation.type === "REWRITE_DESCRIPTION"
        ? descriptionDraft(listing, recommendation.reason, copy)
        : null;
  return draft ? finish(listing, score, draft, weights) : null;
}

/** The copy request a title/description recommendation was generated from (for the LLM upgrade). */
export function copyRequestFor(listing: EngineListing, type: "REWRITE_TITLE" | "REWRITE_DESCRIPTION"): ListingCopyRequest {
  return type === "REWRITE_TITLE"
    ? { kind: "title", facts: factsOf(listing), maxLength: listing.titleMaxLength, locale: "pt-BR" }
    : { kind: "description", facts: factsOf(listing), maxLength: DESCRIPTION_MAX_LENGTH, locale: "pt-BR" };
}
