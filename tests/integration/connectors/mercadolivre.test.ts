/**
 * The Mercado Livre client against the Mercado Livre sandbox, over real HTTP on 127.0.0.1. No
 * database is used: both sides are plain HTTP. The sandbox's clock is moved to expire tokens.
 */
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createMercadoLivreConnector } from "~/server/connectors/marketplace/mercadolivre/client";
import { ConnectorError, type MarketplaceConnector, type MarketplaceCredentials, type TokenSet } from "~/server/connectors/marketplace/types";
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";

import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const SELLER = 310_000_001;
const OTHER_SELLER = 310_000_002;
const REDIRECT = "http://127.0.0.1:9/callback";

let now = Date.parse("2026-11-20T12:00:00Z");
const clock = () => now;

let sandbox: MercadoLivreSandbox;
let served: ServedFetch;
let receiver: ServedFetch;
let receiverStatus = 200;
const received: string[] = [];
const requests: string[] = [];
let connector: MarketplaceConnector;

function connectorFor(url: string, clientId: string, clientSecret: string, timeoutMs = 3_000) {
  return createMercadoLivreConnector({
    apiUrl: url,
    authUrl: url,
    clientId,
    clientSecret,
    isSandbox: true,
    timeoutMs,
    fetch: (input, init) => {
      requests.push(String(input).slice(url.length));
      return fetch(input, init);
    },
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

/** Drives the consent page like a browser: GET the page, submit the form, read the redirect. */
async function authorize(input: { userId?: number; decision?: "allow" | "deny"; scope?: string; challenge?: string; state?: string }) {
  const authUrl = new URL(
    connector.authorizationUrl({ state: input.state ?? "st-123", redirectUri: REDIRECT, codeChallenge: input.challenge }),
  );
  if (input.scope) authUrl.searchParams.set("scope", input.scope);
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("Autorizar Super Seller (sandbox)");
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", input.decision ?? "allow");
  form.set("user_id", String(input.userId ?? SELLER));
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location")!);
}

async function connect(userId = SELLER): Promise<TokenSet> {
  const verifier = generateRandomCodeVerifier();
  const callback = await authorize({ userId, challenge: await calculatePKCECodeChallenge(verifier) });
  return connector.exchangeCode({
    code: callback.searchParams.get("code")!,
    redirectUri: REDIRECT,
    codeVerifier: verifier,
    callbackParams: Object.fromEntries(callback.searchParams),
  });
}

const creds = (tokens: TokenSet): MarketplaceCredentials => ({ accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId });

beforeAll(async () => {
  receiver = await serveFetch(async (request) => {
    received.push(await request.text());
    return new Response(null, { status: receiverStatus });
  });
  sandbox = createMercadoLivreSandbox({
    seed: "ml-integration",
    catalogSize: 1_250,
    rateLimitPerSecond: 0,
    clock,
    notificationUrl: `${receiver.url}/api/v1/webhooks/mercadolivre`,
    notificationRetryDelaysMs: [],
  });
  served = await serveFetch(sandbox.handler);
  connector = connectorFor(served.url, sandbox.clientId, sandbox.clientSecret);
});

afterAll(async () => {
  await served?.close();
  await receiver?.close();
});

beforeEach(() => {
  sandbox.reset();
  now = Date.parse("2026-11-20T12:00:00Z");
  received.length = 0;
  requests.length = 0;
  receiverStatus = 200;
});

describe("Mercado Livre OAuth", () => {
  it("runs the code flow with PKCE and refuses a wrong verifier and a reused code", async () => {
    const verifier = generateRandomCodeVerifier();
    const callback = await authorize({ challenge: await calculatePKCECodeChallenge(verifier), state: "state-abc" });
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get("state")).toBe("state-abc");
    const code = callback.searchParams.get("code")!;
    const exchange = (codeVerifier?: string) =>
      connector.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier, callbackParams: Object.fromEntries(callback.searchParams) });

    await expectConnectorError(exchange(generateRandomCodeVerifier()), "invalid_grant");
    const missing = await expectConnectorError(exchange(undefined), "refused");
    expect(missing.details.code).toBe("invalid_request");

    const tokens = await exchange(verifier);
    expect(tokens.externalAccountId).toBe(String(SELLER));
    expect(tokens.accountName).toBe("LOJA_DEMO_SS");
    expect(tokens.scopes).toEqual(expect.arrayContaining(["offline_access", "read", "write"]));
    expect(tokens.refreshToken).toMatch(/^TG-/);
    expect(tokens.accessToken).toMatch(/^APP_USR-/);
    // expires_in 10800 s, measured from the client's clock.
    expect(Math.abs(tokens.expiresAt.getTime() - Date.now() - 10_800_000)).toBeLessThan(60_000);

    // Codes work once.
    await expectConnectorError(exchange(verifier), "invalid_grant");
  });

  it("expires codes after 10 minutes and reports a denied consent", async () => {
    const verifier = generateRandomCodeVerifier();
    const callback = await authorize({ challenge: await calculatePKCECodeChallenge(verifier) });
    now += 10 * 60_000 + 1;
    await expectConnectorError(
      connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: {} }),
      "invalid_grant",
    );
    const denied = await authorize({ decision: "deny", state: "s-deny" });
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("s-deny");
    expect(denied.searchParams.get("code")).toBeNull();
  });

  it("refreshes an expired access token once; a reused refresh token is invalid_grant", async () => {
    const tokens = await connect();
    await connector.listItemIds(creds(tokens), null);
    now += 10_800_000 + 1_000;
    await expectConnectorError(connector.listItemIds(creds(tokens), null), "unauthorized");

    const renewed = await connector.refresh(tokens.refreshToken!, { externalAccountId: tokens.externalAccountId });
    expect(renewed.refreshToken).not.toBe(tokens.refreshToken);
    const page = await connector.listItemIds(creds(renewed), null);
    expect(page.externalIds.length).toBeGreaterThan(0);

    await expectConnectorError(connector.refresh(tokens.refreshToken!, { externalAccountId: tokens.externalAccountId }), "invalid_grant");
    // The newest refresh token still works.
    const again = await connector.refresh(renewed.refreshToken!, { externalAccountId: tokens.externalAccountId });
    expect(again.accessToken).not.toBe(renewed.accessToken);
  });

  it("issues no refresh token without offline_access", async () => {
    const verifier = generateRandomCodeVerifier();
    const callback = await authorize({ scope: "read write", challenge: await calculatePKCECodeChallenge(verifier) });
    const tokens = await connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: {} });
    expect(tokens.refreshToken).toBeNull();
    expect(tokens.refreshExpiresAt).toBeNull();
    expect(tokens.scopes).toEqual(["read", "write"]);
  });

  it("refuses a forged or foreign token", async () => {
    const tokens = await connect();
    const forged = tokens.accessToken.slice(0, -4) + "AAAA";
    await expectConnectorError(connector.listItemIds({ accessToken: forged, externalAccountId: String(SELLER) }, null), "unauthorized");
    // A seller cannot list another seller's items.
    const error = await expectConnectorError(connector.listItemIds({ accessToken: tokens.accessToken, externalAccountId: String(OTHER_SELLER) }, null), "refused");
    expect(error.details.status).toBe(403);
  });
});

describe("Mercado Livre items", () => {
  it("lists 1 250 ids through scan/scroll with no duplicates and nothing missed", async () => {
    const tokens = await connect();
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.listItemIds(creds(tokens), cursor);
      expect(page.total).toBe(1_250);
      ids.push(...page.externalIds);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    expect(ids.length).toBe(1_250);
    expect(new Set(ids).size).toBe(1_250);
    const expected = Array.from({ length: 1_250 }, (_, i) => sandbox.itemId(SELLER, i));
    expect([...ids].sort()).toEqual(expected.sort());
    expect(requests.some((r) => r.includes("search_type=scan"))).toBe(true);

    // An expired scroll (5 min) restarts the scan instead of failing the sync.
    const first = await connector.listItemIds(creds(tokens), null);
    const second = await connector.listItemIds(creds(tokens), first.nextCursor);
    now += 6 * 60_000;
    const restarted = await connector.listItemIds(creds(tokens), second.nextCursor);
    expect(restarted.externalIds).toEqual(first.externalIds);

    // The provider's own limit: offset + limit past 1000 is refused.
    const response = await fetch(`${served.url}/users/${SELLER}/items/search?offset=990&limit=20`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; status: number; cause: unknown[]; message: string };
    expect(body).toMatchObject({ error: "bad_request", status: 400, cause: [] });
    expect(body.message).toContain("search_type=scan");
  });

  it("pages a small seller by offset", async () => {
    const small = createMercadoLivreSandbox({ seed: "small", catalogSize: 120, rateLimitPerSecond: 0 });
    const server = await serveFetch(small.handler);
    try {
      const client = connectorFor(server.url, small.clientId, small.clientSecret);
      const previous = connector;
      connector = client;
      const tokens = await connect().finally(() => (connector = previous));
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await client.listItemIds(creds(tokens), cursor);
        ids.push(...page.externalIds);
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(ids).size).toBe(120);
      expect(requests.filter((r) => r.includes("/items/search?offset=")).length).toBe(3);
      expect(requests.some((r) => r.includes("search_type=scan"))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("serves the provider's paths under the app's mount point", async () => {
    const mounted = createMercadoLivreSandbox({ seed: "mounted", catalogSize: 30, rateLimitPerSecond: 0, basePath: "/api/sandbox/mercadolivre" });
    const server = await serveFetch(mounted.handler);
    try {
      const base = `${server.url}/api/sandbox/mercadolivre`;
      const client = connectorFor(base, mounted.clientId, mounted.clientSecret);
      const previous = connector;
      connector = client;
      const page = await fetch(client.authorizationUrl({ state: "s", redirectUri: REDIRECT }));
      expect(await page.text()).toContain('action="/api/sandbox/mercadolivre/authorization"');
      const tokens = await connect().finally(() => (connector = previous));
      const ids = await client.listItemIds(creds(tokens), null);
      expect(ids.total).toBe(30);
      expect((await client.getItems(creds(tokens), ids.externalIds.slice(0, 3))).length).toBe(3);
    } finally {
      await server.close();
    }
  });

  it("multigets in batches of 20 and maps items", async () => {
    const tokens = await connect();
    const ids = Array.from({ length: 45 }, (_, i) => sandbox.itemId(SELLER, i));
    requests.length = 0;
    const items = await connector.getItems(creds(tokens), [...ids, "MLB9999999999"]);
    expect(items.map((i) => i.externalId)).toEqual(ids);
    expect(requests.filter((r) => r.startsWith("/items?")).length).toBe(3);
    const catalogItem = sandbox.catalog.item(SELLER, 7);
    const mapped = items[7]!;
    expect(mapped).toMatchObject({
      title: catalogItem.title,
      priceCents: catalogItem.priceCents,
      stock: catalogItem.stock,
      soldQuantity: catalogItem.soldQuantity,
      gtin: catalogItem.gtin,
      freeShipping: catalogItem.freeShipping,
      pictureCount: catalogItem.pictureCount,
      categoryId: catalogItem.category.id,
      currency: "BRL",
    });
    expect(Number.isInteger(mapped.priceCents)).toBe(true);

    // The wire format: a {code, body} wrapper per id; 21 ids are refused.
    const tooMany = Array.from({ length: 21 }, (_, i) => sandbox.itemId(SELLER, i)).join(",");
    const refused = await fetch(`${served.url}/items?ids=${tooMany}`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(refused.status).toBe(400);
    const wrapped = await fetch(`${served.url}/items?ids=${ids[0]},MLB9999999999&attributes=id,price`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(await wrapped.json()).toEqual([
      { code: 200, body: { id: ids[0], price: sandbox.catalog.item(SELLER, 0).priceCents / 100 } },
      { code: 404, body: expect.objectContaining({ error: "not_found", status: 404 }) },
    ]);
  });

  it("reads daily visits in windows of at most 150 days, with the last 48 h not yet counted", async () => {
    const tokens = await connect();
    const ids = [sandbox.itemId(SELLER, 1), sandbox.itemId(SELLER, 2)];
    const to = new Date(now);
    const from = new Date(now - 199 * 86_400_000);
    requests.length = 0;
    const visits = await connector.getVisits(creds(tokens), ids, from, to);
    expect(visits.length).toBe(2 * 200);
    expect(requests.filter((r) => r.includes("/visits/time_window")).length).toBe(4);
    for (const v of visits) {
      const index = ids.indexOf(v.externalId) + 1;
      const ageMs = now - Date.parse(`${v.date}T00:00:00Z`);
      const expected = ageMs < 2 * 86_400_000 ? 0 : sandbox.catalog.daily(SELLER, index, v.date).visits;
      expect(v.visits).toBe(expected);
    }
    expect(new Set(visits.map((v) => `${v.externalId}|${v.date}`)).size).toBe(400);

    // A short window for many items uses /items/visits (50 ids a call, one call per day).
    const many = Array.from({ length: 60 }, (_, i) => sandbox.itemId(SELLER, i));
    requests.length = 0;
    const recent = await connector.getVisits(creds(tokens), many, new Date(now - 5 * 86_400_000), new Date(now - 3 * 86_400_000));
    expect(recent.length).toBe(180);
    expect(requests.filter((r) => r.startsWith("/items/visits?")).length).toBe(6);
    const sample = recent.find((v) => v.externalId === many[10])!;
    expect(sample.visits).toBe(sandbox.catalog.daily(SELLER, 10, sample.date).visits);

    const tooLong = await fetch(`${served.url}/items/visits?ids=${ids[0]}&date_from=2026-01-01&date_to=2026-06-30`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(tooLong.status).toBe(400);
  });

  it("returns null quality while not computed, and the report and price reference otherwise", async () => {
    const tokens = await connect();
    let pending = -1;
    let computed = -1;
    let overpriced = -1;
    for (let i = 0; i < 300 && (pending < 0 || computed < 0 || overpriced < 0); i++) {
      const item = sandbox.catalog.item(SELLER, i);
      if (!item.qualityComputed && pending < 0) pending = i;
      if (item.qualityComputed && computed < 0) computed = i;
      if (item.problems.includes("overpriced") && item.status !== "closed" && overpriced < 0) overpriced = i;
    }
    expect(await connector.getQuality(creds(tokens), sandbox.itemId(SELLER, pending))).toBeNull();
    const report = (await connector.getQuality(creds(tokens), sandbox.itemId(SELLER, computed)))!;
    expect(report.score).toBeGreaterThanOrEqual(0);
    expect(report.score).toBeLessThanOrEqual(100);
    expect(["Básica", "Satisfatória", "Profissional"]).toContain(report.level);
    expect(report.rules.map((r) => r.key)).toEqual(
      expect.arrayContaining(["PICTURES_QUANTITY", "UNIVERSAL_IDENTIFIER", "FREE_SHIPPING", "COMPETITIVE_PRICE"]),
    );

    const reference = (await connector.getPriceReference(creds(tokens), sandbox.itemId(SELLER, overpriced)))!;
    const item = sandbox.catalog.item(SELLER, overpriced);
    expect(reference.suggestedPriceCents).toBe(item.referencePriceCents);
    expect(reference.percentDifference).toBeGreaterThan(10);
  });
});

describe("Mercado Livre updates and notifications", () => {
  function findItem(predicate: (i: ReturnType<MercadoLivreSandbox["catalog"]["item"]>) => boolean) {
    for (let i = 0; i < 1_250; i++) {
      const item = sandbox.catalog.item(SELLER, i);
      if (predicate(item)) return { index: i, id: sandbox.itemId(SELLER, i), item };
    }
    throw new Error("no such item in the catalog");
  }

  it("applies price changes, locks the title after sales, refuses paused items, and notifies", async () => {
    const tokens = await connect();
    const sold = findItem((i) => i.status === "active" && i.soldQuantity > 0 && !i.catalogListing);
    const refusal = await expectConnectorError(connector.updateItem(creds(tokens), sold.id, { title: "Outro título qualquer para o item" }), "refused");
    expect(refusal.details.code).toBe("item.title.not_modifiable");

    await connector.updateItem(creds(tokens), sold.id, { priceCents: 12_345, stock: 7 });
    const [after] = await connector.getItems(creds(tokens), [sold.id]);
    expect(after).toMatchObject({ priceCents: 12_345, stock: 7 });

    const prices = await fetch(`${served.url}/items/${sold.id}/prices`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(((await prices.json()) as { prices: Array<{ amount: number }> }).prices[0]!.amount).toBe(123.45);

    const fresh = findItem((i) => i.status === "active" && i.soldQuantity === 0 && !i.catalogListing);
    await connector.updateItem(creds(tokens), fresh.id, { title: "Título novo e completo do anúncio Preto" });
    expect(sandbox.getItem(fresh.id)!.title).toBe("Título novo e completo do anúncio Preto");

    const paused = findItem((i) => i.status === "paused");
    const pausedRefusal = await expectConnectorError(connector.updateItem(creds(tokens), paused.id, { priceCents: 9_990 }), "refused");
    expect(pausedRefusal.details.code).toBe("item.status.not_active");

    // Another seller's item is refused.
    const foreign = sandbox.itemId(OTHER_SELLER, 0);
    expect((await expectConnectorError(connector.updateItem(creds(tokens), foreign, { stock: 1 }), "refused")).details.status).toBe(403);

    await sandbox.settle();
    const bodies = received.map((r) => JSON.parse(r) as Record<string, unknown>);
    expect(bodies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ topic: "items", resource: `/items/${sold.id}`, user_id: SELLER, application_id: Number(sandbox.clientId), attempts: 1 }),
        expect.objectContaining({ topic: "items_prices", resource: `/items/${sold.id}/prices` }),
        expect.objectContaining({ topic: "items", resource: `/items/${fresh.id}` }),
      ]),
    );
    for (const raw of received) {
      const webhook = { url: `${receiver.url}/api/v1/webhooks/mercadolivre`, headers: new Headers({ "content-type": "application/json" }), rawBody: raw };
      expect(connector.verifyNotification(webhook)).toBe(true);
      const [parsed] = connector.parseNotification(raw);
      expect(parsed!.externalAccountId).toBe(String(SELLER));
      expect([sold.id, fresh.id]).toContain(parsed!.externalItemId);
      expect(parsed!.id).toBe((JSON.parse(raw) as { _id: string })._id);
    }
  });

  it("writes attributes, GTIN, free shipping and the description, and reads them back", async () => {
    const tokens = await connect();
    const target = findItem((i) => i.status === "active" && !i.catalogListing && i.gtin === null && !i.freeShipping);
    const gtin = "7891234567895";
    await connector.updateItem(creds(tokens), target.id, {
      attributes: [
        { id: "GTIN", value: gtin },
        { id: "COLOR", value: "Azul Marinho" },
      ],
      freeShipping: true,
      description: "Descrição nova.\n\nCaracterísticas\n- Cor: Azul Marinho",
    });
    expect(sandbox.writesOf(target.id)).toBe(2); // the item, then its description

    const [after] = await connector.getItems(creds(tokens), [target.id]);
    expect(after!.gtin).toBe(gtin);
    expect(after!.freeShipping).toBe(true);
    expect(after!.attributes).toEqual(expect.arrayContaining([{ id: "GTIN", name: "Código universal de produto", value: gtin }, expect.objectContaining({ id: "COLOR", value: "Azul Marinho" })]));
    // Attributes not sent keep their values.
    expect(after!.attributes.find((a) => a.id === "BRAND")!.value).toBe(target.item.brand);

    expect(await connector.getDescription!(creds(tokens), target.id)).toBe("Descrição nova.\n\nCaracterísticas\n- Cor: Azul Marinho");
    expect(await connector.getDescription!(creds(tokens), sandbox.itemId(SELLER, 1))).toBe(sandbox.catalog.item(SELLER, 1).description);
    const writes = (await (await fetch(`${served.url}/_sandbox/items/${target.id}/writes`)).json()) as { writes: number; log: Array<{ fields: string[] }> };
    expect(writes.writes).toBe(2);
    expect(writes.log.map((w) => w.fields)).toEqual([["attributes", "shipping"], ["description"]]);

    // The same update again leaves the item as it was (absolute values): two more writes, same state.
    await connector.updateItem(creds(tokens), target.id, { freeShipping: false });
    expect((await connector.getItems(creds(tokens), [target.id]))[0]!.freeShipping).toBe(false);
    expect(sandbox.writesOf(target.id)).toBe(3);
  });

  it("refuses what Mercado Livre refuses, with its code and reason, writing nothing", async () => {
    const tokens = await connect();
    const target = findItem((i) => i.status === "active" && !i.catalogListing);
    const badGtin = await expectConnectorError(connector.updateItem(creds(tokens), target.id, { attributes: [{ id: "GTIN", value: "7891234567890" }] }), "refused");
    expect(badGtin.details.code).toBe("item.attribute.invalid_product_identifier");
    expect(badGtin.message).toContain("not a valid product identifier");

    const html = await expectConnectorError(connector.updateItem(creds(tokens), target.id, { description: "<b>Oferta</b> imperdível" }), "refused");
    expect(html.details).toMatchObject({ status: 400, code: "item.description.invalid_format" });

    const catalogItem = findItem((i) => i.status === "active" && i.catalogListing);
    const family = await expectConnectorError(connector.updateItem(creds(tokens), catalogItem.id, { attributes: [{ id: "COLOR", value: "Preto" }] }), "refused");
    expect(family.details.code).toBe("item.catalog_listing.not_modifiable");

    const paused = findItem((i) => i.status === "paused");
    const pausedDescription = await expectConnectorError(connector.updateItem(creds(tokens), paused.id, { description: "Nova descrição" }), "refused");
    expect(pausedDescription.details.code).toBe("item.status.not_active");
    const sold = findItem((i) => i.status === "active" && i.soldQuantity > 0 && !i.catalogListing);
    const locked = await expectConnectorError(connector.updateItem(creds(tokens), sold.id, { title: "Outro título qualquer para o item" }), "refused");
    expect(locked.message).toContain("item.title.not_modifiable: You cannot modify the title if the item has sales");

    for (const id of [target.id, catalogItem.id, paused.id, sold.id]) expect(sandbox.writesOf(id)).toBe(0);
  });

  it("normalises moderation tags: poor pictures, penalties, deboost, review", async () => {
    const tokens = await connect();
    const poor = findItem((i) => i.flags.includes("poor_quality_picture") && i.status === "active");
    const penalty = findItem((i) => i.flags.includes("moderation_penalty"));
    const deboost = findItem((i) => i.flags.includes("deboost") && i.status === "active");
    const review = findItem((i) => i.status === "under_review");
    const clean = findItem((i) => i.flags.length === 0 && i.status === "active");
    const items = await connector.getItems(creds(tokens), [poor.id, penalty.id, deboost.id, review.id, clean.id]);
    const tags = Object.fromEntries(items.map((i) => [i.externalId, i.tags]));
    expect(tags[poor.id]).toContain("poor_quality_picture");
    expect(tags[penalty.id]).toContain("moderation_penalty");
    expect(tags[deboost.id]).toContain("deboost");
    expect(tags[review.id]).toContain("under_review");
    expect(tags[clean.id]).toEqual([]);
    // The wire format is Mercado Livre's own.
    expect(sandbox.getItem(poor.id)!.tags).toContain("poor_quality_thumbnail");
    expect(sandbox.getItem(deboost.id)!.sub_status).toContain("warning");

    // New pictures clear the poor-quality flag.
    await connector.updateItem(creds(tokens), poor.id, { pictureUrls: ["https://example.com/a.jpg", "https://example.com/b.jpg", "https://example.com/c.jpg"] });
    expect((await connector.getItems(creds(tokens), [poor.id]))[0]!.tags).not.toContain("poor_quality_picture");
  });

  it("rejects forged or malformed notifications", () => {
    const good = { _id: "n-1", resource: "/items/MLB1000000001", user_id: SELLER, topic: "items", application_id: Number(sandbox.clientId), attempts: 1, sent: new Date().toISOString(), received: new Date().toISOString() };
    const check = (body: unknown, raw?: string) =>
      connector.verifyNotification({ url: "http://x/webhook", headers: new Headers(), rawBody: raw ?? JSON.stringify(body) });
    expect(check(good)).toBe(true);
    expect(check({ ...good, application_id: 1234567890 })).toBe(false);
    expect(check({ ...good, topic: "bogus" })).toBe(false);
    expect(check({ ...good, resource: "items/x" })).toBe(false);
    expect(check({ ...good, user_id: "abc" })).toBe(false);
    expect(check(null, "{not json")).toBe(false);
    expect(check(null, JSON.stringify({ ...good, padding: "x".repeat(20_000) }))).toBe(false);
  });

  it("keeps undelivered notifications in /missed_feeds", async () => {
    const tokens = await connect();
    receiverStatus = 500;
    const control = await fetch(`${served.url}/_sandbox/notify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: SELLER, resource: "/items/MLB1000000003", topic: "items" }),
    });
    expect(control.status).toBe(200);
    const feeds = await fetch(`${served.url}/missed_feeds?app_id=${sandbox.clientId}`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    const body = (await feeds.json()) as { total: number; messages: Array<{ resource: string; response: { http_code: number } }> };
    expect(body.total).toBe(1);
    expect(body.messages[0]).toMatchObject({ resource: "/items/MLB1000000003", response: { http_code: 500 } });
  });
});

describe("Mercado Livre failures", () => {
  it("surfaces 429 as rate_limited with a retry hint; a retrying caller loses nothing", async () => {
    const limited = createMercadoLivreSandbox({ seed: "storm", catalogSize: 200, rateLimitPerSecond: 4 });
    const server = await serveFetch(limited.handler);
    try {
      const client = connectorFor(server.url, limited.clientId, limited.clientSecret);
      const previous = connector;
      connector = client;
      const tokens = await connect().finally(() => (connector = previous));
      const ids = Array.from({ length: 200 }, (_, i) => limited.itemId(SELLER, i));
      let rateLimited = 0;
      const got: string[] = [];
      // The caller's retry loop (what a background step does): wait the hint, try the batch again.
      for (let i = 0; i < ids.length; i += 20) {
        for (;;) {
          try {
            got.push(...(await client.getItems(creds(tokens), ids.slice(i, i + 20))).map((item) => item.externalId));
            break;
          } catch (error) {
            if (!(error instanceof ConnectorError) || error.kind !== "rate_limited") throw error;
            rateLimited++;
            expect(error.details.retryAfterMs).toBeGreaterThan(0);
            expect(error.details.status).toBe(429);
            await new Promise((resolve) => setTimeout(resolve, Math.min(error.details.retryAfterMs!, 1_000)));
          }
        }
      }
      expect(rateLimited).toBeGreaterThan(0);
      expect(got).toEqual(ids);
    } finally {
      await server.close();
    }
  });

  it("maps injected 429s, 5xx and timeouts", async () => {
    const tokens = await connect();
    sandbox.setFaults({ rateLimited: 1 });
    const rl = await expectConnectorError(connector.listItemIds(creds(tokens), null), "rate_limited");
    expect(rl.details.retryAfterMs).toBe(1_000);

    sandbox.setFaults({ serverErrors: 2, serverErrorStatus: 503 });
    await expectConnectorError(connector.getItems(creds(tokens), [sandbox.itemId(SELLER, 0)]), "transient");
    await expectConnectorError(connector.getQuality(creds(tokens), sandbox.itemId(SELLER, 0)), "transient");

    const impatient = connectorFor(served.url, sandbox.clientId, sandbox.clientSecret, 200);
    sandbox.setFaults({ delayMs: 1_000, delayCount: 1 });
    const timeout = await expectConnectorError(impatient.listItemIds(creds(tokens), null), "transient");
    expect(timeout.details.code).toBe("timeout");
    expect(timeout.message).not.toContain(tokens.accessToken);

    // Faults spent: calls work again.
    sandbox.setFaults({});
    expect((await connector.listItemIds(creds(tokens), null)).externalIds.length).toBeGreaterThan(0);
  });

  it("refuses a wrong client secret without leaking it", async () => {
    const wrong = connectorFor(served.url, sandbox.clientId, "not-the-secret");
    const error = await expectConnectorError(wrong.refresh("TG-whatever", { externalAccountId: String(SELLER) }), "refused");
    expect(error.details.code).toBe("invalid_client");
    expect(error.message).not.toContain("not-the-secret");
  });
});
