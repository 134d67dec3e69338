/**
 * Market signals and ingestion of the score's inputs against the Mercado Livre sandbox served over
 * HTTP on 127.0.0.1 and a real PostgreSQL: a sync stores tags, variations and catalog flags; the
 * market-signals step stores the quality report (null while the marketplace has not computed it)
 * and the price reference, honours rate limits, skips fresh listings; the functions chain
 * market-signals → recompute on the local runner.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { MarketplaceConnector } from "~/server/connectors/marketplace/types";
import type { MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";
import { inngest } from "~/server/jobs/client";
import { listingChanged, marketSignalsRequested, scoresRecomputed } from "~/server/jobs/events";
import { listingFunctions } from "~/server/jobs/functions/listings-sync";
import { scoreFunctions } from "~/server/jobs/functions/scores";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { freshCredentials } from "~/server/services/connectors/tokens";
import { startSync, syncNextPage } from "~/server/services/listings/sync";
import { fetchMarketSignalsBatch, type MarketSignalsStep } from "~/server/services/scores/market-signals";
import { recomputeScores } from "~/server/services/scores/recompute";
import { connectSandboxSeller, serveMercadoLivreSandbox, type ServedSandbox } from "./helpers/mercadolivre-sandbox";
import { createOrgFixture, db, type OrgFixture, tenantCtxOf } from "./helpers/fixtures";

const CATALOG = 60;

let sandbox: MercadoLivreSandbox;
let served: ServedSandbox;
let connector: MarketplaceConnector;

function connectSeller(fx: OrgFixture, sellerId: number) {
  return connectSandboxSeller(tenantCtxOf(fx), sellerId);
}

async function syncAll(fx: OrgFixture, connectionId: string) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  const { generation } = await startSync(ctx, { connectionId, mode: "full" });
  for (let i = 0; i < 50; i++) {
    const result = await syncNextPage(ctx, { connectionId, generation });
    if (result.done) return result;
  }
  throw new Error("sync did not finish");
}

/** Runs the market-signals steps the way the function does, until done. */
async function fetchAllSignals(fx: OrgFixture, connectionId: string, listingIds?: string[]) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  const steps: MarketSignalsStep[] = [];
  for (let i = 0; i < 100; i++) {
    const step = await fetchMarketSignalsBatch(ctx, { connectionId, listingIds, limit: 10 });
    steps.push(step);
    if (step.kind === "wait") await new Promise((r) => setTimeout(r, Math.min(step.waitMs, 1500)));
    if (step.done) return steps;
  }
  throw new Error("market signals did not finish");
}

beforeAll(async () => {
  served = await serveMercadoLivreSandbox({ catalogSize: CATALOG, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "scores-signals-test" });
  ({ sandbox, connector } = served);
});

afterAll(async () => {
  await served?.close();
});

describe("market signals", () => {
  let fx: OrgFixture;
  let connectionId: string;

  beforeAll(async () => {
    fx = await createOrgFixture("signals");
    connectionId = (await connectSeller(fx, 310_000_021)).id;
    await syncAll(fx, connectionId);
  }, 60_000);

  it("ingestion stores each item's flags, variations and catalog status as the marketplace reports them", async () => {
    const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId } });
    expect(listings).toHaveLength(CATALOG);
    const creds = await freshCredentials(jobTenantCtx(db, { organizationId: fx.organizationId }), connectionId);
    if (!creds.ok) throw new Error("no credentials");
    const items = await connector.getItems(creds.credentials, listings.map((l) => l.externalId));
    for (const item of items) {
      const listing = listings.find((l) => l.externalId === item.externalId)!;
      expect({ tags: listing.tags, hasVariations: listing.hasVariations, catalogListing: listing.catalogListing }).toEqual({
        tags: item.tags ?? [],
        hasVariations: item.hasVariations,
        catalogListing: item.catalogListing,
      });
    }
    // The seeded catalog carries some of each, so the comparison above means something.
    expect(listings.some((l) => l.tags.length > 0)).toBe(true);
    expect(listings.some((l) => l.hasVariations)).toBe(true);
  });

  it("stores the quality report, price reference and description of every open listing; null while not computed", async () => {
    const steps = await fetchAllSignals(fx, connectionId);
    expect(steps.at(-1)!.kind).toBe("done");
    const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId } });
    const open = listings.filter((l) => l.status !== "CLOSED");
    expect(open.every((l) => l.marketSignalsAt !== null)).toBe(true);
    expect(listings.filter((l) => l.status === "CLOSED").every((l) => l.marketSignalsAt === null)).toBe(true);

    const creds = await freshCredentials(jobTenantCtx(db, { organizationId: fx.organizationId }), connectionId);
    if (!creds.ok) throw new Error("no credentials");
    let computed = 0;
    let pending = 0;
    for (const listing of open) {
      const quality = await connector.getQuality(creds.credentials, listing.externalId);
      const price = await connector.getPriceReference(creds.credentials, listing.externalId);
      expect(listing.qualityScore, listing.externalId).toBe(quality ? Math.round(quality.score) : null);
      expect(listing.qualityLevel).toBe(quality?.level ?? null);
      expect(listing.qualityRules).toEqual(quality ? quality.rules : null);
      expect(listing.suggestedPriceCents).toBe(price?.suggestedPriceCents ?? null);
      // Mercado Livre's description is read with the signals (its item read leaves it out).
      expect(listing.description).toBe(await connector.getDescription!(creds.credentials, listing.externalId));
      if (quality) computed++;
      else pending++;
    }
    // The sandbox leaves a share of reports "not computed yet" (404): both cases are covered.
    expect(computed).toBeGreaterThan(0);
    expect(pending).toBeGreaterThan(0);
    expect(open.some((l) => l.description !== null)).toBe(true);

    // Fresh signals are not fetched again within a day.
    expect(await fetchAllSignals(fx, connectionId)).toEqual([{ kind: "done", fetched: 0, done: true }]);
  }, 60_000);

  it("waits out 429s and carries on, and refetches stale signals of only the listings asked for", async () => {
    const [a, b] = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId, status: "ACTIVE" }, take: 2, orderBy: { id: "asc" } });
    const stale = new Date(Date.now() - 25 * 3_600_000);
    await db.listing.updateMany({ where: { id: { in: [a!.id, b!.id] } }, data: { marketSignalsAt: stale, suggestedPriceCents: 1 } });
    sandbox.setFaults({ rateLimited: 3 });
    const steps = await fetchAllSignals(fx, connectionId, [a!.id]);
    expect(steps.reduce((n, s) => n + ("fetched" in s ? s.fetched : 0), 0)).toBe(1);
    const [after, untouched] = await Promise.all([
      db.listing.findUniqueOrThrow({ where: { id: a!.id } }),
      db.listing.findUniqueOrThrow({ where: { id: b!.id } }),
    ]);
    expect(after.suggestedPriceCents).not.toBe(1);
    expect(after.marketSignalsAt!.getTime()).toBeGreaterThan(stale.getTime());
    expect(untouched.suggestedPriceCents).toBe(1);
  }, 30_000);

  it("scores with the signals: a computed report is an input, a missing one lowers confidence", async () => {
    await recomputeScores(db, fx.organizationId);
    const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId, status: "ACTIVE" }, include: { healthScores: true } });
    for (const listing of listings) {
      const [row] = listing.healthScores;
      expect(listing.healthScore).not.toBeNull();
      expect(row!.missingInputs.includes("qualityScore")).toBe(listing.qualityScore === null);
    }
  });
});

describe("functions", () => {
  it("market-signals.requested fetches the signals, then the scores are recomputed and announced", async () => {
    const fx = await createOrgFixture("signals-chain");
    const connection = await connectSeller(fx, 310_000_022);
    await syncAll(fx, connection.id);
    const announced: string[] = [];
    const listener = inngest.createFunction({ id: "test-signals-recomputed", triggers: [scoresRecomputed], retries: 0 }, async ({ event }) => {
      announced.push(event.data.organizationId);
    });
    const runner = await startLocalRunner({ functions: [...scoreFunctions, listener], cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 3 });
    try {
      await runner.ready;
      await inngest.send(marketSignalsRequested.create({ organizationId: fx.organizationId, connectionId: connection.id }));
      const deadline = Date.now() + 45_000;
      while (!announced.includes(fx.organizationId)) {
        if (Date.now() > deadline) throw new Error("scores/recomputed never arrived");
        await new Promise((r) => setTimeout(r, 150));
      }
      const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id, status: { not: "CLOSED" } } });
      expect(listings.every((l) => l.marketSignalsAt !== null && l.healthScore !== null)).toBe(true);
    } finally {
      await runner.stop();
    }
  }, 60_000);

  it("the connect flow's sync → market signals → scores; then a notification's item sync refreshes that listing only", async () => {
    const fx = await createOrgFixture("signals-item");
    // Syncs queued by earlier tests' connect flows are not this test's business.
    await db.connection.updateMany({ where: { provider: "MERCADOLIVRE", organizationId: { not: fx.organizationId } }, data: { status: "DISCONNECTED" } });
    const recomputed: (string[] | undefined)[] = [];
    const listener = inngest.createFunction({ id: "test-item-recomputed", triggers: [scoresRecomputed], retries: 0 }, async ({ event }) => {
      if (event.data.organizationId === fx.organizationId) recomputed.push(event.data.listingIds);
    });
    const runner = await startLocalRunner({ functions: [...listingFunctions, ...scoreFunctions, listener], cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 3 });
    const waitFor = async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 45_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`${what} never happened`);
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    try {
      await runner.ready;
      // Connecting queues the first sync; its end queues the signals, whose end queues the scores.
      const connection = await connectSeller(fx, 310_000_023);
      await waitFor(() => recomputed.length > 0, "the organization's recompute after the first sync");
      expect(recomputed).toEqual([undefined]);
      const synced = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id } });
      expect(synced).toHaveLength(CATALOG);
      expect(synced.filter((l) => l.status !== "CLOSED").every((l) => l.marketSignalsAt !== null && l.healthScore !== null)).toBe(true);

      // A day later a notification arrives about one item.
      const target = synced.find((l) => l.status === "ACTIVE")!;
      const dayOld = new Date(Date.now() - 25 * 3_600_000);
      await db.listing.update({ where: { id: target.id }, data: { marketSignalsAt: dayOld, suggestedPriceCents: 1 } });
      const before = new Map(synced.map((l) => [l.id, l.marketSignalsAt?.getTime() ?? null]));
      recomputed.length = 0;
      await inngest.send(
        listingChanged.create({ organizationId: fx.organizationId, connectionId: connection.id, externalItemId: target.externalId, notificationId: `test-${Date.now()}` }),
      );
      await waitFor(() => recomputed.length > 0, "the listing's recompute after its item sync");
      expect(recomputed).toEqual([[target.id]]);
      const after = await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id } });
      const refreshed = after.find((l) => l.id === target.id)!;
      expect(refreshed.marketSignalsAt!.getTime()).toBeGreaterThan(dayOld.getTime());
      expect(refreshed.suggestedPriceCents).not.toBe(1);
      // Every other listing kept the signals it had.
      expect(after.filter((l) => l.id !== target.id).every((l) => (l.marketSignalsAt?.getTime() ?? null) === before.get(l.id))).toBe(true);
    } finally {
      await runner.stop();
    }
  }, 90_000);
});
