import * as listings from "~/server/services/listings/listings";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZListingCategories,
  ZListingDetail,
  ZListingIdInput,
  ZListingList,
  ZListingListInput,
  ZListingMetrics,
  ZListingMetricsInput,
} from "./schemas";

export const listingsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "listings:read" })
    .input(ZListingListInput)
    .output(ZListingList)
    .query(({ ctx, input }) => listings.listOrganizationListings(ctx.tenantCtx, input)),
  get: tenantProcedure
    .meta({ permission: "listings:read" })
    .input(ZListingIdInput)
    .output(ZListingDetail)
    .query(({ ctx, input }) => listings.getListing(ctx.tenantCtx, input)),
  metrics: tenantProcedure
    .meta({ permission: "listings:read" })
    .input(ZListingMetricsInput)
    .output(ZListingMetrics)
    .query(({ ctx, input }) => listings.listingMetrics(ctx.tenantCtx, input)),
  categories: tenantProcedure
    .meta({ permission: "listings:read" })
    .output(ZListingCategories)
    .query(({ ctx }) => listings.listingCategories(ctx.tenantCtx)),
});
