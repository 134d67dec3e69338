import { z } from "zod";

import { ZId, ZPage, ZPageInput, ZProvider } from "../../schemas";

export const ZListingStatus = z.enum(["ACTIVE", "PAUSED", "CLOSED", "UNDER_REVIEW", "INACTIVE"]);
export const ZHealthBand = z.enum(["poor", "fair", "good", "unscored"]);
export const ZListingSort = z.enum(["recent", "title", "price_asc", "price_desc", "stock_asc", "sold_desc", "health_asc", "health_desc"]);

export const ZListingListInput = ZPageInput.extend({
  provider: ZProvider.optional(),
  status: ZListingStatus.optional(),
  categoryId: z.string().trim().min(1).max(64).optional(),
  health: ZHealthBand.optional(),
  search: z.string().trim().max(120).optional(),
  sort: ZListingSort.optional(),
});
export type TListingListInput = z.infer<typeof ZListingListInput>;

export const ZListingRow = z.object({
  id: ZId,
  provider: ZProvider,
  externalId: z.string(),
  title: z.string(),
  categoryId: z.string().nullable(),
  status: ZListingStatus,
  priceCents: z.number().int(),
  currency: z.string(),
  stock: z.number().int(),
  soldQuantity: z.number().int(),
  healthScore: z.number().int().nullable(),
  thumbnailUrl: z.string().nullable(),
  syncedAt: z.date().nullable(),
});

export const ZListingList = ZPage(ZListingRow);

export const ZListingDetail = ZListingRow.extend({
  connectionId: ZId,
  listingType: z.string().nullable(),
  freeShipping: z.boolean(),
  pictureCount: z.number().int(),
  gtin: z.string().nullable(),
  permalink: z.string().nullable(),
  createdAt: z.date(),
  accountName: z.string(),
});

export const ZListingIdInput = z.object({ id: ZId });
export const ZListingMetricsInput = z.object({ id: ZId, days: z.number().int().min(1).max(365).default(30) });

export const ZListingMetrics = z.object({
  listingId: ZId,
  currency: z.string(),
  points: z.array(
    z.object({ date: z.string(), visits: z.number().int(), sales: z.number().int(), priceCents: z.number().int(), stock: z.number().int() }),
  ),
});

export const ZListingCategories = z.array(z.object({ categoryId: z.string(), count: z.number().int() }));
