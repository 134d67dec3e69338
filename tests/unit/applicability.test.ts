import { describe, expect, it } from "vitest";

import { checkApplicability, type ApplicabilityListing } from "~/server/services/actions/applicability";
import type { ActionPayload, ActionTypeName } from "~/server/services/actions/payloads";

const listing = (overrides: Partial<ApplicabilityListing> = {}): ApplicabilityListing => ({
  provider: "MERCADOLIVRE",
  status: "ACTIVE",
  soldQuantity: 0,
  hasVariations: false,
  catalogListing: false,
  ...overrides,
});

const PAYLOADS: { [T in ActionTypeName]: ActionPayload<T> } = {
  REWRITE_TITLE: { title: "Fone de Ouvido JBL Tune 510BT", previousTitle: "Fone JBL", maxLength: 60, generator: "local", notes: [] },
  REWRITE_DESCRIPTION: { description: "Fone de ouvido JBL Tune 510BT, bateria de 40 horas.", previousDescription: null, generator: "local", notes: [] },
  COMPLETE_ATTRIBUTES: { attributes: [{ id: "GTIN", name: "GTIN", value: null }] },
  ADD_PHOTOS: { currentCount: 1, targetCount: 5, pictureUrls: [] },
  ADJUST_PRICE: { fromCents: 12_000, toCents: 10_000, referenceCents: 10_000 },
  ENABLE_FREE_SHIPPING: {},
  RESTOCK_ALERT: { currentStock: 0, daysOfCover: null, suggestedStock: 30 },
  PAUSE_LISTING: { daysWithoutSales: 40, visits30d: 100 },
};
const TYPES = Object.keys(PAYLOADS) as ActionTypeName[];

const check = (l: ApplicabilityListing, type: ActionTypeName, payload: unknown = PAYLOADS[type]) =>
  checkApplicability(l, { type, payload: payload as ActionPayload });

describe("checkApplicability", () => {
  it("an active Mercado Livre item without sales, variations or catalog takes every action", () => {
    for (const type of TYPES) expect(check(listing(), type), type).toEqual({ ok: true });
  });

  it("closed and under-review items take nothing, not even stock", () => {
    for (const type of TYPES) {
      expect(check(listing({ status: "CLOSED" }), type)).toEqual({ ok: false, rule: "listing_closed" });
      expect(check(listing({ status: "UNDER_REVIEW" }), type)).toEqual({ ok: false, rule: "listing_under_review" });
    }
  });

  it("paused or inactive items only take a restock (which also reactivates one paused for lack of stock)", () => {
    for (const status of ["PAUSED", "INACTIVE"] as const) {
      for (const type of TYPES) {
        expect(check(listing({ status }), type)).toEqual(type === "RESTOCK_ALERT" ? { ok: true } : { ok: false, rule: "listing_not_active" });
      }
    }
  });

  it("Mercado Livre locks the title of an item with sales (item.title.not_modifiable); Shopee does not", () => {
    expect(check(listing({ soldQuantity: 1 }), "REWRITE_TITLE")).toEqual({ ok: false, rule: "title_locked_after_sales" });
    expect(check(listing({ soldQuantity: 1 }), "REWRITE_DESCRIPTION")).toEqual({ ok: true });
    expect(check(listing({ provider: "SHOPEE", soldQuantity: 50 }), "REWRITE_TITLE")).toEqual({ ok: true });
  });

  it("catalog listings are edited at family level: no title, description, attributes or photos", () => {
    const catalog = listing({ catalogListing: true });
    for (const type of ["REWRITE_TITLE", "REWRITE_DESCRIPTION", "COMPLETE_ATTRIBUTES", "ADD_PHOTOS"] as const) {
      expect(check(catalog, type)).toEqual({ ok: false, rule: "catalog_family_level" });
    }
    for (const type of ["ADJUST_PRICE", "ENABLE_FREE_SHIPPING", "RESTOCK_ALERT", "PAUSE_LISTING"] as const) {
      expect(check(catalog, type)).toEqual({ ok: true });
    }
  });

  it("variations go as a full set we do not hold: no stock change, and no price change on Mercado Livre", () => {
    const ml = listing({ hasVariations: true });
    expect(check(ml, "ADJUST_PRICE")).toEqual({ ok: false, rule: "variations_full_set_required" });
    expect(check(ml, "RESTOCK_ALERT")).toEqual({ ok: false, rule: "variations_full_set_required" });
    expect(check(ml, "ENABLE_FREE_SHIPPING")).toEqual({ ok: true });
    const shopee = listing({ provider: "SHOPEE", hasVariations: true });
    expect(check(shopee, "RESTOCK_ALERT")).toEqual({ ok: false, rule: "variations_full_set_required" });
    // The Shopee connector reads the item's models and prices every one of them: a full set.
    expect(check(shopee, "ADJUST_PRICE")).toEqual({ ok: true });
  });

  it("no price below Mercado Livre's minimum of R$ 5,00", () => {
    expect(check(listing(), "ADJUST_PRICE", { fromCents: 800, toCents: 499, referenceCents: 499 })).toEqual({ ok: false, rule: "price_below_minimum" });
    expect(check(listing(), "ADJUST_PRICE", { fromCents: 800, toCents: 500, referenceCents: 450 })).toEqual({ ok: true });
  });

  it("Shopee: no free shipping per item and no pictures by URL", () => {
    const shopee = listing({ provider: "SHOPEE" });
    expect(check(shopee, "ENABLE_FREE_SHIPPING")).toEqual({ ok: false, rule: "shopee_no_free_shipping_per_item" });
    expect(check(shopee, "ADD_PHOTOS")).toEqual({ ok: false, rule: "shopee_pictures_by_url_unsupported" });
    for (const type of ["REWRITE_TITLE", "REWRITE_DESCRIPTION", "COMPLETE_ATTRIBUTES", "ADJUST_PRICE", "RESTOCK_ALERT", "PAUSE_LISTING"] as const) {
      expect(check(shopee, type)).toEqual({ ok: true });
    }
  });
});
