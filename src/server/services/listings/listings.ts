import { notFound } from "~/server/lib/errors";
import {
  findListing,
  listCategories,
  listingExists,
  listListings,
  listMetricSnapshots,
  type ListingFilter,
  type ListingSort,
} from "~/server/repositories/listings";
import type { TenantCtx } from "../context";

export type ListListingsInput = ListingFilter & { limit: number; cursor?: string; sort?: ListingSort };

export async function listOrganizationListings(ctx: TenantCtx, input: ListListingsInput) {
  // A cursor that is not one of this organization's listings starts nowhere rather than leaking order.
  if (input.cursor && !(await listingExists(ctx.db, ctx.tenant.organizationId, input.cursor))) {
    return { items: [], nextCursor: null };
  }
  return listListings(ctx.db, ctx.tenant.organizationId, input);
}

export async function getListing(ctx: TenantCtx, input: { id: string }) {
  const listing = await findListing(ctx.db, ctx.tenant.organizationId, input.id);
  if (!listing) throw notFound("Listing");
  const { connection, ...rest } = listing;
  return { ...rest, accountName: connection.accountName ?? connection.externalAccountId };
}

/** Daily metrics of one listing for the last `days` days (UTC dates as YYYY-MM-DD). */
export async function listingMetrics(ctx: TenantCtx, input: { id: string; days: number }) {
  const listing = await findListing(ctx.db, ctx.tenant.organizationId, input.id);
  if (!listing) throw notFound("Listing");
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (input.days - 1) * 86_400_000);
  const rows = await listMetricSnapshots(ctx.db, ctx.tenant.organizationId, input.id, from);
  return {
    listingId: input.id,
    currency: listing.currency,
    points: rows.map((r) => ({ date: r.date.toISOString().slice(0, 10), visits: r.visits, sales: r.sales, priceCents: r.priceCents, stock: r.stock })),
  };
}

export function listingCategories(ctx: TenantCtx) {
  return listCategories(ctx.db, ctx.tenant.organizationId);
}
