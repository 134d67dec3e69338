import { z } from "zod";

import { scoreSummary } from "~/server/services/scores/scores";
import { createTRPCRouter, tenantProcedure } from "../../trpc";

const count = z.number().int().nonnegative();

export const scoresRouter = createTRPCRouter({
  summary: tenantProcedure
    .meta({ permission: "scores:read" })
    .output(z.object({ bands: z.object({ poor: count, fair: count, good: count, unscored: count }), total: count }))
    .query(({ ctx }) => scoreSummary(ctx.tenantCtx)),
});
