import { z } from "zod";

import { DEFAULT_SCORE_WEIGHTS, SCORE_COMPONENT_KEYS, type ScoreComponentKey, type ScoreWeights } from "./types";

const ZWeight = z.number().int().min(0).max(100);

/** An organization's weights: every component, integers 0–100, at least one above zero. */
export const ZScoreWeights = z
  .object(Object.fromEntries(SCORE_COMPONENT_KEYS.map((key) => [key, ZWeight])) as Record<ScoreComponentKey, typeof ZWeight>)
  .refine((w) => SCORE_COMPONENT_KEYS.some((key) => w[key] > 0), { message: "At least one weight must be above zero" });

/**
 * The weights stored in organizations.settings.scoreWeights, or the defaults when none are stored
 * or what is stored no longer validates (a component added later must not break scoring).
 */
export function weightsFromSettings(settings: unknown): ScoreWeights {
  const stored = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).scoreWeights : undefined;
  const parsed = ZScoreWeights.safeParse(stored);
  return parsed.success ? parsed.data : { ...DEFAULT_SCORE_WEIGHTS };
}
