/**
 * Daily sales from Shopee's orders: the client against the Shopee sandbox over real HTTP (no
 * database). The sandbox serves the catalog's daily sales as orders (plus cancelled ones that must
 * not count); the client lists them in 15-day create_time windows with cursor pages, reads their
 * items 50 orders a call and aggregates units per item and UTC day.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createShopeeConnector } from "~/server/connectors/marketplace/shopee/client";
import { shopSign } from "~/server/connectors/marketplace/shopee/signing";
import type { MarketplaceConnector, MarketplaceCredentials } from "~/server/connectors/marketplace/types";
import { createShopeeSandbox, type ShopeeSandbox } from "~/server/connectors/sandbox/shopee";

import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const SHOP = 880_000_001;
const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-11-20T12:00:00Z");

let sandbox: ShopeeSandbox;
let server: ServedFetch;
let apiUrl: string;
let shopee: MarketplaceConnector;
let creds: MarketplaceCredentials;
const calls: URL[] = [];

function expectedSales(shopId: number, first: number, last: number) {
  const out = new Map<string, number>();
  for (let d = first; d <= last; d += DAY_MS) {
    const day = new Date(d).toISOString().slice(0, 10);
    for (let index = 0; index < sandbox.catalog.size; index++) {
      const { sales } = sandbox.catalog.daily(String(shopId), index, day);
      if (sales > 0) out.set(`${sandbox.itemId(shopId, index)} ${day}`, sales);
    }
  }
  return out;
}

beforeAll(async () => {
  sandbox = createShopeeSandbox({ seed: "shopee-orders", catalogSize: 40, rateLimitPerSecond: 0, pushUrl: null, clock: () => NOW });
  server = await serveFetch((request) => sandbox.handler(request));
  apiUrl = `${server.url}/api/sandbox/shopee`;
  shopee = createShopeeConnector({
    apiUrl,
    partnerId: sandbox.partnerId,
    partnerKey: sandbox.partnerKey,
    isSandbox: true,
    timeoutMs: 10_000,
    now: () => NOW,
    fetch: (input, init) => {
      calls.push(new URL(input instanceof Request ? input.url : String(input)));
      return fetch(input, init);
    },
  });
  const html = await (await fetch(shopee.authorizationUrl({ state: "st", redirectUri: "http://127.0.0.1:9/callback/shopee" }))).text();
  const link = new RegExp(`data-shop-id="${SHOP}" href="([^"]+)"`).exec(html)![1]!.replaceAll("&amp;", "&");
  const params = Object.fromEntries(new URL(link).searchParams) as Record<string, string>;
  const tokens = await shopee.exchangeCode({ code: params.code!, redirectUri: "http://127.0.0.1:9/callback/shopee", callbackParams: params });
  creds = { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
});

afterAll(async () => {
  await server?.close();
});

describe("Shopee daily sales from orders", () => {
  it("aggregates 30 days of orders per item and UTC day as the catalog sold them, without cancelled ones, within Shopee's limits", async () => {
    const first = Date.parse("2026-10-21T00:00:00Z");
    const last = Date.parse("2026-11-19T00:00:00Z");
    calls.length = 0;
    let hooks = 0;
    const sales = await shopee.getDailySales!(creds, new Date(first), new Date(last + DAY_MS - 1), { beforeRequest: async () => void hooks++ });
    const expected = expectedSales(SHOP, first, last);
    expect(expected.size).toBeGreaterThan(20);
    expect(new Map(sales.map((s) => [`${s.externalId} ${s.date}`, s.sales]))).toEqual(expected);
    expect(hooks).toBe(calls.length);

    const lists = calls.filter((u) => u.pathname.endsWith("/get_order_list"));
    const details = calls.filter((u) => u.pathname.endsWith("/get_order_detail"));
    expect(lists.length).toBeGreaterThan(2); // two windows, several pages
    for (const u of lists) {
      expect(Number(u.searchParams.get("time_to")) - Number(u.searchParams.get("time_from"))).toBeLessThanOrEqual(15 * 86_400);
      expect(Number(u.searchParams.get("page_size"))).toBeLessThanOrEqual(100);
    }
    for (const u of details) expect(u.searchParams.get("order_sn_list")!.split(",").length).toBeLessThanOrEqual(50);
  }, 60_000);

  it("the sandbox keeps cancelled orders in the list and refuses windows over 15 days", async () => {
    const path = "/api/v2/order/get_order_list";
    const signed = (params: Record<string, string>) => {
      const ts = Math.floor(NOW / 1000);
      const url = new URL(apiUrl + path);
      const all = {
        partner_id: String(sandbox.partnerId),
        timestamp: String(ts),
        access_token: creds.accessToken,
        shop_id: String(SHOP),
        sign: shopSign(sandbox.partnerKey, sandbox.partnerId, path, ts, creds.accessToken, SHOP),
        ...params,
      };
      for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
      return fetch(url);
    };
    const from = Math.floor(Date.parse("2026-11-01T00:00:00Z") / 1000);
    const cancelled = await signed({ time_range_field: "create_time", time_from: String(from), time_to: String(from + 10 * 86_400), page_size: "100", order_status: "CANCELLED" });
    const body = (await cancelled.json()) as { response: { order_list: unknown[] } };
    expect(body.response.order_list.length).toBeGreaterThan(0);
    const tooLong = await signed({ time_range_field: "create_time", time_from: String(from), time_to: String(from + 16 * 86_400), page_size: "100" });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: string }).error).toBe("error_param");
  });
});
