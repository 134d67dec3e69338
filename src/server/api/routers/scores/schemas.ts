import { z } from "zod";

import { SCORE_COMPONENT_KEYS } from "~/server/services/scores/types";
import { ZScoreWeights } from "~/server/services/scores/weights";
import { ZId, ZProvider } from "../../schemas";

const count = z.number().int().nonnegative();
const score = z.number().int().min(0).max(100);

export const ZScoreBands = z.object({ poor: count, fair: count, good: count, unscored: count });

const ZMover = z.object({ id: ZId, title: z.string(), provider: z.string(), score, previous: score, delta: z.number().int() });

export const ZScoreSummary = z.object({
  bands: ZScoreBands,
  total: count,
  average: z.number().nullable(),
  averageConfidence: z.number().min(0).max(1).nullable(),
  /** When the latest score was written (the UI watches it to end a "recalculating" state). */
  lastScoredAt: z.date().nullable(),
  worst: z.array(z.object({ id: ZId, title: z.string(), provider: ZProvider, score, thumbnailUrl: z.string().nullable() })),
  movers: z.object({ up: z.array(ZMover), down: z.array(ZMover) }),
});

export const ZExplanation = z.object({ code: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])).optional() });

export const ZScoreComponent = z.object({
  key: z.enum(SCORE_COMPONENT_KEYS),
  weight: z.number(),
  value: z.number().nullable(),
  explanation: ZExplanation,
  missing: z.array(z.string()),
});

export const ZListingScoreInput = z.object({ listingId: ZId });

export const ZListingScore = z.object({
  listingId: ZId,
  current: z
    .object({
      score,
      components: z.array(ZScoreComponent),
      missingInputs: z.array(z.string()),
      confidence: z.number().min(0).max(1),
      penalty: z.enum(["under_review", "infraction", "deboost"]).nullable(),
      computedAt: z.date(),
    })
    .nullable(),
  history: z.array(z.object({ score, computedAt: z.date() })),
});

export const ZRecomputeInput = z.object({ listingId: ZId.optional() }).optional();
export const ZRecomputeResult = z.object({ queued: z.literal(true) });

export const ZWeightsResult = z.object({ weights: ZScoreWeights, defaults: ZScoreWeights });
export const ZSetWeightsInput = z.object({ weights: ZScoreWeights });
export const ZSetWeightsResult = z.object({ weights: ZScoreWeights });
