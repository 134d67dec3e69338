import { z } from "zod";

import { findSimilar, requestReindex } from "~/server/services/search/similar";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZSimilarInput, ZSimilarResult } from "./schemas";

// Semantic search (issue 11). Listings and content are both readable by every role; the service
// still checks each requested type against its own permission (listings:read / content:read).
export const searchRouter = createTRPCRouter({
  similar: tenantProcedure
    .meta({ permission: "listings:read" })
    .input(ZSimilarInput)
    .output(ZSimilarResult)
    .query(({ ctx, input }) => findSimilar(ctx.tenantCtx, input)),
  // Re-indexing is background work anyone who may act on listings may ask for (like a score recompute).
  reindex: tenantProcedure
    .meta({ permission: "scores:recompute" })
    .output(z.object({ requested: z.literal(true) }))
    .mutation(({ ctx }) => requestReindex(ctx.tenantCtx)),
});
