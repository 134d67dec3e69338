/**
 * The Shopee connector against the Shopee sandbox, both over real HTTP on 127.0.0.1: the client
 * signs, pages, batches and maps errors exactly as it would against partner.shopeemobile.com.
 * No database is involved.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createShopeeConnector } from "~/server/connectors/marketplace/shopee/client";
import { pushSignature, shopSign } from "~/server/connectors/marketplace/shopee/signing";
import { ConnectorError, type MarketplaceConnector, type MarketplaceCredentials, type TokenSet } from "~/server/connectors/marketplace/types";
import { createShopeeSandbox, type ShopeeSandbox } from "~/server/connectors/sandbox/shopee";

import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const MOUNT = "/api/sandbox/shopee";
const SHOP_A = 880_000_001;
const SHOP_B = 880_000_002;

let clock = Date.now();
const now = () => clock;

type Received = { url: string; headers: Headers; rawBody: string };
const received: Received[] = [];

let sandbox: ShopeeSandbox;
let server: ServedFetch;
let receiver: ServedFetch;
let apiUrl: string;
let pushUrl: string;
const calls: URL[] = [];

const countingFetch: typeof fetch = (input, init) => {
  calls.push(new URL(input instanceof Request ? input.url : String(input)));
  return fetch(input, init);
};

function connector(overrides: Partial<Parameters<typeof createShopeeConnector>[0]> = {}): MarketplaceConnector {
  return createShopeeConnector({
    apiUrl,
    partnerId: sandbox.partnerId,
    partnerKey: sandbox.partnerKey,
    isSandbox: true,
    fetch: countingFetch,
    timeoutMs: 5_000,
    now,
    ...overrides,
  });
}

async function expectConnectorError(promise: Promise<unknown>, kind: ConnectorError["kind"]): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  return error as ConnectorError;
}

/** Plays the seller: opens the authorization link, picks a shop, returns the callback params. */
async function authorize(shopee: MarketplaceConnector, shopId = SHOP_A, state = "st-123") {
  const link = shopee.authorizationUrl({ state, redirectUri: "http://127.0.0.1:9/callback/shopee" });
  const page = await fetch(link);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("Autorizar Super Seller (sandbox)");
  const match = html.match(new RegExp(`data-shop-id="${shopId}" href="([^"]+)"`));
  expect(match).not.toBeNull();
  const callback = new URL(match![1]!.replaceAll("&amp;", "&"));
  return Object.fromEntries(callback.searchParams) as Record<string, string>;
}

async function connect(shopee: MarketplaceConnector, shopId = SHOP_A): Promise<TokenSet> {
  const params = await authorize(shopee, shopId);
  return shopee.exchangeCode({ code: params.code!, redirectUri: "http://127.0.0.1:9/callback/shopee", callbackParams: params });
}

function credentials(tokens: TokenSet): MarketplaceCredentials {
  return { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
}

/** A hand-signed shop-level call, for what the connector never sends (limits, raw failure lists). */
async function rawShopCall(tokens: TokenSet, method: "GET" | "POST", path: string, params: Record<string, string>, body?: unknown) {
  const ts = Math.floor(clock / 1000);
  const url = new URL(apiUrl + path);
  const shopId = Number(tokens.externalAccountId);
  for (const [k, v] of Object.entries({
    partner_id: String(sandbox.partnerId),
    timestamp: String(ts),
    access_token: tokens.accessToken,
    shop_id: String(shopId),
    sign: shopSign(sandbox.partnerKey, sandbox.partnerId, path, ts, tokens.accessToken, shopId),
    ...params,
  })) {
    url.searchParams.set(k, v);
  }
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> & { response?: Record<string, unknown> } };
}

async function control(path: string, body: unknown = {}) {
  const res = await fetch(`${apiUrl}/_sandbox${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  receiver = await serveFetch(async (request) => {
    received.push({ url: request.url, headers: request.headers, rawBody: await request.text() });
    return new Response(null, { status: 204 }); // Shopee wants 2xx with an empty body
  });
  pushUrl = `${receiver.url}/api/v1/webhooks/shopee`;
  sandbox = createShopeeSandbox({ seed: "shopee-test", catalogSize: 320, rateLimitPerSecond: 0, clock: now, pushUrl });
  server = await serveFetch((request) => sandbox.handler(request));
  apiUrl = server.url + MOUNT;
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

beforeEach(() => {
  clock = Date.now();
  sandbox.reset();
  calls.length = 0;
});

describe("authorization", () => {
  it("runs the whole shop authorization and code exchange", async () => {
    const shopee = connector();
    const link = new URL(shopee.authorizationUrl({ state: "abc", redirectUri: "https://app.example/callback/shopee" }));
    expect(link.pathname).toBe(`${MOUNT}/api/v2/shop/auth_partner`);
    expect(link.searchParams.get("sign")).toMatch(/^[0-9a-f]{64}$/);
    expect(new URL(link.searchParams.get("redirect")!).searchParams.get("state")).toBe("abc");

    const params = await authorize(shopee, SHOP_B, "state-xyz");
    expect(params.state).toBe("state-xyz");
    expect(params.shop_id).toBe(String(SHOP_B));
    const tokens = await shopee.exchangeCode({ code: params.code!, redirectUri: "x", callbackParams: params });
    expect(tokens.externalAccountId).toBe(String(SHOP_B));
    expect(tokens.accountName).toBe("Loja Demo Sandbox 2");
    expect(tokens.expiresAt.getTime()).toBe(clock + 4 * 3600 * 1000);
    expect(tokens.refreshToken).toBeTruthy();
    expect(tokens.refreshExpiresAt!.getTime()).toBe(clock + 30 * 24 * 3600 * 1000);

    // A code works once.
    await expectConnectorError(shopee.exchangeCode({ code: params.code!, redirectUri: "x", callbackParams: params }), "invalid_grant");
  });

  it("refuses a link signed with the wrong partner key and an expired link", async () => {
    const forged = connector({ partnerKey: "not-the-partner-key" });
    const bad = await fetch(forged.authorizationUrl({ state: "s", redirectUri: "https://app.example/cb" }));
    expect(bad.status).toBe(403);
    expect(await bad.json()).toMatchObject({ error: "error_sign", message: "Wrong sign." });

    const shopee = connector();
    const link = shopee.authorizationUrl({ state: "s", redirectUri: "https://app.example/cb" });
    clock += 301_000; // links are valid for 5 minutes
    const expired = await fetch(link);
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ error: "error_param" });
  });

  it("refuses an expired code and a code for another shop", async () => {
    const shopee = connector();
    const params = await authorize(shopee, SHOP_A);
    await expectConnectorError(
      shopee.exchangeCode({ code: params.code!, redirectUri: "x", callbackParams: { ...params, shop_id: String(SHOP_B) } }),
      "invalid_grant",
    );
    clock += 10 * 60_000 + 1000; // codes live 10 minutes
    await expectConnectorError(shopee.exchangeCode({ code: params.code!, redirectUri: "x", callbackParams: params }), "invalid_grant");
  });

  it("rotates refresh tokens: the old one is refused, the old access token dies after 5 minutes", async () => {
    const shopee = connector();
    const first = await connect(shopee);
    clock += 60_000;
    const second = await shopee.refresh(first.refreshToken!, { externalAccountId: first.externalAccountId });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.expiresAt.getTime()).toBe(clock + 4 * 3600 * 1000);

    await expectConnectorError(shopee.refresh(first.refreshToken!, { externalAccountId: first.externalAccountId }), "invalid_grant");

    // Shopee keeps the replaced access token valid for 5 more minutes.
    await expect(shopee.listItemIds(credentials(first), null)).resolves.toMatchObject({ total: expect.any(Number) });
    clock += 5 * 60_000 + 1000;
    await expectConnectorError(shopee.listItemIds(credentials(first), null), "unauthorized");
    await expect(shopee.listItemIds(credentials(second), null)).resolves.toBeTruthy();

    // The newest refresh token keeps working, and a token for another shop is refused.
    const third = await shopee.refresh(second.refreshToken!, { externalAccountId: second.externalAccountId });
    await expectConnectorError(shopee.listItemIds({ ...credentials(third), externalAccountId: String(SHOP_B) }, null), "unauthorized");

    // Access tokens expire after 4 hours.
    clock += 4 * 3600 * 1000 + 1000;
    await expectConnectorError(shopee.listItemIds(credentials(third), null), "unauthorized");
  });

  it("signs shop-level calls: a wrong partner key is refused", async () => {
    const tokens = await connect(connector());
    const forged = connector({ partnerKey: "wrong" });
    const error = await expectConnectorError(forged.listItemIds(credentials(tokens), null), "refused");
    expect(error.details.code).toBe("error_sign");
    expect(error.message).not.toContain(tokens.accessToken);
  });
});

describe("items", () => {
  it("pages through 250+ items without duplicates, 100 at a time", async () => {
    const shopee = connector();
    const creds = credentials(await connect(shopee));
    const seen: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    let pages = 0;
    do {
      const page = await shopee.listItemIds(creds, cursor);
      expect(page.externalIds.length).toBeLessThanOrEqual(100);
      seen.push(...page.externalIds);
      total = page.total;
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(total).toBeGreaterThan(250);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 100));
    for (const call of calls.filter((c) => c.pathname.endsWith("/get_item_list"))) {
      expect(call.searchParams.get("page_size")).toBe("100");
      expect(call.searchParams.getAll("item_status").sort()).toEqual(["BANNED", "NORMAL", "UNLIST"]);
    }
  });

  it("fetches items in batches of 50 and maps them", async () => {
    const shopee = connector();
    const tokens = await connect(shopee);
    const creds = credentials(tokens);
    const ids: string[] = [];
    for (let cursor: string | null = null, first = true; first || cursor; first = false) {
      const page: Awaited<ReturnType<MarketplaceConnector["listItemIds"]>> = await shopee.listItemIds(creds, cursor);
      ids.push(...page.externalIds);
      cursor = page.nextCursor;
    }
    calls.length = 0;
    const items = await shopee.getItems(creds, ids.slice(0, 120));
    expect(items).toHaveLength(120);
    const baseCalls = calls.filter((c) => c.pathname.endsWith("/get_item_base_info"));
    expect(baseCalls).toHaveLength(3);
    expect(baseCalls.map((c) => c.searchParams.get("item_id_list")!.split(",").length)).toEqual([50, 50, 20]);
    for (const item of items) {
      expect(item.currency).toBe("BRL");
      expect(Number.isInteger(item.priceCents) && item.priceCents > 0).toBe(true);
      expect(["ACTIVE", "PAUSED", "UNDER_REVIEW"]).toContain(item.status);
      expect(item.title.length).toBeGreaterThan(0);
    }
    expect(items.some((i) => i.hasVariations)).toBe(true);
    expect(items.some((i) => i.gtin === null)).toBe(true);

    // Shopee itself refuses more than 50 ids a call.
    const raw = await rawShopCall(tokens, "GET", "/api/v2/product/get_item_base_info", { item_id_list: ids.slice(0, 51).join(",") });
    expect(raw.status).toBe(400);
    expect(raw.json.error).toBe("error_param");
    const tooBig = await rawShopCall(tokens, "GET", "/api/v2/product/get_item_list", { offset: "0", page_size: "101", item_status: "NORMAL" });
    expect(tooBig.json.error).toBe("error_param");

    // Visits are a lifetime counter (Shopee has no per-day item views); quality is not offered.
    const visits = await shopee.getVisits(creds, ids.slice(0, 60), new Date(clock - 7 * 86_400_000), new Date(clock));
    expect(visits).toHaveLength(60);
    expect(visits.every((v) => v.date === new Date(clock).toISOString().slice(0, 10) && v.visits >= 0)).toBe(true);
    await expect(shopee.getQuality(creds, ids[0]!)).resolves.toBeNull();
    await expect(shopee.getPriceReference(creds, ids[0]!)).resolves.toBeNull();
  });

  it("updates price, stock, title and status, and reports a partial failure_list", async () => {
    const shopee = connector();
    const tokens = await connect(shopee);
    const creds = credentials(tokens);
    const page = await shopee.listItemIds(creds, null);
    const items = await shopee.getItems(creds, page.externalIds);
    const simple = items.find((i) => !i.hasVariations && i.status === "ACTIVE")!;
    const variant = items.find((i) => i.hasVariations && i.status !== "UNDER_REVIEW")!;
    expect(simple && variant).toBeTruthy();

    await shopee.updateItem(creds, simple.externalId, { priceCents: 12_345, stock: 7, title: "Produto Atualizado pelo Teste de Integração", status: "PAUSED" });
    const [after] = await shopee.getItems(creds, [simple.externalId]);
    expect(after).toMatchObject({ priceCents: 12_345, stock: 7, title: "Produto Atualizado pelo Teste de Integração", status: "PAUSED" });

    await expectConnectorError(shopee.updateItem(creds, simple.externalId, { title: "curto" }), "refused");
    await expectConnectorError(shopee.updateItem(creds, simple.externalId, { pictureUrls: ["https://x/y.jpg"] }), "refused");
    await expectConnectorError(shopee.updateItem(creds, variant.externalId, { stock: 3 }), "refused");
    await expectConnectorError(shopee.updateItem(creds, "20000000000", { priceCents: 100 }), "not_found");

    // One variation is locked by a promotion: the others change, the call reports the failure.
    const locked = await control(`/shops/${SHOP_A}/items/${variant.externalId}/promotion`);
    expect(locked.status).toBe(200);
    const error = await expectConnectorError(shopee.updateItem(creds, variant.externalId, { priceCents: 9_990 }), "refused");
    expect(error.details.code).toBe("partial_failure");
    expect(error.message).toContain("promotion");
    const [variantAfter] = await shopee.getItems(creds, [variant.externalId]);
    expect(variantAfter!.priceCents).toBe(9_990);

    // The raw API answers failure_list and success_list side by side.
    const raw = await rawShopCall(tokens, "POST", "/api/v2/product/update_stock", {}, {
      item_id: Number(simple.externalId),
      stock_list: [
        { model_id: 0, seller_stock: [{ stock: 5 }] },
        { model_id: 999, seller_stock: [{ stock: 5 }] },
      ],
    });
    expect(raw.json.error).toBe("");
    expect(raw.json.response).toMatchObject({
      success_list: [{ model_id: 0, stock: 5 }],
      failure_list: [{ model_id: 999, failed_reason: expect.any(String) }],
    });
  });

  it("writes description, attributes and GTIN in one update_item and reads them back", async () => {
    const shopee = connector();
    const creds = credentials(await connect(shopee));
    const page = await shopee.listItemIds(creds, null);
    const items = await shopee.getItems(creds, page.externalIds);
    const target = items.find((i) => i.status === "ACTIVE" && i.gtin === null && i.attributes.length >= 2)!;
    const color = target.attributes.find((a) => a.name !== "Marca")!;

    calls.length = 0;
    await shopee.updateItem(creds, target.externalId, {
      title: "Título Novo do Anúncio Shopee",
      description: "Descrição nova.\n\nCaracterísticas\n- Item de teste",
      attributes: [
        { id: color.id, value: "Valor Novo" },
        { id: "GTIN", value: "7891234567895" },
      ],
    });
    expect(calls.map((c) => c.pathname.slice(MOUNT.length))).toEqual(["/api/v2/product/update_item"]);
    expect(sandbox.writesOf(target.externalId)).toBe(1);

    const [after] = await shopee.getItems(creds, [target.externalId]);
    expect(after).toMatchObject({ title: "Título Novo do Anúncio Shopee", description: "Descrição nova.\n\nCaracterísticas\n- Item de teste", gtin: "7891234567895" });
    expect(after!.attributes.find((a) => a.id === color.id)!.value).toBe("Valor Novo");
    // Attributes not sent keep their values.
    expect(after!.attributes.filter((a) => a.id !== color.id)).toEqual(target.attributes.filter((a) => a.id !== color.id));

    const writes = (await (await fetch(`${apiUrl}/_sandbox/items/${target.externalId}/writes`)).json()) as { writes: number; log: { path: string }[] };
    expect(writes).toMatchObject({ writes: 1, log: [{ path: "update_item" }] });
  });

  it("refuses free shipping per item, unknown attributes and edits of banned items, writing nothing", async () => {
    const shopee = connector();
    const creds = credentials(await connect(shopee));
    const items = await shopee.getItems(creds, (await shopee.listItemIds(creds, null)).externalIds);
    const target = items.find((i) => i.status === "ACTIVE")!;

    calls.length = 0;
    const shipping = await expectConnectorError(shopee.updateItem(creds, target.externalId, { freeShipping: true, title: "Título que não deve ser gravado" }), "refused");
    expect(shipping.details.code).toBe("free_shipping_not_per_item");
    const brand = await expectConnectorError(shopee.updateItem(creds, target.externalId, { attributes: [{ id: "BRAND", value: "Outra" }] }), "refused");
    expect(brand.details.code).toBe("unknown_attribute");
    expect(calls).toHaveLength(0); // refused before any call

    const unknown = await expectConnectorError(shopee.updateItem(creds, target.externalId, { attributes: [{ id: "999999", value: "x" }] }), "refused");
    expect(unknown.details).toMatchObject({ status: 400, code: "error_param" });
    expect(unknown.message).toContain("not an attribute of this item's category");
    const tooLong = await expectConnectorError(shopee.updateItem(creds, target.externalId, { description: "x".repeat(3001) }), "refused");
    expect(tooLong.details.code).toBe("error_param");

    await control(`/shops/${SHOP_A}/items/${target.externalId}/ban`);
    const banned = await expectConnectorError(shopee.updateItem(creds, target.externalId, { description: "Nova descrição" }), "refused");
    expect(banned.message).toContain("The item is banned and cannot be edited.");
    expect(sandbox.writesOf(target.externalId)).toBe(0);
    expect((await shopee.getItems(creds, [target.externalId]))[0]!.tags).toContain("moderation_penalty");
  });

  it("reports deboosted items as tags", async () => {
    const shopee = connector();
    const creds = credentials(await connect(shopee));
    const items = await shopee.getItems(creds, (await shopee.listItemIds(creds, null)).externalIds);
    const deboosted = items.filter((i) => i.tags?.includes("deboost"));
    expect(deboosted.length).toBeGreaterThan(0);
    for (const item of deboosted) {
      const index = Number(item.externalId) - sandbox.itemId(SHOP_A, 0);
      expect(sandbox.catalog.item(String(SHOP_A), index).flags).toContain("deboost");
    }
    expect(items.every((i) => Array.isArray(i.tags) && !i.tags.includes("poor_quality_picture"))).toBe(true);
  });
});

describe("errors", () => {
  it("maps 429, 5xx and timeouts", async () => {
    const tokens = await connect(connector());
    const creds = credentials(tokens);

    sandbox.injectFaults({ rateLimit: 1 });
    const limited = await expectConnectorError(connector().listItemIds(creds, null), "rate_limited");
    expect(limited.details).toMatchObject({ status: 429, code: "error_busy", retryAfterMs: 1000 });

    sandbox.injectFaults({ serverError: 1 });
    const down = await expectConnectorError(connector().listItemIds(creds, null), "transient");
    expect(down.details).toMatchObject({ status: 500, code: "error_server" });

    sandbox.injectFaults({ delayMs: 1_000, delayCount: 1 });
    const slow = await expectConnectorError(connector({ timeoutMs: 150 }).listItemIds(creds, null), "transient");
    expect(slow.message).toContain("timed out");

    // Faults are spent: the next call works.
    await expect(connector().listItemIds(creds, null)).resolves.toBeTruthy();

    // The same faults through the HTTP control endpoint.
    await control("/faults", { serverError: 1, path: "/api/v2/product/" });
    await expectConnectorError(connector().getItems(creds, [String(sandbox.itemId(SHOP_A, 0))]), "transient");
  });

  it("answers error_busy over the per-second limit", async () => {
    const limited = createShopeeSandbox({ seed: "shopee-test", catalogSize: 20, rateLimitPerSecond: 3, clock: () => clock });
    const served = await serveFetch((request) => limited.handler(request));
    try {
      const shopee = connector({ apiUrl: served.url });
      const tokens = await connect(shopee); // 2 calls: token/get + get_shop_info (+ the page)
      clock += 1000;
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => shopee.listItemIds(credentials(tokens), null)));
      const rejected = results.filter((r) => r.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ kind: "rate_limited" });
    } finally {
      await served.close();
    }
  });
});

describe("push notifications", () => {
  it("sends a signed item_price_update_push that verifies; forged and tampered bodies do not", async () => {
    const shopee = connector();
    const creds = credentials(await connect(shopee));
    const page = await shopee.listItemIds(creds, null);
    const id = (await shopee.getItems(creds, page.externalIds.slice(0, 20))).find((i) => i.status === "ACTIVE")!.externalId;
    received.length = 0;
    await shopee.updateItem(creds, id, { priceCents: 4_990 });
    await sandbox.flushPushes();
    expect(received).toHaveLength(1);
    const push = received[0]!;
    expect(push.url).toBe(pushUrl);
    expect(push.headers.get("authorization")).toBe(pushSignature(sandbox.partnerKey, pushUrl, push.rawBody));
    expect(sandbox.pushes.at(-1)).toMatchObject({ status: 204, error: null });

    expect(shopee.verifyNotification({ url: pushUrl, headers: push.headers, rawBody: push.rawBody })).toBe(true);
    const forgedHeaders = new Headers(push.headers);
    forgedHeaders.set("authorization", pushSignature("someone-else", pushUrl, push.rawBody));
    expect(shopee.verifyNotification({ url: pushUrl, headers: forgedHeaders, rawBody: push.rawBody })).toBe(false);
    const tampered = push.rawBody.replace(`"item_id":${id}`, `"item_id":${Number(id) + 1}`);
    expect(tampered).not.toBe(push.rawBody);
    expect(shopee.verifyNotification({ url: pushUrl, headers: push.headers, rawBody: tampered })).toBe(false);
    expect(shopee.verifyNotification({ url: pushUrl, headers: new Headers(), rawBody: push.rawBody })).toBe(false);

    const [notification] = shopee.parseNotification(push.rawBody);
    expect(notification).toMatchObject({ topic: "items_prices", externalAccountId: String(SHOP_A), externalItemId: id });
    expect(notification!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(shopee.parseNotification(push.rawBody)[0]!.id).toBe(notification!.id); // retries dedupe
  });

  it("sends control pushes (violation, deauthorization) that parse to topics", async () => {
    const shopee = connector();
    const tokens = await connect(shopee);
    const id = sandbox.itemId(SHOP_A, 3);
    received.length = 0;
    await control(`/shops/${SHOP_A}/items/${id}/ban`);
    await control(`/shops/${SHOP_A}/deauthorize`);
    await sandbox.flushPushes();
    expect(received.map((r) => shopee.parseNotification(r.rawBody)[0]?.topic)).toEqual(["items", "authorization_revoked"]);
    expect(received.every((r) => shopee.verifyNotification({ url: pushUrl, headers: r.headers, rawBody: r.rawBody }))).toBe(true);
    // A deauthorized shop's tokens stop working.
    await expectConnectorError(shopee.listItemIds(credentials(tokens), null), "unauthorized");
    await expectConnectorError(shopee.refresh(tokens.refreshToken!, { externalAccountId: tokens.externalAccountId }), "invalid_grant");
  });
});
