import * as listings from "~/server/services/listings/listings";
import { RestListing, RestListingDetail, RestListingMetrics } from "../../openapi/contracts";
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
    .meta({
      permission: "listings:read",
      openapi: {
        method: "GET",
        path: "/listings",
        summary: "List listings",
        description: "The organization's marketplace listings, newest first by default, filtered and sorted; paginated by cursor.",
        tags: ["Listings"],
        output: RestListing,
        paginated: true,
      },
    })
    .input(ZListingListInput)
    .output(ZListingList)
    .query(({ ctx, input }) => listings.listOrganizationListings(ctx.tenantCtx, input)),
  get: tenantProcedure
    .meta({
      permission: "listings:read",
      openapi: { method: "GET", path: "/listings/{id}", summary: "Get a listing", description: "One listing with its account and details.", tags: ["Listings"], output: RestListingDetail },
    })
    .input(ZListingIdInput)
    .output(ZListingDetail)
    .query(({ ctx, input }) => listings.getListing(ctx.tenantCtx, input)),
  metrics: tenantProcedure
    .meta({
      permission: "listings:read",
      openapi: {
        method: "GET",
        path: "/listings/{id}/metrics",
        summary: "Listing metrics",
        description: "The listing's daily visits, sales, price and stock over the last `days` days (default 30).",
        tags: ["Listings"],
        output: RestListingMetrics,
      },
    })
    .input(ZListingMetricsInput)
    .output(ZListingMetrics)
    .query(({ ctx, input }) => listings.listingMetrics(ctx.tenantCtx, input)),
  categories: tenantProcedure
    .meta({ permission: "listings:read" })
    .output(ZListingCategories)
    .query(({ ctx }) => listings.listingCategories(ctx.tenantCtx)),
});
