import type { Prisma } from "~/generated/prisma/client";
import type { MarketplaceItem } from "~/server/connectors/marketplace/types";
import type { IngestedItem } from "~/server/repositories/listings";

/** A connector's item as the columns of our listing row. Pure: also used by the demo seed. */
export function toIngested(item: MarketplaceItem): IngestedItem {
  return {
    externalId: item.externalId,
    title: item.title,
    categoryId: item.categoryId,
    status: item.status,
    priceCents: item.priceCents,
    currency: item.currency,
    stock: item.stock,
    soldQuantity: item.soldQuantity,
    listingType: item.listingType,
    freeShipping: item.freeShipping,
    pictureCount: item.pictureCount,
    gtin: item.gtin,
    permalink: item.permalink,
    thumbnailUrl: item.thumbnailUrl,
    attributes: item.attributes as unknown as Prisma.InputJsonValue,
    description: item.description,
    hasVariations: item.hasVariations,
    catalogListing: item.catalogListing,
    // Connectors that do not report flags yet leave tags out: no flag known is no flag.
    tags: item.tags ?? [],
  };
}

export function utcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
