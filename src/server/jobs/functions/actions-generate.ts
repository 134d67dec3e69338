import { db } from "~/server/db";
import { generateRecommendations, upgradeCopyWithAi } from "~/server/services/actions/generate";
import { inngest } from "../client";
import { scoresRecomputed } from "../events";

/**
 * After every score recompute: recommended actions for the same listings (absent = the whole
 * organization). The rules live in the service; this only schedules it.
 */
export const generateRecommendationsFn = inngest.createFunction(
  {
    id: "generate-recommendations",
    name: "Generate recommended actions",
    triggers: [scoresRecomputed],
    // One run per organization at a time: runs would only race for the same open keys (the
    // unique index keeps that safe, but the second run's work would be wasted).
    concurrency: { limit: 1, key: "event.data.organizationId" },
    retries: 4,
  },
  async ({ event, step }) => {
    const { organizationId, userId, correlationId, listingIds } = event.data;
    const { aiCandidates = [], ...counts } = await step.run("generate", () =>
      generateRecommendations(db, organizationId, { listingIds, userId, correlationId, deferAi: true }),
    );
    // Its own step: LLM calls take seconds each, and a retry here must not redo the generation.
    const aiSuggestions = aiCandidates.length === 0 ? 0 : await step.run("ai-copy", () => upgradeCopyWithAi(db, organizationId, { openKeys: aiCandidates, userId }));
    return { ...counts, aiSuggestions };
  },
);

export const actionGenerationFunctions = [generateRecommendationsFn];
