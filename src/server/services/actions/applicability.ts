/**
 * Applicability: rules out, before a seller ever sees it, a recommendation the marketplace would
 * refuse. Pure. Each refusal names a rule (documented in docs/actions.md) so tests, logs and the
 * generation counts can tell them apart. The rules mirror the providers' documented behaviour
 * (/work/shared/FACTS.md) and what our connectors refuse (connectors/marketplace/<provider>).
 */
import type { ActionTypeName, Recommendation } from "./payloads";
import { MIN_PRICE_CENTS } from "./engine";

export type ApplicabilityListing = {
  provider: "MERCADOLIVRE" | "SHOPEE";
  status: "ACTIVE" | "PAUSED" | "CLOSED" | "UNDER_REVIEW" | "INACTIVE";
  soldQuantity: number;
  hasVariations: boolean;
  catalogListing: boolean;
};

export type ApplicabilityRule =
  | "listing_closed"
  | "listing_under_review"
  | "listing_not_active"
  | "title_locked_after_sales"
  | "catalog_family_level"
  | "variations_full_set_required"
  | "price_below_minimum"
  | "shopee_no_free_shipping_per_item"
  | "shopee_pictures_by_url_unsupported";

export type Applicability = { ok: true } | { ok: false; rule: ApplicabilityRule };

/** What catalog listings share with their family: edited on the catalog product, not the item. */
const FAMILY_LEVEL: ReadonlySet<ActionTypeName> = new Set(["REWRITE_TITLE", "REWRITE_DESCRIPTION", "COMPLETE_ATTRIBUTES", "ADD_PHOTOS"]);

export function checkApplicability(listing: ApplicabilityListing, recommendation: Pick<Recommendation, "type" | "payload">): Applicability {
  const { type } = recommendation;

  // Closed and under-review items take no change at all (ML: item.status.not_modifiable).
  if (listing.status === "CLOSED") return { ok: false, rule: "listing_closed" };
  if (listing.status === "UNDER_REVIEW") return { ok: false, rule: "listing_under_review" };
  // Only active items can be modified; a paused (or unlisted) one only takes stock, which is
  // also how a listing paused for lack of stock comes back.
  if (listing.status !== "ACTIVE" && type !== "RESTOCK_ALERT") return { ok: false, rule: "listing_not_active" };

  if (listing.catalogListing && FAMILY_LEVEL.has(type)) return { ok: false, rule: "catalog_family_level" };

  // Mercado Livre locks the title once the item has sold (item.title.not_modifiable). Shopee does not.
  if (type === "REWRITE_TITLE" && listing.provider === "MERCADOLIVRE" && listing.soldQuantity > 0) {
    return { ok: false, rule: "title_locked_after_sales" };
  }

  // Variations are sent as a full set. We store no variations, so we cannot send one:
  // - Mercado Livre: price and stock live on each variation → no price or stock change.
  // - Shopee: the connector reads the item's models and sends the price to every model (a full
  //   set), but stock is per model and one number cannot be split → no stock change.
  if (listing.hasVariations) {
    if (type === "RESTOCK_ALERT") return { ok: false, rule: "variations_full_set_required" };
    if (type === "ADJUST_PRICE" && listing.provider === "MERCADOLIVRE") return { ok: false, rule: "variations_full_set_required" };
  }

  if (type === "ADJUST_PRICE") {
    const toCents = (recommendation.payload as { toCents?: number }).toCents ?? 0;
    if (toCents < MIN_PRICE_CENTS) return { ok: false, rule: "price_below_minimum" };
  }

  if (listing.provider === "SHOPEE") {
    // Shopee's shipping is configured per logistics channel for the shop, not per item.
    if (type === "ENABLE_FREE_SHIPPING") return { ok: false, rule: "shopee_no_free_shipping_per_item" };
    // Shopee takes image ids from its media upload API, never URLs (the connector refuses them).
    if (type === "ADD_PHOTOS") return { ok: false, rule: "shopee_pictures_by_url_unsupported" };
  }

  return { ok: true };
}
