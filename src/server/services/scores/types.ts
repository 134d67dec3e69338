/**
 * The Health Score contract shared by the scoring engine (engine.ts), the scoring service, the
 * action engine (services/actions) and the UI. Pure types and constants: no database, no I/O.
 *
 * A listing's score is the weighted mean of its components' values (0–100). A component whose
 * inputs are missing has `value: null`: it is left out of the mean (the other weights are
 * renormalised) and lowers `confidence` instead of the score. A penalty (under review, infraction,
 * deboost) caps the score at PENALTY_CAP.
 */
import type { QualityRule } from "~/server/connectors/marketplace/types";

export const SCORE_COMPONENT_KEYS = [
  "marketplaceQuality",
  "contentCompleteness",
  "images",
  "offerCompetitiveness",
  "conversion",
  "stockHealth",
  "purchaseExperience",
] as const;
export type ScoreComponentKey = (typeof SCORE_COMPONENT_KEYS)[number];

/** Relative weights (any non-negative integers; they are normalised). Organization-adjustable. */
export type ScoreWeights = Record<ScoreComponentKey, number>;

/** Defaults, documented in docs/health-score.md. They sum to 100 so each reads as a percentage. */
export const DEFAULT_SCORE_WEIGHTS: ScoreWeights = {
  marketplaceQuality: 20,
  contentCompleteness: 15,
  images: 15,
  offerCompetitiveness: 15,
  conversion: 15,
  stockHealth: 10,
  purchaseExperience: 10,
};

export const PENALTY_CAP = 40;

/** Bands used everywhere (filters, summary, colours): poor < 40 ≤ fair < 70 ≤ good. */
export const SCORE_BANDS = { poorBelow: 40, goodFrom: 70 } as const;

/**
 * A translatable one-liner: the UI renders `messages.<locale>.scoreExplanations.<component>.<code>`
 * with `params` (ICU placeholders). Stored as data so a stored score reads in either language.
 */
export type Explanation = { code: string; params?: Record<string, string | number> };

export type ScoreComponent = {
  key: ScoreComponentKey;
  /** Normalised weight actually used, 0–1 (0 when the component is missing). */
  weight: number;
  /** 0–100, or null when its inputs are missing. */
  value: number | null;
  explanation: Explanation;
  /** Names of the inputs this component lacked (subset of ScoreResult.missingInputs). */
  missing: string[];
};

export type PenaltyKind = "under_review" | "infraction" | "deboost";

export type ScoreResult = {
  score: number; // 0–100 integer
  components: ScoreComponent[]; // one per SCORE_COMPONENT_KEYS, in that order
  /** Inputs that were not available, e.g. "qualityScore", "priceReference", "metrics", "claims". */
  missingInputs: string[];
  /** Share of the configured weight whose inputs were present, 0–1. */
  confidence: number;
  /** Set when the score was capped at PENALTY_CAP. */
  penalty: PenaltyKind | null;
};

/** Everything the engine needs about one listing; gathered by the scoring service in bulk. */
export type ScoreInput = {
  provider: "MERCADOLIVRE" | "SHOPEE";
  status: "ACTIVE" | "PAUSED" | "CLOSED" | "UNDER_REVIEW" | "INACTIVE";
  title: string;
  /** The category's title limit (see titleMaxLength in engine.ts). */
  titleMaxLength: number;
  description: string | null;
  attributes: { id: string; name: string; value: string | null }[];
  gtin: string | null;
  pictureCount: number;
  /** Provider flags normalised by the connector: poor_quality_picture, moderation_penalty, deboost… */
  tags: string[];
  priceCents: number;
  /** The marketplace's price reference; null when not available. */
  suggestedPriceCents: number | null;
  freeShipping: boolean;
  listingType: string | null;
  /** Marketplace's own quality score and rules; null while not computed by the provider. */
  qualityScore: number | null;
  qualityRules: QualityRule[] | null;
  stock: number;
  /** Sums over the last 30 days of metric snapshots; null when the listing has no snapshots yet. */
  visits30d: number | null;
  sales30d: number | null;
  /** Median conversion (sales/visits over 30 days) of the seller's listings with visits; null if none. */
  sellerMedianConversion: number | null;
  /** Claims and cancellations as a share of orders, where the provider reports them; else null. */
  claimsRate: number | null;
  cancellationRate: number | null;
};
