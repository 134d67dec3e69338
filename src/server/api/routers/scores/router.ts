import * as scores from "~/server/services/scores/scores";
import { RestListingScore, RestScoreSummary } from "../../openapi/contracts";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZListingScore,
  ZListingScoreInput,
  ZRecomputeInput,
  ZRecomputeResult,
  ZScoreSummary,
  ZSetWeightsInput,
  ZSetWeightsResult,
  ZWeightsResult,
} from "./schemas";

export const scoresRouter = createTRPCRouter({
  summary: tenantProcedure
    .meta({
      permission: "scores:read",
      openapi: {
        method: "GET",
        path: "/scores/summary",
        summary: "Health score summary",
        description: "How many listings are poor, fair, good or unscored, the average score, the worst listings and the biggest movers.",
        tags: ["Scores"],
        output: RestScoreSummary,
      },
    })
    .output(ZScoreSummary)
    .query(({ ctx }) => scores.scoreSummary(ctx.tenantCtx)),
  listing: tenantProcedure
    .meta({
      permission: "scores:read",
      openapi: {
        method: "GET",
        path: "/listings/{listingId}/score",
        summary: "Listing health score",
        description: "The listing's current health score with its components and explanations, and its history (`current` is null until it is scored).",
        tags: ["Scores"],
        output: RestListingScore,
      },
    })
    .input(ZListingScoreInput)
    .output(ZListingScore)
    .query(({ ctx, input }) => scores.listingScore(ctx.tenantCtx, input.listingId)),
  recompute: tenantProcedure
    .meta({ permission: "scores:recompute" })
    .input(ZRecomputeInput)
    .output(ZRecomputeResult)
    .mutation(({ ctx, input }) => scores.requestRecompute(ctx.tenantCtx, { listingId: input?.listingId })),
  weights: tenantProcedure
    .meta({ permission: "scores:read" })
    .output(ZWeightsResult)
    .query(({ ctx }) => scores.getScoreWeights(ctx.tenantCtx)),
  setWeights: tenantProcedure
    .meta({ permission: "scores:configure" })
    .input(ZSetWeightsInput)
    .output(ZSetWeightsResult)
    .mutation(({ ctx, input }) => scores.setScoreWeights(ctx.tenantCtx, input.weights)),
});
