import * as scores from "~/server/services/scores/scores";
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
    .meta({ permission: "scores:read" })
    .output(ZScoreSummary)
    .query(({ ctx }) => scores.scoreSummary(ctx.tenantCtx)),
  listing: tenantProcedure
    .meta({ permission: "scores:read" })
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
