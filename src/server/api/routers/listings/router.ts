import { z } from "zod";

import { listOrganizationListings } from "~/server/services/listings/listings";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZId, ZPage, ZPageInput, ZProvider } from "../../schemas";

const ZListingRow = z.object({
  id: ZId,
  provider: ZProvider,
  externalId: z.string(),
  title: z.string(),
  status: z.enum(["ACTIVE", "PAUSED", "CLOSED", "UNDER_REVIEW", "INACTIVE"]),
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
  healthScore: z.number().int().nullable(),
  thumbnailUrl: z.string().nullable(),
});

export const listingsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "listings:read" })
    .input(ZPageInput.extend({ provider: ZProvider.optional(), search: z.string().trim().max(120).optional() }))
    .output(ZPage(ZListingRow))
    .query(({ ctx, input }) => listOrganizationListings(ctx.tenantCtx, input)),
});
