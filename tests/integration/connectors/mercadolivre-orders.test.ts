/**
 * Daily sales from Mercado Livre's order search: the client against the sandbox over real HTTP on
 * 127.0.0.1 (no database). The sandbox serves the catalog's daily sales as paid orders (plus some
 * cancelled ones that must not count); the client pages them, splits date ranges past the offset
 * ceiling and aggregates units per item and UTC day.
 */
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { createMercadoLivreConnector } from "~/server/connectors/marketplace/mercadolivre/client";
import { ConnectorError, type MarketplaceConnector, type MarketplaceCredentials } from "~/server/connectors/marketplace/types";
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";

import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const SELLER = 310_000_001;
const OTHER_SELLER = 310_000_002;
const REDIRECT = "http://127.0.0.1:9/callback";
const DAY_MS = 86_400_000;
const NOW = Date.parse("2026-11-20T12:00:00Z");

let sandbox: MercadoLivreSandbox;
let served: ServedFetch;
let connector: MarketplaceConnector;
const requests: string[] = [];

async function connect(userId = SELLER): Promise<MarketplaceCredentials> {
  const verifier = generateRandomCodeVerifier();
  const authUrl = new URL(connector.authorizationUrl({ state: "st", redirectUri: REDIRECT, codeChallenge: await calculatePKCECodeChallenge(verifier) }));
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", "allow");
  form.set("user_id", String(userId));
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  const code = new URL(answer.headers.get("location")!).searchParams.get("code")!;
  const tokens = await connector.exchangeCode({ code, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: { code } });
  return { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
}

/** What the catalog says was sold, per "<item id> <day>", for whole UTC days [first, last]. */
function expectedSales(sellerId: number, first: number, last: number) {
  const out = new Map<string, number>();
  for (let d = first; d <= last; d += DAY_MS) {
    const day = new Date(d).toISOString().slice(0, 10);
    for (let index = 0; index < sandbox.catalog.size; index++) {
      const { sales } = sandbox.catalog.daily(sellerId, index, day);
      if (sales > 0) out.set(`${sandbox.itemId(sellerId, index)} ${day}`, sales);
    }
  }
  return out;
}

beforeAll(async () => {
  sandbox = createMercadoLivreSandbox({ seed: "ml-orders", catalogSize: 150, rateLimitPerSecond: 0, clock: () => NOW, notificationUrl: null });
  served = await serveFetch(sandbox.handler);
  connector = createMercadoLivreConnector({
    apiUrl: served.url,
    authUrl: served.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    isSandbox: true,
    timeoutMs: 10_000,
    fetch: (input, init) => {
      requests.push(String(input).slice(served.url.length));
      return fetch(input, init);
    },
  });
});

afterAll(async () => {
  await served?.close();
});

beforeEach(() => {
  sandbox.reset();
  requests.length = 0;
});

describe("Mercado Livre daily sales from orders", () => {
  it("aggregates 30 days of paid orders per item and UTC day exactly as the catalog sold them, paging past the offset ceiling", async () => {
    const creds = await connect();
    const first = Date.parse("2026-10-21T00:00:00Z");
    const last = Date.parse("2026-11-19T00:00:00Z");
    requests.length = 0;
    let hooks = 0;
    const sales = await connector.getDailySales!(creds, new Date(first), new Date(last + DAY_MS - 1), { beforeRequest: async () => void hooks++ });

    const expected = expectedSales(SELLER, first, last);
    const got = new Map(sales.map((s) => [`${s.externalId} ${s.date}`, s.sales]));
    expect(got.size).toBe(expected.size);
    expect(got).toEqual(expected);
    const units = [...expected.values()].reduce((a, b) => a + b, 0);
    expect(units).toBeGreaterThan(1000); // enough orders to need more than one offset window

    const searches = requests.filter((r) => r.startsWith("/orders/search"));
    expect(hooks).toBe(searches.length);
    // Every request stays inside the provider's paging rules, and the range was split to get there.
    const ranges = new Set<string>();
    for (const r of searches) {
      const params = new URL(r, "http://x").searchParams;
      expect(params.get("order.status")).toBe("paid");
      expect(params.get("sort")).toBe("date_asc");
      expect(params.get("seller")).toBe(String(SELLER));
      expect(Number(params.get("offset")) + Number(params.get("limit"))).toBeLessThanOrEqual(1000);
      ranges.add(`${params.get("order.date_created.from")}…${params.get("order.date_created.to")}`);
    }
    expect(ranges.size).toBeGreaterThan(1);
  }, 60_000);

  it("counts only paid orders, by the UTC day of their creation (orders are dated in São Paulo time)", async () => {
    const creds = await connect();
    const from = "2026-11-10T00:00:00.000Z";
    const to = "2026-11-12T23:59:59.999Z";
    const all = new URLSearchParams({ seller: String(SELLER), "order.date_created.from": from, "order.date_created.to": to, limit: "50" });
    const raw: Array<{ status: string; date_created: string }> = [];
    for (let offset = 0; ; offset += 50) {
      all.set("offset", String(offset));
      const page = (await (await fetch(`${served.url}/orders/search?${all}`, { headers: { authorization: `Bearer ${creds.accessToken}` } })).json()) as {
        paging: { total: number };
        results: Array<{ status: string; date_created: string }>;
      };
      raw.push(...page.results);
      if (offset + 50 >= page.paging.total) break;
    }
    expect(raw.some((o) => o.status === "cancelled")).toBe(true);
    expect(raw.every((o) => o.date_created.endsWith("-03:00"))).toBe(true);
    // Some orders fall before 03:00 UTC: the previous day in local time, the same day in UTC.
    expect(raw.some((o) => Date.parse(o.date_created) % DAY_MS < 3 * 3_600_000)).toBe(true);

    const sales = await connector.getDailySales!(creds, new Date(from), new Date(to));
    expect(new Map(sales.map((s) => [`${s.externalId} ${s.date}`, s.sales]))).toEqual(expectedSales(SELLER, Date.parse(from), Date.parse("2026-11-12T00:00:00Z")));
  }, 30_000);

  it("orders after the marketplace's clock do not exist yet; an empty window returns nothing", async () => {
    const creds = await connect();
    const today = Date.parse("2026-11-20T00:00:00Z");
    const sales = await connector.getDailySales!(creds, new Date(today), new Date(today + DAY_MS - 1));
    const full = expectedSales(SELLER, today, today);
    const soFar = sales.reduce((a, s) => a + s.sales, 0);
    expect(soFar).toBeGreaterThan(0);
    expect(soFar).toBeLessThan([...full.values()].reduce((a, b) => a + b, 0));
    expect(sales.every((s) => s.date === "2026-11-20" && s.sales <= full.get(`${s.externalId} ${s.date}`)!)).toBe(true);
    expect(await connector.getDailySales!(creds, new Date(today), new Date(today - 1))).toEqual([]);
  });

  it("is scoped to the token's seller, and needs a valid token", async () => {
    const creds = await connect(OTHER_SELLER);
    const sales = await connector.getDailySales!(creds, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-02T23:59:59Z"));
    const ids = new Set(sales.map((s) => s.externalId));
    expect(ids.size).toBeGreaterThan(0);
    expect([...ids].every((id) => id.startsWith("MLB2"))).toBe(true); // seller slot 2's items

    const forged = { ...creds, externalAccountId: String(SELLER) };
    const refused = await connector.getDailySales!(forged, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-02T00:00:00Z")).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConnectorError);
    expect((refused as ConnectorError).details.status).toBe(403);

    const expired = await connector.getDailySales!({ ...creds, accessToken: "APP_USR-not-a-token" }, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-02T00:00:00Z")).catch((e: unknown) => e);
    expect((expired as ConnectorError).kind).toBe("unauthorized");
  });

  it("answers 429 like every other route, with Retry-After", async () => {
    const creds = await connect();
    sandbox.setFaults({ rateLimited: 1 });
    const error = await connector.getDailySales!(creds, new Date("2026-11-01T00:00:00Z"), new Date("2026-11-01T23:59:59Z")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).kind).toBe("rate_limited");
    expect((error as ConnectorError).details.retryAfterMs).toBe(1000);
    // The sandbox refuses paging past the ceiling, as the provider does.
    const tooFar = await fetch(`${served.url}/orders/search?seller=${SELLER}&offset=990&limit=50`, { headers: { authorization: `Bearer ${creds.accessToken}` } });
    expect(tooFar.status).toBe(400);
  });
});
