/**
 * Sales history: after a connection's first full sync, the last 30 days of daily sales come from
 * Mercado Livre's orders and listings.sales_since moves back — against a real PostgreSQL and the
 * Mercado Livre sandbox served over HTTP (its orders are the catalog's daily sales). The steps are
 * driven as the background function drives them, and once through the local runner with the real
 * function definitions (the sync's end sends the backfill event).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import type { MarketplaceConnector } from "~/server/connectors/marketplace/types";
import { createShopeeConnector } from "~/server/connectors/marketplace/shopee";
import type { MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";
import { createShopeeSandbox } from "~/server/connectors/sandbox/shopee";
import { INNGEST_APP_ID } from "~/server/jobs/client";
import { listingFunctions } from "~/server/jobs/functions/listings-sync";
import { salesBackfillFunctions } from "~/server/jobs/functions/sales-backfill";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { writeBackfilledSales } from "~/server/repositories/listings";
import { beginConnect, completeConnect } from "~/server/services/connectors/connectors";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { freshCredentials } from "~/server/services/connectors/tokens";
import { backfillSalesDay, finishSalesBackfill, planSalesBackfill } from "~/server/services/listings/sales-backfill";
import { backfillSalesHistory, SALES_BACKFILL_DAYS } from "~/server/services/listings/sales-history";
import { startSync, syncNextPage } from "~/server/services/listings/sync";
import { serveFetch } from "../helpers/serve-fetch";
import { connectSandboxSeller, serveMercadoLivreSandbox, TEST_APP_URL, type ServedSandbox } from "./helpers/mercadolivre-sandbox";
import { createOrgFixture, db, type OrgFixture, tenantCtxOf } from "./helpers/fixtures";

const CATALOG = 60;
const SELLER = 310_000_001;
const DAY_MS = 86_400_000;

let sandbox: MercadoLivreSandbox;
let served: ServedSandbox;
let connector: MarketplaceConnector;

const today = () => new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function connectSeller(fx: OrgFixture, sellerId = SELLER) {
  return connectSandboxSeller(tenantCtxOf(fx), sellerId);
}

async function runSync(fx: OrgFixture, connectionId: string, mode: "full" | "reconcile" = "full") {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  const { generation } = await startSync(ctx, { connectionId, mode });
  for (let i = 0; i < 100; i++) {
    const result = await syncNextPage(ctx, { connectionId, generation });
    if (result.kind === "wait") await new Promise((r) => setTimeout(r, Math.min(result.waitMs, 1500)));
    if (result.done) return result;
  }
  throw new Error("sync did not finish");
}

/** The backfill function's steps, in its order, honouring waits. */
async function runBackfill(fx: OrgFixture, connectionId: string) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  const plan = await planSalesBackfill(ctx, { connectionId });
  if (plan.kind === "skip") return plan;
  let rows = 0;
  for (const day of plan.days) {
    for (let attempt = 0; attempt < 20; attempt++) {
      const result = await backfillSalesDay(ctx, { connectionId, day, existedAt: plan.existedAt });
      if (result.kind === "wait") {
        await new Promise((r) => setTimeout(r, Math.min(result.waitMs, 1500)));
        continue;
      }
      if (result.kind === "stopped") throw new Error(`backfill stopped: ${result.reason}`);
      rows += result.rows;
      break;
    }
  }
  const { listings } = await finishSalesBackfill(ctx, { connectionId, from: plan.from, existedAt: plan.existedAt });
  return { kind: "done" as const, plan, rows, listings };
}

/** Snapshot sales per "<external id> <day>" of a connection, for days in [first, last]. */
async function storedSales(fx: OrgFixture, connectionId: string, first: Date, last: Date) {
  const rows = await db.listingMetricSnapshot.findMany({
    where: { organizationId: fx.organizationId, listing: { connectionId }, date: { gte: first, lte: last } },
    select: { date: true, sales: true, listing: { select: { externalId: true } } },
  });
  return new Map(rows.filter((r) => r.sales > 0).map((r) => [`${r.listing.externalId} ${dayOf(r.date.getTime())}`, r.sales]));
}

/** What the sandbox's catalog sold per "<external id> <day>" for the connection's listings. */
async function catalogSales(fx: OrgFixture, connectionId: string, sellerId: number, first: Date, last: Date) {
  const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId }, select: { externalId: true } });
  const out = new Map<string, number>();
  for (const { externalId } of listings) {
    const index = Number(externalId.slice(4));
    for (let d = first.getTime(); d <= last.getTime(); d += DAY_MS) {
      const { sales } = sandbox.catalog.daily(sellerId, index, dayOf(d));
      if (sales > 0) out.set(`${externalId} ${dayOf(d)}`, sales);
    }
  }
  return out;
}

beforeAll(async () => {
  served = await serveMercadoLivreSandbox({ seed: "sales-history", catalogSize: CATALOG, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "sales-history-test" }, { timeoutMs: 10_000 });
  ({ sandbox, connector } = served);
});

afterAll(async () => {
  await served?.close();
});

describe("sales backfill after the first full sync", () => {
  it("writes the catalog's sales of the 30 previous days, keeps today's growth figure, and moves sales_since 30 days back; a second sync doubles nothing", async () => {
    const fx = await createOrgFixture("sales");
    const connection = await connectSeller(fx);
    await runSync(fx, connection.id);
    const t = today();
    const first = new Date(t.getTime() - SALES_BACKFILL_DAYS * DAY_MS);
    const yesterday = new Date(t.getTime() - DAY_MS);
    const before = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id }, select: { salesSince: true } });
    expect(before).toHaveLength(CATALOG);
    expect(before.every((l) => l.salesSince?.getTime() === t.getTime())).toBe(true);
    const todayBefore = await db.listingMetricSnapshot.findMany({ where: { organizationId: fx.organizationId, date: t, listing: { connectionId: connection.id } }, select: { listingId: true, sales: true, visits: true } });

    const done = await runBackfill(fx, connection.id);
    expect(done).toMatchObject({ kind: "done", listings: CATALOG });
    if (done.kind !== "done") throw new Error("no backfill");
    expect(done.plan.days).toHaveLength(SALES_BACKFILL_DAYS);
    expect(done.plan.days[0]).toBe(dayOf(first.getTime()));
    expect(done.plan.days.at(-1)).toBe(dayOf(yesterday.getTime()));

    const expected = await catalogSales(fx, connection.id, SELLER, first, yesterday);
    expect(expected.size).toBeGreaterThan(50);
    expect(await storedSales(fx, connection.id, first, yesterday)).toEqual(expected);
    expect(done.rows).toBe(expected.size);
    // Nothing before the window; today's row (the sync's own growth figure) untouched.
    expect((await storedSales(fx, connection.id, new Date(0), new Date(first.getTime() - DAY_MS))).size).toBe(0);
    const todayAfter = await db.listingMetricSnapshot.findMany({ where: { organizationId: fx.organizationId, date: t, listing: { connectionId: connection.id } }, select: { listingId: true, sales: true, visits: true } });
    expect(new Set(todayAfter.map((r) => JSON.stringify(r)))).toEqual(new Set(todayBefore.map((r) => JSON.stringify(r))));
    // Visits the sync read for the last days are kept next to the backfilled sales.
    expect(await db.listingMetricSnapshot.count({ where: { organizationId: fx.organizationId, listing: { connectionId: connection.id }, date: { lt: t }, visits: { gt: 0 }, sales: { gt: 0 } } })).toBeGreaterThan(0);

    const after = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id }, select: { salesSince: true } });
    expect(after.every((l) => l.salesSince?.getTime() === first.getTime())).toBe(true);

    // A second full sync (and its backfill request) finds nothing to do; the figures stay.
    await runSync(fx, connection.id);
    expect(await runBackfill(fx, connection.id)).toEqual({ kind: "skip", reason: "nothing_to_backfill" });
    // Even a replayed day step (a retried run) writes nothing over known days.
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    expect(await backfillSalesDay(ctx, { connectionId: connection.id, day: done.plan.days[3]!, existedAt: new Date().toISOString() })).toEqual({ kind: "written", rows: 0 });
    expect(await storedSales(fx, connection.id, first, yesterday)).toEqual(expected);
  }, 90_000);

  it("never overwrites days whose sales were already known, and survives 429s", async () => {
    const fx = await createOrgFixture("sales-known");
    const connection = await connectSeller(fx, 310_000_003);
    await runSync(fx, connection.id);
    const t = today();
    const known = await db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId: connection.id }, select: { id: true, externalId: true, priceCents: true, stock: true } });
    // This listing's sales have been known for 10 days; one of those days recorded 99 units.
    const since = new Date(t.getTime() - 10 * DAY_MS);
    const marked = new Date(t.getTime() - 5 * DAY_MS);
    await db.listing.update({ where: { id: known.id }, data: { salesSince: since } });
    await db.listingMetricSnapshot.upsert({
      where: { organizationId_listingId_date: { organizationId: fx.organizationId, listingId: known.id, date: marked } },
      create: { organizationId: fx.organizationId, listingId: known.id, date: marked, sales: 99, visits: 0, priceCents: known.priceCents, stock: known.stock },
      update: { sales: 99 },
    });

    sandbox.setFaults({ rateLimited: 4 });
    const done = await runBackfill(fx, connection.id);
    sandbox.setFaults({});
    expect(done).toMatchObject({ kind: "done", listings: CATALOG });

    const first = new Date(t.getTime() - SALES_BACKFILL_DAYS * DAY_MS);
    const stored = await storedSales(fx, connection.id, first, new Date(t.getTime() - DAY_MS));
    const expected = await catalogSales(fx, connection.id, 310_000_003, first, new Date(t.getTime() - DAY_MS));
    for (const [key, sales] of expected) {
      const [externalId, day] = key.split(" ") as [string, string];
      if (externalId === known.externalId && day >= dayOf(since.getTime())) continue;
      expect(stored.get(key), key).toBe(sales);
    }
    expect(stored.get(`${known.externalId} ${dayOf(marked.getTime())}`)).toBe(99);
    for (let d = since.getTime(); d < t.getTime(); d += DAY_MS) {
      if (d === marked.getTime()) continue;
      expect(stored.get(`${known.externalId} ${dayOf(d)}`)).toBeUndefined();
    }
    expect((await db.listing.findUniqueOrThrow({ where: { id: known.id } })).salesSince?.getTime()).toBe(first.getTime());
  }, 90_000);

  it("only follows a completed full sync of a marketplace with an orders API", async () => {
    const fx = await createOrgFixture("sales-skip");
    const connection = await connectSeller(fx, 310_000_002);
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    expect(await planSalesBackfill(ctx, { connectionId: connection.id })).toEqual({ kind: "skip", reason: "not_full_sync" });
    await runSync(fx, connection.id, "reconcile");
    expect(await planSalesBackfill(ctx, { connectionId: connection.id })).toEqual({ kind: "skip", reason: "not_full_sync" });

    // A connector without an orders API: its listings keep growth-based sales from the first sync.
    await runSync(fx, connection.id, "full");
    const withoutOrders = setMarketplaceConnector({ ...connector, getDailySales: undefined });
    try {
      expect(await planSalesBackfill(ctx, { connectionId: connection.id })).toEqual({ kind: "skip", reason: "unsupported" });
    } finally {
      withoutOrders();
    }
    expect(await planSalesBackfill(ctx, { connectionId: connection.id })).toMatchObject({ kind: "plan", listings: CATALOG });
    // Another organization's connection id is not this tenant's.
    const stranger = await createOrgFixture("sales-stranger");
    expect(await planSalesBackfill(jobTenantCtx(db, { organizationId: stranger.organizationId }), { connectionId: connection.id })).toEqual({ kind: "skip", reason: "inactive" });
  });

  it("the repository writes only for the tenant's own connection", async () => {
    const fx = await createOrgFixture("sales-tenant");
    const connection = await connectSeller(fx);
    await runSync(fx, connection.id);
    const listing = await db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId: connection.id } });
    const stranger = await createOrgFixture("sales-tenant-other");
    const day = dayOf(today().getTime() - 3 * DAY_MS);
    const row = [{ externalId: listing.externalId, date: day, sales: 7 }];
    expect(await writeBackfilledSales(db, stranger.organizationId, { connectionId: connection.id, existedAt: new Date() }, row)).toBe(0);
    expect(await writeBackfilledSales(db, fx.organizationId, { connectionId: connection.id, existedAt: new Date() }, row)).toBe(1);
  });
});

describe("Shopee", () => {
  it("backfills from Shopee's order list and details after the first full sync", async () => {
    const shopee = createShopeeSandbox({ seed: "sales-history", catalogSize: 40, rateLimitPerSecond: 0, pushUrl: null });
    const server = await serveFetch((request) => shopee.handler(request));
    const restoreShopee = setMarketplaceConnector(
      createShopeeConnector({ apiUrl: `${server.url}/api/sandbox/shopee`, partnerId: shopee.partnerId, partnerKey: shopee.partnerKey, isSandbox: true, timeoutMs: 10_000 }),
    );
    setPacingRate("SHOPEE", 500);
    try {
      const fx = await createOrgFixture("sales-shopee");
      const ctx = tenantCtxOf(fx);
      const { authorizationUrl, sealedFlow } = await beginConnect(ctx, { provider: "SHOPEE", consentVersion: "shopee-2026-11", appUrl: TEST_APP_URL });
      const html = await (await fetch(authorizationUrl)).text();
      const link = /data-shop-id="(\d+)" href="([^"]+)"/.exec(html)!;
      const shopId = Number(link[1]);
      const params = Object.fromEntries(new URL(link[2]!.replaceAll("&amp;", "&")).searchParams.entries());
      const connection = await completeConnect(ctx, { provider: "SHOPEE", sealedFlow, params, appUrl: TEST_APP_URL });
      await runSync(fx, connection.id);
      const done = await runBackfill(fx, connection.id);
      expect(done).toMatchObject({ kind: "done", listings: 40 });

      const t = today();
      const first = new Date(t.getTime() - SALES_BACKFILL_DAYS * DAY_MS);
      const yesterday = new Date(t.getTime() - DAY_MS);
      const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id }, select: { externalId: true, salesSince: true } });
      const expected = new Map<string, number>();
      for (const { externalId } of listings) {
        const index = Number(externalId) % 1_000_000;
        for (let d = first.getTime(); d <= yesterday.getTime(); d += DAY_MS) {
          const { sales } = shopee.catalog.daily(String(shopId), index, dayOf(d));
          if (sales > 0) expected.set(`${externalId} ${dayOf(d)}`, sales);
        }
      }
      expect(expected.size).toBeGreaterThan(10);
      expect(await storedSales(fx, connection.id, first, yesterday)).toEqual(expected);
      expect(listings.every((l) => l.salesSince?.getTime() === first.getTime())).toBe(true);
    } finally {
      restoreShopee();
      await server.close();
    }
  }, 90_000);
});

describe("demo seed entry point", () => {
  it("backfillSalesHistory covers any window in one go with the connector itself", async () => {
    const fx = await createOrgFixture("sales-seed");
    const connection = await connectSeller(fx, 310_000_002);
    await runSync(fx, connection.id);
    const creds = await freshCredentials(jobTenantCtx(db, { organizationId: fx.organizationId }), connection.id);
    if (!creds.ok) throw new Error("no credentials");
    const t = today();
    const from = new Date(t.getTime() - 45 * DAY_MS);
    const result = await backfillSalesHistory(db, fx.organizationId, connection.id, connector, creds.credentials, { from, to: new Date() });
    expect(result.listings).toBe(CATALOG);
    const yesterday = new Date(t.getTime() - DAY_MS);
    const expected = await catalogSales(fx, connection.id, 310_000_002, from, yesterday);
    expect(result.rows).toBe(expected.size);
    expect(await storedSales(fx, connection.id, from, yesterday)).toEqual(expected);
    const since = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id }, select: { salesSince: true } });
    expect(since.every((l) => l.salesSince?.getTime() === from.getTime())).toBe(true);
    // Again: nothing left to do.
    expect(await backfillSalesHistory(db, fx.organizationId, connection.id, connector, creds.credentials, { from, to: new Date() })).toEqual({ listings: 0, rows: 0 });
  }, 60_000);
});

describe("background functions", () => {
  it("the local runner runs connect → first sync → sales backfill end to end", async () => {
    const fx = await createOrgFixture("sales-runner");
    // Connections made earlier queued their own first syncs: retire them so the runner only has
    // this test's work to do.
    await db.connection.updateMany({ where: { provider: "MERCADOLIVRE", organizationId: { not: fx.organizationId } }, data: { status: "DISCONNECTED" } });
    const runner = await startLocalRunner({ functions: [...listingFunctions, ...salesBackfillFunctions], cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 3 });
    try {
      await runner.ready;
      const connection = await connectSeller(fx);
      const first = new Date(today().getTime() - SALES_BACKFILL_DAYS * DAY_MS);
      const deadline = Date.now() + 60_000;
      const backfilled = () =>
        db.jobRun.count({ where: { organizationId: fx.organizationId, functionId: `${INNGEST_APP_ID}-backfill-listing-sales`, status: "COMPLETED" } });
      while ((await backfilled()) === 0) {
        if (Date.now() > deadline) throw new Error("the backfill-listing-sales run never completed");
        await new Promise((r) => setTimeout(r, 200));
      }
      const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id }, select: { salesSince: true } });
      expect(listings).toHaveLength(CATALOG);
      expect(listings.every((l) => l.salesSince?.getTime() === first.getTime())).toBe(true);
      const yesterday = new Date(today().getTime() - DAY_MS);
      expect(await storedSales(fx, connection.id, first, yesterday)).toEqual(await catalogSales(fx, connection.id, SELLER, first, yesterday));
    } finally {
      await runner.stop();
    }
  }, 90_000);
});
