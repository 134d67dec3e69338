import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { parseShopeePush, verifyShopeePush } from "./notifications";
import { publicSign, pushSignature, shopSign } from "./signing";

const hmac = (key: string, base: string) => createHmac("sha256", key).update(base).digest("hex");

describe("Shopee signing", () => {
  // Base strings verbatim from Shopee's "API calls" guide (the partner key is ours).
  it("builds the shop-level base string: partner_id + path + timestamp + access_token + shop_id", () => {
    expect(shopSign("k", 2001887, "/api/v2/shop/get_shop_info", 1655714431, "59777174636562737266615546704c6d", 14701711)).toBe(
      hmac("k", "2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711"),
    );
  });

  it("builds the public base string: partner_id + path + timestamp", () => {
    expect(publicSign("k", 2001887, "/api/v2/public/get_shops_by_partner", 1655714431)).toBe(
      hmac("k", "2001887/api/v2/public/get_shops_by_partner1655714431"),
    );
  });

  it("signs pushes over url + '|' + raw body and verifies them in constant time", () => {
    const url = "http://www.example.com/example/uri";
    const body = '{"shop_id": 123, "code": 1, "success": 1, "data": {"more_info": "more info"}, "timestamp": 1470198856}';
    const signature = pushSignature("k", url, body);
    expect(signature).toBe(hmac("k", `${url}|${body}`));
    const headers = new Headers({ authorization: signature });
    expect(verifyShopeePush("k", { url, headers, rawBody: body })).toBe(true);
    expect(verifyShopeePush("k", { url, headers: new Headers({ authorization: signature.toUpperCase() }), rawBody: body })).toBe(true);
    expect(verifyShopeePush("other", { url, headers, rawBody: body })).toBe(false);
    expect(verifyShopeePush("k", { url: `${url}/`, headers, rawBody: body })).toBe(false);
    expect(verifyShopeePush("k", { url, headers, rawBody: body.replace("123", "124") })).toBe(false);
    expect(verifyShopeePush("k", { url, headers: new Headers({ authorization: "short" }), rawBody: body })).toBe(false);
  });
});

describe("Shopee push parsing", () => {
  it("maps codes to topics and finds shop_id wherever Shopee puts it", () => {
    const price = parseShopeePush(JSON.stringify({ data: { item_id: 42 }, shop_id: 7, code: 22, timestamp: 1_700_000_000 }));
    expect(price).toEqual([
      expect.objectContaining({ topic: "items_prices", externalAccountId: "7", externalItemId: "42", sentAt: new Date(1_700_000_000_000) }),
    ]);
    const auth = parseShopeePush(JSON.stringify({ data: { shop_id: 9, success: 1 }, partner_id: 1, code: 1, timestamp: 1 }));
    expect(auth[0]).toMatchObject({ topic: "authorization", externalAccountId: "9", externalItemId: null, resource: null });
    const spelled = parseShopeePush(JSON.stringify({ data: { shopid: 5, item_id: 3 }, code: 16, timestamp: 1 }));
    expect(spelled[0]).toMatchObject({ topic: "items", externalAccountId: "5", externalItemId: "3" });
    expect(parseShopeePush(JSON.stringify({ shop_id: 1, code: 99, timestamp: 1, data: {} }))[0]!.topic).toBe("shopee_push_99");
  });

  it("ignores bodies it cannot attribute", () => {
    expect(parseShopeePush("not json")).toEqual([]);
    expect(parseShopeePush(JSON.stringify({ code: 3, data: {} }))).toEqual([]);
    expect(parseShopeePush(JSON.stringify({ shop_id: 1 }))).toEqual([]);
  });
});
