/**
 * Connect flow, token lifecycle, ingestion and listings against a real PostgreSQL and the Mercado
 * Livre sandbox served over HTTP on 127.0.0.1. The app's registry is pointed at that sandbox; the
 * sync services are driven step by step exactly as the background function calls them (and once
 * through the local jobs runner with the real function definitions).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import type { MarketplaceConnector } from "~/server/connectors/marketplace/types";
import { createShopeeConnector } from "~/server/connectors/marketplace/shopee";
import type { MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";
import { createShopeeSandbox } from "~/server/connectors/sandbox/shopee";
import { INNGEST_APP_ID } from "~/server/jobs/client";
import { listingFunctions } from "~/server/jobs/functions/listings-sync";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { logger } from "~/server/lib/logger";
import { decrypt } from "~/server/lib/secrets";
import { beginConnect, completeConnect, disconnect } from "~/server/services/connectors/connectors";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { freshCredentials, refreshConnectionToken } from "~/server/services/connectors/tokens";
import { receiveMarketplaceWebhook } from "~/server/services/connectors/webhooks";
import { startSync, syncItem, syncNextPage, type SyncStepResult } from "~/server/services/listings/sync";
import { serveFetch } from "../helpers/serve-fetch";
import { connectSandboxSeller, serveMercadoLivreSandbox, TEST_APP_URL, type ServedSandbox } from "./helpers/mercadolivre-sandbox";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture, tenantCtxOf } from "./helpers/fixtures";

const CATALOG = 120;
const SELLER = 310_000_001;

let now = Date.now();
const clock = () => now;
let sandbox: MercadoLivreSandbox;
let served: ServedSandbox;
let connector: MarketplaceConnector;

/** The whole browser journey, minus the browser, as the fixture's owner (helpers/mercadolivre-sandbox.ts). */
function connectSeller(fx: OrgFixture, sellerId = SELLER, tamper?: (params: Record<string, string>) => void) {
  return connectSandboxSeller(tenantCtxOf(fx), sellerId, tamper);
}

/** Runs the sync the way the function does: one page per step, honouring waits, until done. */
async function runSync(fx: OrgFixture, connectionId: string, options: { maxSteps?: number; mode?: "full" | "reconcile" } = {}) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  const { generation } = await startSync(ctx, { connectionId, mode: options.mode ?? "full" });
  return continueSync(fx, connectionId, generation, options.maxSteps);
}

async function continueSync(fx: OrgFixture, connectionId: string, generation: number, maxSteps = 200) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  const results: SyncStepResult[] = [];
  for (let i = 0; i < maxSteps; i++) {
    let result: SyncStepResult;
    try {
      result = await syncNextPage(ctx, { connectionId, generation });
    } catch (error) {
      // A failed step: the runner would retry it after a backoff.
      results.push({ kind: "wait", waitMs: 0, done: false });
      if (results.filter((r) => r.kind === "wait").length > 20) throw error;
      continue;
    }
    results.push(result);
    if (result.kind === "wait") await new Promise((r) => setTimeout(r, Math.min(result.waitMs, 1500)));
    if (result.done) break;
  }
  return { generation, results, last: results.at(-1)! };
}

function listingsOf(fx: OrgFixture, connectionId: string) {
  return db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId }, select: { id: true, externalId: true, priceCents: true, title: true } });
}

beforeAll(async () => {
  served = await serveMercadoLivreSandbox({ catalogSize: CATALOG, clock, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "listings-sync-test" });
  ({ sandbox, connector } = served);
});

afterAll(async () => {
  await served?.close();
});

describe("connect flow", () => {
  it("stores encrypted tokens, the consent and audit entries, and queues the first sync", async () => {
    const fx = await createOrgFixture("connect");
    const connection = await connectSeller(fx);
    const row = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row).toMatchObject({ organizationId: fx.organizationId, provider: "MERCADOLIVRE", externalAccountId: String(SELLER), status: "ACTIVE", consentVersion: "mercadolivre-2026-11" });
    expect(row.consentAt).toBeInstanceOf(Date);
    expect(row.accessTokenEnc).toMatch(/^v1\./);
    expect(row.refreshTokenEnc).toMatch(/^v1\./);
    expect(decrypt(row.accessTokenEnc!)).toMatch(/^APP_USR-/);
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
    const actions = (await db.auditLog.findMany({ where: { organizationId: fx.organizationId, targetId: connection.id } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["connection.connected", "connection.consentRecorded"]));
    // Nothing the API returns carries a token.
    const cards = await (await callerFor(fx.users.VIEWER.userId)).connectors.cards();
    expect(JSON.stringify(cards)).not.toContain(decrypt(row.accessTokenEnc!));
    expect(JSON.stringify(cards)).not.toMatch(/APP_USR-|TG-/);
  });

  it("refuses a callback whose state does not match, without storing anything", async () => {
    const fx = await createOrgFixture("badstate");
    await expect(connectSeller(fx, SELLER, (p) => (p.state = "forged-state-value-000000"))).rejects.toMatchObject({ reason: "oauthState" });
    expect(await db.connection.count({ where: { organizationId: fx.organizationId, provider: "MERCADOLIVRE", externalAccountId: String(SELLER) } })).toBe(0);
  });

  it("refuses to start without the current consent version", async () => {
    const fx = await createOrgFixture("noconsent");
    await expect(beginConnect(tenantCtxOf(fx), { provider: "MERCADOLIVRE", consentVersion: null, appUrl: TEST_APP_URL })).rejects.toMatchObject({ reason: "consentRequired" });
  });

  it("lets another organization connect the same seller account as its own row", async () => {
    const [a, b] = [await createOrgFixture("twin-a"), await createOrgFixture("twin-b")];
    const ca = await connectSeller(a);
    const cb = await connectSeller(b);
    expect(ca.id).not.toBe(cb.id);
    // Reconnecting within one organization updates the same row.
    expect((await connectSeller(a)).id).toBe(ca.id);
  });

  it("disconnect deletes the tokens, marks DISCONNECTED and audits", async () => {
    const fx = await createOrgFixture("disc");
    const connection = await connectSeller(fx);
    await disconnect(tenantCtxOf(fx), { connectionId: connection.id });
    const row = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(row).toMatchObject({ status: "DISCONNECTED", accessTokenEnc: null, refreshTokenEnc: null });
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "connection.disconnected" } })).toBe(1);
  });
});

describe("initial sync", () => {
  it("ingests every listing with its metrics, and a rerun creates no duplicates", async () => {
    const fx = await createOrgFixture("sync");
    const connection = await connectSeller(fx);
    const { last } = await runSync(fx, connection.id);
    expect(last).toMatchObject({ kind: "done", processed: CATALOG });
    const listings = await listingsOf(fx, connection.id);
    expect(listings).toHaveLength(CATALOG);
    expect(new Set(listings.map((l) => l.externalId)).size).toBe(CATALOG);
    const today = new Date(new Date().toISOString().slice(0, 10));
    expect(await db.listingMetricSnapshot.count({ where: { organizationId: fx.organizationId, date: today } })).toBe(CATALOG);
    // Visits history from the marketplace (it reports with a delay, so days before today).
    const withVisits = await db.listingMetricSnapshot.count({ where: { organizationId: fx.organizationId, visits: { gt: 0 } } });
    expect(withVisits).toBeGreaterThan(CATALOG);
    const sync = await db.connectionSync.findUniqueOrThrow({ where: { connectionId: connection.id } });
    expect(sync).toMatchObject({ state: "COMPLETED", processed: CATALOG, total: CATALOG });
    expect((await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).lastSyncAt).toBeInstanceOf(Date);

    await runSync(fx, connection.id, { mode: "reconcile" });
    expect(await db.listing.count({ where: { organizationId: fx.organizationId } })).toBe(CATALOG + 1); // + the fixture's own listing
    expect(await db.listingMetricSnapshot.count({ where: { organizationId: fx.organizationId, date: today } })).toBe(CATALOG);
  }, 60_000);

  it("resumes after a crash mid-sync from the stored cursor: nothing missing, nothing duplicated", async () => {
    const fx = await createOrgFixture("crash");
    const connection = await connectSeller(fx);
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const { generation } = await startSync(ctx, { connectionId: connection.id, mode: "full" });
    await syncNextPage(ctx, { connectionId: connection.id, generation });
    // The next page's ids are read, then the item fetch fails (5xx): the step dies mid-way.
    sandbox.setFaults({ serverErrors: 30 });
    await expect(syncNextPage(ctx, { connectionId: connection.id, generation })).rejects.toThrow();
    const midway = await db.connectionSync.findUniqueOrThrow({ where: { connectionId: connection.id } });
    expect(midway.processed).toBeGreaterThan(0);
    sandbox.setFaults({});
    // The same step again (a retry, or a new process after a crash) picks up from what is stored.
    const { last } = await continueSync(fx, connection.id, generation);
    expect(last.kind).toBe("done");
    const listings = await listingsOf(fx, connection.id);
    expect(listings).toHaveLength(CATALOG);
    expect(new Set(listings.map((l) => l.externalId)).size).toBe(CATALOG);
  }, 60_000);

  it("survives a 429 storm without losing a page", async () => {
    const fx = await createOrgFixture("storm");
    const connection = await connectSeller(fx);
    sandbox.setFaults({ rateLimited: 6 });
    const { last, results } = await runSync(fx, connection.id);
    sandbox.setFaults({});
    expect(last).toMatchObject({ kind: "done", processed: CATALOG });
    expect(results.filter((r) => r.kind === "stopped")).toEqual([]);
    expect(await listingsOf(fx, connection.id)).toHaveLength(CATALOG);
  }, 60_000);

  it("refreshes an access token that expires mid-sync and carries on", async () => {
    const fx = await createOrgFixture("expiry");
    const connection = await connectSeller(fx);
    const before = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const { generation } = await startSync(ctx, { connectionId: connection.id, mode: "full" });
    await syncNextPage(ctx, { connectionId: connection.id, generation });
    // Four hours pass on the marketplace's clock: the access token (3 h) is dead there.
    now += 4 * 3_600_000;
    try {
      const { last } = await continueSync(fx, connection.id, generation);
      expect(last).toMatchObject({ kind: "done", processed: CATALOG });
    } finally {
      now = Date.now();
    }
    const after = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after.status).toBe("ACTIVE");
    expect(decrypt(after.refreshTokenEnc!)).not.toBe(decrypt(before.refreshTokenEnc!));
    expect(decrypt(after.accessTokenEnc!)).not.toBe(decrypt(before.accessTokenEnc!));
    expect(await listingsOf(fx, connection.id)).toHaveLength(CATALOG);
  }, 60_000);
});

describe("token refresh", () => {
  it("serialises concurrent refreshes: the single-use refresh token is spent once", async () => {
    const fx = await createOrgFixture("serial");
    const connection = await connectSeller(fx);
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const stale = decrypt((await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).accessTokenEnc!);
    const results = await Promise.all([1, 2, 3].map(() => refreshConnectionToken(ctx, connection.id, { force: true, rejectedAccessToken: stale })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).status).toBe("ACTIVE");
  });

  it("a reused refresh token → NEEDS_RECONNECT with a clear error, and the stored refresh token is kept", async () => {
    const fx = await createOrgFixture("reuse");
    const connection = await connectSeller(fx);
    const before = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    // Someone else spends the refresh token first (another app instance, a copied token…).
    await connector.refresh(decrypt(before.refreshTokenEnc!), { externalAccountId: before.externalAccountId });
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const result = await refreshConnectionToken(ctx, connection.id, { force: true });
    expect(result).toEqual({ ok: false, reason: "needs_reconnect" });
    const after = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(after.status).toBe("NEEDS_RECONNECT");
    expect(after.lastError).toContain("Reconnect");
    expect(after.refreshTokenEnc).toBe(before.refreshTokenEnc);
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "connection.needsReconnect" } })).toBe(1);
    // A sync now stops cleanly instead of hammering the marketplace.
    expect(await freshCredentials(ctx, connection.id)).toEqual({ ok: false, reason: "needs_reconnect" });
    const { last } = await runSync(fx, connection.id);
    expect(last).toMatchObject({ kind: "stopped" });
  });
});

describe("notifications", () => {
  it("a duplicated notification is recorded once and updates the listing once; a bad one is rejected and stores nothing", async () => {
    const fx = await createOrgFixture("notify");
    const connection = await connectSeller(fx, 310_000_003);
    await runSync(fx, connection.id);
    const creds = await freshCredentials(jobTenantCtx(db, { organizationId: fx.organizationId }), connection.id);
    if (!creds.ok) throw new Error("no credentials");
    const active = (await db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId: connection.id, status: "ACTIVE", stock: { gt: 0 } } }))!;
    await connector.updateItem(creds.credentials, active.externalId, { stock: active.stock + 7 });

    const body = JSON.stringify({
      _id: `notif-${Date.now()}`,
      resource: `/items/${active.externalId}`,
      user_id: 310_000_003,
      topic: "items",
      application_id: Number(sandbox.clientId),
      attempts: 1,
      sent: new Date().toISOString(),
      received: new Date().toISOString(),
    });
    const webhook = { url: `${TEST_APP_URL}/api/v1/webhooks/mercadolivre`, headers: new Headers({ "content-type": "application/json" }), rawBody: body };
    const first = await receiveMarketplaceWebhook(db, logger, "MERCADOLIVRE", webhook);
    const second = await receiveMarketplaceWebhook(db, logger, "MERCADOLIVRE", webhook);
    expect(first).toMatchObject({ status: 200, accepted: 1 });
    expect(second).toMatchObject({ status: 200, accepted: 0, duplicates: 1 });
    const parsed = connector.parseNotification(body)[0]!;
    expect(await db.processedExternalEvent.count({ where: { source: "marketplace:mercadolivre", externalId: parsed.id } })).toBe(1);

    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    expect(await syncItem(ctx, { connectionId: connection.id, externalItemId: active.externalId })).toMatchObject({ updated: true });
    const updated = await db.listing.findUniqueOrThrow({ where: { id: active.id } });
    expect(updated.stock).toBe(active.stock + 7);

    const before = await db.processedExternalEvent.count();
    const forged = { ...webhook, rawBody: body.replace(String(sandbox.clientId), "999") };
    expect(await receiveMarketplaceWebhook(db, logger, "MERCADOLIVRE", forged)).toMatchObject({ status: 401 });
    expect(await db.processedExternalEvent.count()).toBe(before);
  }, 60_000);
});

describe("listings API", () => {
  let fx: OrgFixture;
  let other: OrgFixture;
  let connectionId: string;
  beforeAll(async () => {
    fx = await createOrgFixture("list");
    other = await createOrgFixture("list-other");
    connectionId = (await connectSeller(fx, 310_000_002)).id;
    await runSync(fx, connectionId);
  }, 60_000);

  it("pages through every listing by cursor, in every sort order, without repeats", async () => {
    const api = await callerFor(fx.users.VIEWER.userId);
    for (const sort of ["recent", "title", "price_desc", "health_asc"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await api.listings.list({ limit: 37, cursor, sort });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.length, sort).toBe(CATALOG + 1);
      expect(new Set(seen).size, sort).toBe(CATALOG + 1);
    }
  });

  it("filters by marketplace, status, category and title", async () => {
    const api = await callerFor(fx.users.VIEWER.userId);
    const all = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId } });
    const active = await api.listings.list({ limit: 100, status: "ACTIVE" });
    expect(active.items.every((i) => i.status === "ACTIVE")).toBe(true);
    const category = all.find((l) => l.categoryId)!.categoryId!;
    const byCategory = await api.listings.list({ limit: 100, categoryId: category });
    expect(byCategory.items.length).toBe(all.filter((l) => l.categoryId === category).length);
    const word = all[0]!.title.split(" ")[0]!;
    const bySearch = await api.listings.list({ limit: 100, search: word.toLowerCase() });
    expect(bySearch.items.length).toBeGreaterThan(0);
    expect(bySearch.items.every((i) => i.title.toLowerCase().includes(word.toLowerCase()))).toBe(true);
    expect((await api.listings.list({ limit: 10, provider: "SHOPEE" })).items).toEqual([]);
    expect((await api.listings.list({ limit: 10, health: "unscored" })).items.length).toBe(10);
  });

  it("serves a listing's metrics, and another organization gets NOT_FOUND", async () => {
    const [listing] = await listingsOf(fx, connectionId);
    const api = await callerFor(fx.users.VIEWER.userId);
    const metrics = await api.listings.metrics({ id: listing!.id, days: 30 });
    expect(metrics.points.length).toBeGreaterThan(1);
    expect(metrics.points.at(-1)!.date).toBe(new Date().toISOString().slice(0, 10));
    const stranger = await callerFor(other.users.OWNER.userId);
    expect(await outcome(() => stranger.listings.get({ id: listing!.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => stranger.listings.metrics({ id: listing!.id, days: 30 }))).toBe("NOT_FOUND");
    // A foreign cursor leaks nothing either.
    expect((await stranger.listings.list({ limit: 10, cursor: listing!.id })).items).toEqual([]);
  });
});

describe("background functions", () => {
  it("the local runner runs the first sync queued by the connect flow to completion", async () => {
    const fx = await createOrgFixture("runner");
    // The connections made above queued their own first syncs: retire them so the runner only
    // has this test's work to do.
    await db.connection.updateMany({ where: { provider: "MERCADOLIVRE", organizationId: { not: fx.organizationId } }, data: { status: "DISCONNECTED" } });
    const runner = await startLocalRunner({ functions: listingFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 3 });
    try {
      await runner.ready;
      const connection = await connectSeller(fx);
      const deadline = Date.now() + 45_000;
      for (;;) {
        const sync = await db.connectionSync.findUnique({ where: { connectionId: connection.id } });
        if (sync?.state === "COMPLETED") break;
        if (Date.now() > deadline) throw new Error(`sync did not finish: ${JSON.stringify(sync)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(await listingsOf(fx, connection.id)).toHaveLength(CATALOG);
      // The run itself is marked complete a moment after its last step stored the sync's state.
      const completedRun = () =>
        db.jobRun.count({ where: { organizationId: fx.organizationId, functionId: `${INNGEST_APP_ID}-sync-listings`, status: "COMPLETED" } });
      while ((await completedRun()) === 0) {
        if (Date.now() > deadline) throw new Error("the sync-listings run never completed");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await runner.stop();
    }
  }, 60_000);
});

describe("Shopee", () => {
  it("connects through the Shopee sandbox's authorization page (state inside the redirect) and ingests every item", async () => {
    const shopee = createShopeeSandbox({ seed: "listings-sync", catalogSize: 90, rateLimitPerSecond: 0, pushUrl: null });
    const server = await serveFetch((request) => shopee.handler(request));
    let skewMs = 0; // the client signs with Shopee's time, so it follows the sandbox clock
    const restoreShopee = setMarketplaceConnector(
      createShopeeConnector({
        apiUrl: server.url + "/api/sandbox/shopee",
        partnerId: shopee.partnerId,
        partnerKey: shopee.partnerKey,
        isSandbox: true,
        timeoutMs: 5_000,
        now: () => Date.now() + skewMs,
      }),
    );
    setPacingRate("SHOPEE", 500);
    try {
      const fx = await createOrgFixture("shopee");
      const ctx = tenantCtxOf(fx);
      const { authorizationUrl, sealedFlow } = await beginConnect(ctx, { provider: "SHOPEE", consentVersion: "shopee-2026-11", appUrl: TEST_APP_URL });
      const html = await (await fetch(authorizationUrl)).text();
      const link = /data-shop-id="\d+" href="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
      const params = Object.fromEntries(new URL(link).searchParams.entries());
      const connection = await completeConnect(ctx, { provider: "SHOPEE", sealedFlow, params, appUrl: TEST_APP_URL });
      const { last } = await runSync(fx, connection.id);
      expect(last).toMatchObject({ kind: "done", processed: 90 });
      expect(await db.listing.count({ where: { organizationId: fx.organizationId, provider: "SHOPEE" } })).toBe(90);

      // Shopee reports lifetime views only: the first sync stores the totals and no daily visits
      // (never the whole lifetime as one day); the next sync records the growth.
      const lifetime = async () =>
        (await db.listing.findMany({ where: { organizationId: fx.organizationId, provider: "SHOPEE" }, select: { visitsLifetime: true } })).reduce(
          (sum, l) => sum + (l.visitsLifetime ?? NaN),
          0,
        );
      const dailyVisits = async () =>
        (await db.listingMetricSnapshot.aggregate({ where: { organizationId: fx.organizationId }, _sum: { visits: true } }))._sum.visits ?? 0;
      const before = await lifetime();
      expect(before).toBeGreaterThan(0);
      expect(await dailyVisits()).toBe(0);
      shopee.advanceClock(86_400); // a day later on Shopee's side: more views
      skewMs = 86_400_000;
      const second = await runSync(fx, connection.id, { mode: "reconcile" });
      expect(second.last, JSON.stringify(second.last)).toMatchObject({ kind: "done" });
      const after = await lifetime();
      expect(after).toBeGreaterThan(before);
      expect(await dailyVisits()).toBe(after - before);
    } finally {
      restoreShopee();
      await server.close();
    }
  }, 60_000);
});
