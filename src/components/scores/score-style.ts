import { SCORE_BANDS } from "~/server/services/scores/types";

export type Band = "poor" | "fair" | "good";

export function bandOf(score: number): Band {
  return score < SCORE_BANDS.poorBelow ? "poor" : score < SCORE_BANDS.goodFrom ? "fair" : "good";
}

/** The same colours as the band distribution (score-bands.tsx). */
export const BAND_BAR: Record<Band, string> = { good: "bg-brand-500", fair: "bg-amber-400", poor: "bg-red-500" };
export const BAND_TEXT: Record<Band, string> = { good: "text-brand-800", fair: "text-amber-800", poor: "text-red-700" };
export const BAND_BADGE: Record<Band, string> = {
  good: "border-brand-200 bg-brand-50 text-brand-800",
  fair: "border-amber-200 bg-amber-50 text-amber-900",
  poor: "border-red-200 bg-red-50 text-red-800",
};
