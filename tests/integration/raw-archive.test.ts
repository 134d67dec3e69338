/**
 * The raw archive against real PostgreSQL and the Mercado Livre / Instagram sandboxes over HTTP:
 * a sync writes gzip JSON lines partitioned by org/provider/date; with the sandbox stopped (and a
 * connector that fails the test on any call), the reprocess function rebuilds the deleted listings
 * and metrics from the archive, field by field equal to the original ingestion. Another
 * organization never sees or reads the archive; retention prunes old partitions per organization.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";

import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import { createShopeeConnector } from "~/server/connectors/marketplace/shopee";
import { createShopeeSandbox } from "~/server/connectors/sandbox/shopee";
import type { MarketplaceConnector } from "~/server/connectors/marketplace/types";
import { createInstagramSandbox, SANDBOX_INSTAGRAM_ACCOUNTS, instagramSandboxHistory } from "~/server/connectors/sandbox/instagram";
import { createInstagramConnector } from "~/server/connectors/social/instagram";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { SocialConnector } from "~/server/connectors/social/types";
import { reprocessArchive } from "~/server/jobs/functions/archive";
import { privacyRetention } from "~/server/jobs/functions/privacy";
import { env } from "~/env";
import { decrypt, encrypt } from "~/server/lib/secrets";
import { LocalDiskStorage } from "~/server/media/storage";
import { syncSocialAnalytics } from "~/server/services/analytics/sync";
import { pruneRawArchive, removeErasedRawArchive } from "~/server/services/archive/archive";
import { RawArchiveRecorder, rawArchiveStats, readArchiveObject, setRawArchiveStorage, type ArchiveLine } from "~/server/services/archive/raw-archive";
import { beginConnect, completeConnect } from "~/server/services/connectors/connectors";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { backfillSalesDay } from "~/server/services/listings/sales-backfill";
import { startSync, syncNextPage } from "~/server/services/listings/sync";
import { fetchMarketSignalsBatch } from "~/server/services/scores/market-signals";
import { logger } from "~/server/lib/logger";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, db, outcome, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";
import { connectSandboxSeller, serveMercadoLivreSandbox, TEST_APP_URL, type ServedSandbox } from "./helpers/mercadolivre-sandbox";

const CATALOG = 60;
const SELLER = 310_000_077;
const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "raw-archive-test-"));
  setRawArchiveStorage(new LocalDiskStorage(root));
});

afterAll(async () => {
  setRawArchiveStorage(null);
  await rm(root, { recursive: true, force: true });
});

/** Every file under the archive root, as keys relative to it. */
async function archiveKeys(): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/")).sort();
}

async function linesOf(key: string): Promise<ArchiveLine[]> {
  const text = gunzipSync(await readFile(path.join(root, key))).toString("utf8");
  return text.trim().split("\n").map((l) => JSON.parse(l) as ArchiveLine);
}

/** A connector whose every method fails the test: reprocessing must never reach a provider. */
function tripwire<T extends object>(provider: string, calls: string[]): T {
  return new Proxy({ provider, isSandbox: true } as T, {
    get(target, prop) {
      if (prop in target) return (target as Record<string | symbol, unknown>)[prop];
      if (typeof prop !== "string" || prop === "then") return undefined;
      return () => {
        calls.push(`${provider}.${prop}`);
        throw new Error(`provider called during reprocess: ${prop}`);
      };
    },
  });
}

function reprocess(data: { organizationId: string; kind: "listings" | "metrics"; from: string; to: string; connectionId?: string }) {
  const t = new InngestTestEngine({ function: reprocessArchive, events: [{ name: "archive/reprocess.requested", data }] });
  return t.execute();
}

const omit = <T extends Record<string, unknown>>(row: T, keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

describe("listings: archive and reprocess", () => {
  let served: ServedSandbox;
  let fx: OrgFixture;
  let other: OrgFixture;
  let connectionId: string;
  let requests = 0;

  beforeAll(async () => {
    served = await serveMercadoLivreSandbox(
      { catalogSize: CATALOG, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "raw-archive-test" },
      {
        wrap: (handler) => (request) => {
          requests += 1;
          return handler(request);
        },
      },
    );
    fx = await createOrgFixture("archive");
    other = await createOrgFixture("archive-other");
    connectionId = (await connectSandboxSeller(tenantCtxOf(fx), SELLER)).id;
  });

  afterAll(async () => {
    await served?.close().catch(() => undefined);
  });

  async function runSync(mode: "full" | "reconcile" = "full") {
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const { generation } = await startSync(ctx, { connectionId, mode });
    for (let i = 0; i < 50; i++) {
      const result = await syncNextPage(ctx, { connectionId, generation });
      if (result.done) return result;
    }
    throw new Error("sync did not finish");
  }

  const listingRows = () =>
    db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId }, orderBy: { externalId: "asc" } });
  async function snapshotRows() {
    const rows = await db.listingMetricSnapshot.findMany({ where: { organizationId: fx.organizationId }, include: { listing: { select: { externalId: true } } } });
    return rows
      .sort((a, b) => `${a.listing.externalId}${a.date.toISOString()}`.localeCompare(`${b.listing.externalId}${b.date.toISOString()}`))
      // created_at of a past day's row is the database's insert time (bookkeeping, not ingested data).
      .map((r) => ({ ...omit(r, ["id", "listingId", "listing", "createdAt"]), externalId: r.listing.externalId }));
  }

  it("archives every fetched payload as gzip JSON lines under org/provider/date, without tokens", async () => {
    expect(await runSync()).toMatchObject({ kind: "done", processed: CATALOG });
    const keys = await archiveKeys();
    expect(keys.length).toBeGreaterThan(0);
    const pattern = new RegExp(`^org=${fx.organizationId}/provider=MERCADOLIVRE/date=${today()}/listings-[A-Za-z0-9]+-[a-z0-9]+\\.jsonl\\.gz$`);
    for (const key of keys) expect(key).toMatch(pattern);

    const lines = (await Promise.all(keys.map(linesOf))).flat();
    for (const line of lines) {
      expect(line).toMatchObject({ v: 1, kind: "listings", provider: "MERCADOLIVRE", connectionId });
      expect(Date.parse(line.fetchedAt)).not.toBeNaN();
      expect(typeof line.request.op).toBe("string");
    }
    const items = lines.filter((l) => l.request.op === "getItems").flatMap((l) => l.payload as { externalId: string }[]);
    expect(new Set(items.map((i) => i.externalId)).size).toBe(CATALOG);
    expect(lines.some((l) => l.request.op === "getVisits")).toBe(true);
    expect(lines.some((l) => l.request.op === "listItemIds")).toBe(true);

    // The stored access token appears in no archived byte.
    const row = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    const token = decrypt(row.accessTokenEnc!);
    for (const key of keys) expect(gunzipSync(await readFile(path.join(root, key))).toString("utf8")).not.toContain(token);
    expect(JSON.stringify(lines)).not.toMatch(/APP_USR-|TG-/);
  });

  it("rebuilds the deleted listings and snapshots from the archive with the sandbox stopped, field by field", async () => {
    // A second pass after sales and a price change on the marketplace: the day's sales are the growth
    // between the two syncs, so the replay must apply the archived pages in their order to match.
    const changed = (await listingRows()).slice(0, 3);
    for (const listing of changed) {
      const answer = await fetch(`${served.url}/_sandbox/items/${listing.externalId}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sold_quantity: listing.soldQuantity + 5, price: listing.priceCents / 100 + 10 }),
      });
      expect(answer.status).toBe(200);
    }
    expect(await runSync("reconcile")).toMatchObject({ kind: "done" });
    const grown = await db.listingMetricSnapshot.findMany({ where: { organizationId: fx.organizationId, date: new Date(`${today()}T00:00:00Z`), sales: 5 } });
    expect(grown).toHaveLength(3);

    const originalListings = (await listingRows()).map((l) => omit(l, ["id"]));
    const originalSnapshots = await snapshotRows();
    expect(originalListings).toHaveLength(CATALOG);
    expect(originalSnapshots.length).toBeGreaterThan(CATALOG);

    await served.close();
    const before = requests;
    const calls: string[] = [];
    const restore = setMarketplaceConnector(tripwire<MarketplaceConnector>("MERCADOLIVRE", calls));
    try {
      await db.listingMetricSnapshot.deleteMany({ where: { organizationId: fx.organizationId } });
      await db.listing.deleteMany({ where: { organizationId: fx.organizationId } });
      expect(await db.listing.count({ where: { organizationId: fx.organizationId } })).toBe(0);

      const { result } = await reprocess({ organizationId: fx.organizationId, kind: "listings", from: today(), to: today() });
      // Two passes (full, then reconcile) of the whole catalog were archived and replayed.
      expect(result).toMatchObject({ listings: 2 * CATALOG, newerKept: 0, skipped: 0 });
      expect(calls).toEqual([]);
      expect(requests).toBe(before);

      expect((await listingRows()).map((l) => omit(l, ["id"]))).toEqual(originalListings);
      expect(await snapshotRows()).toEqual(originalSnapshots);

      // Replaying over the rebuilt state changes nothing: the full pass's pages would rewind the
      // listings the reconcile stored later (and count the day's sales twice), so they are left alone;
      // the reconcile's pages store the same values again (no growth).
      const { result: again } = await reprocess({ organizationId: fx.organizationId, kind: "listings", from: today(), to: today() });
      expect(again).toMatchObject({ listings: CATALOG, newerKept: CATALOG });
      expect((await listingRows()).map((l) => omit(l, ["id"]))).toEqual(originalListings);
      expect(await snapshotRows()).toEqual(originalSnapshots);
    } finally {
      restore();
    }
  });

  it("never reads another organization's archive", async () => {
    const fixtureListings = await db.listing.count({ where: { organizationId: other.organizationId } });
    const { result } = await reprocess({ organizationId: other.organizationId, kind: "listings", from: "2000-01-01", to: "2100-01-01" });
    expect(result).toMatchObject({ objects: 0, listings: 0 });
    expect(await db.listing.count({ where: { organizationId: other.organizationId } })).toBe(fixtureListings);

    const [someKey] = await archiveKeys();
    await expect(readArchiveObject(other.organizationId, { key: someKey!, size: 1 })).rejects.toThrow(/outside the organization/);

    const mine = await (await callerFor(fx.users.OWNER.userId)).archive.list();
    expect(mine.partitions).toEqual([expect.objectContaining({ provider: "MERCADOLIVRE", date: today(), kind: "listings" })]);
    expect(mine.partitions[0]!.bytes).toBeGreaterThan(0);
    expect(mine.totalBytes).toBe(mine.partitions[0]!.bytes);
    const theirs = await (await callerFor(other.users.OWNER.userId)).archive.list();
    expect(theirs.partitions).toEqual([]);
    // Naming another organization's connection is NOT_FOUND.
    expect(await outcome(async () => (await callerFor(other.users.OWNER.userId)).archive.reprocess({ kind: "listings", connectionId, from: today(), to: today() }))).toBe("NOT_FOUND");
  });

  it("queues a reprocess through the API (audited) and refuses a reversed range", async () => {
    const owner = await callerFor(fx.users.OWNER.userId);
    expect(await owner.archive.reprocess({ kind: "listings", connectionId, from: today(), to: today() })).toEqual({ queued: true });
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "archive.reprocessRequested" } })).toBe(1);
    expect(await outcome(() => owner.archive.reprocess({ kind: "listings", from: "2026-02-01", to: "2026-01-01" }))).toBe("BAD_REQUEST");
  });

  it("a failed archive write is logged and counted, and the sync still completes", async () => {
    // A regular file where the archive folder should be: every write fails for real (ENOTDIR).
    const blocker = path.join(root, "not-a-folder");
    await writeFile(blocker, "x");
    setRawArchiveStorage(new LocalDiskStorage(blocker));
    const failuresBefore = rawArchiveStats().writeFailures;
    // The sandbox was stopped above: a fresh one serves this sync.
    const again = await serveMercadoLivreSandbox({ catalogSize: CATALOG, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "raw-archive-test" });
    try {
      const fresh = await createOrgFixture("archive-failing");
      const cid = (await connectSandboxSeller(tenantCtxOf(fresh), SELLER)).id;
      const ctx = jobTenantCtx(db, { organizationId: fresh.organizationId });
      const { generation } = await startSync(ctx, { connectionId: cid, mode: "full" });
      let last;
      for (let i = 0; i < 50 && !last?.done; i++) last = await syncNextPage(ctx, { connectionId: cid, generation });
      expect(last).toMatchObject({ kind: "done", processed: CATALOG });
      expect(await db.listing.count({ where: { organizationId: fresh.organizationId, connectionId: cid } })).toBe(CATALOG);
      expect(rawArchiveStats().writeFailures).toBeGreaterThan(failuresBefore);
    } finally {
      await again.close();
      setRawArchiveStorage(new LocalDiskStorage(root));
      await rm(blocker, { force: true });
    }
  });
});

describe("market signals and sales backfill are archived too", () => {
  it("writes signals and sales objects with their calls, under the organization", async () => {
    const served = await serveMercadoLivreSandbox({ catalogSize: 10, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "raw-archive-test" });
    try {
      const fx = await createOrgFixture("archive-signals");
      const connectionId = (await connectSandboxSeller(tenantCtxOf(fx), SELLER)).id;
      const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
      const { generation } = await startSync(ctx, { connectionId, mode: "full" });
      let last;
      for (let i = 0; i < 20 && !last?.done; i++) last = await syncNextPage(ctx, { connectionId, generation });
      expect(last).toMatchObject({ kind: "done" });

      expect(await fetchMarketSignalsBatch(ctx, { connectionId, limit: 3 })).toMatchObject({ fetched: 3 });
      const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
      expect(await backfillSalesDay(ctx, { connectionId, day: yesterday, existedAt: new Date().toISOString() })).toMatchObject({ kind: "written" });

      const keys = (await archiveKeys()).filter((k) => k.startsWith(`org=${fx.organizationId}/provider=MERCADOLIVRE/date=${today()}/`));
      const kinds = new Set(keys.map((k) => k.slice(k.lastIndexOf("/") + 1).split("-")[0]));
      expect(kinds).toEqual(new Set(["listings", "signals", "sales"]));
      const signals = (await Promise.all(keys.filter((k) => k.includes("/signals-")).map(linesOf))).flat();
      expect(signals.filter((l) => l.request.op === "getQuality")).toHaveLength(3);
      expect(signals.filter((l) => l.request.op === "getPriceReference")).toHaveLength(3);
      expect(signals.every((l) => l.kind === "signals" && l.connectionId === connectionId)).toBe(true);
      const sales = (await Promise.all(keys.filter((k) => k.includes("/sales-")).map(linesOf))).flat();
      expect(sales.filter((l) => l.request.op === "getDailySales").map((l) => l.request.params.day)).toEqual([yesterday]);
    } finally {
      await served.close();
    }
  });
});

describe("Shopee (lifetime views): archive and reprocess", () => {
  it("rebuilds listings and the views growth between two syncs with the sandbox stopped", async () => {
    const shopee = createShopeeSandbox({ seed: "raw-archive", catalogSize: 30, rateLimitPerSecond: 0, pushUrl: null });
    const server = await serveFetch((request) => shopee.handler(request));
    let skewMs = 0; // the client signs with Shopee's time, so it follows the sandbox clock
    let restore = setMarketplaceConnector(
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
      const fx = await createOrgFixture("archive-shopee");
      const ctx = tenantCtxOf(fx);
      const { authorizationUrl, sealedFlow } = await beginConnect(ctx, { provider: "SHOPEE", consentVersion: "shopee-2026-11", appUrl: TEST_APP_URL });
      const html = await (await fetch(authorizationUrl)).text();
      const link = /data-shop-id="\d+" href="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
      const params = Object.fromEntries(new URL(link).searchParams.entries());
      const connection = await completeConnect(ctx, { provider: "SHOPEE", sealedFlow, params, appUrl: TEST_APP_URL });
      const job = jobTenantCtx(db, { organizationId: fx.organizationId });
      const sync = async (mode: "full" | "reconcile") => {
        const { generation } = await startSync(job, { connectionId: connection.id, mode });
        let last;
        for (let i = 0; i < 50 && !last?.done; i++) last = await syncNextPage(job, { connectionId: connection.id, generation });
        expect(last).toMatchObject({ kind: "done" });
      };
      await sync("full");
      shopee.advanceClock(86_400); // a day later on Shopee's side: more views
      skewMs = 86_400_000;
      await sync("reconcile");

      const listings = async () =>
        (await db.listing.findMany({ where: { organizationId: fx.organizationId, connectionId: connection.id }, orderBy: { externalId: "asc" } })).map((l) => omit(l, ["id"]));
      const snapshots = async () =>
        (await db.listingMetricSnapshot.findMany({ where: { organizationId: fx.organizationId, listing: { connectionId: connection.id } }, include: { listing: { select: { externalId: true } } } }))
          .map((r) => ({ ...omit(r, ["id", "listingId", "listing", "createdAt"]), externalId: r.listing.externalId }))
          .sort((a, b) => a.externalId.localeCompare(b.externalId));
      const originalListings = await listings();
      const originalSnapshots = await snapshots();
      expect(originalListings).toHaveLength(30);
      // The second sync recorded the views' growth as the day's visits.
      expect(originalSnapshots.reduce((sum, s) => sum + ((s as Record<string, unknown>).visits as number), 0)).toBeGreaterThan(0);
      const keys = (await archiveKeys()).filter((k) => k.startsWith(`org=${fx.organizationId}/provider=SHOPEE/`));
      expect(keys.length).toBeGreaterThanOrEqual(2);
      const lines = (await Promise.all(keys.map(linesOf))).flat();
      expect(lines.some((l) => l.request.op === "getVisits" && l.request.params.lifetime === true)).toBe(true);

      await server.close();
      restore();
      const calls: string[] = [];
      restore = setMarketplaceConnector(tripwire<MarketplaceConnector>("SHOPEE", calls));
      await db.listingMetricSnapshot.deleteMany({ where: { organizationId: fx.organizationId, listing: { connectionId: connection.id } } });
      await db.listing.deleteMany({ where: { organizationId: fx.organizationId, connectionId: connection.id } });
      const { result } = await reprocess({ organizationId: fx.organizationId, kind: "listings", from: "2000-01-01", to: "2100-01-01" });
      expect(result).toMatchObject({ listings: 60, newerKept: 0 });
      expect(calls).toEqual([]);
      expect(await listings()).toEqual(originalListings);
      expect(await snapshots()).toEqual(originalSnapshots);
    } finally {
      restore();
      await server.close().catch(() => undefined);
    }
  }, 60_000);
});

describe("social metrics (Instagram): archive and reprocess", () => {
  const IG = SANDBOX_INSTAGRAM_ACCOUNTS[0]!;
  const IG_REDIRECT = "http://127.0.0.1:9/callback/instagram";
  let served: ServedFetch;
  let ig: SocialConnector;
  let restore: () => void;
  let fx: OrgFixture;
  let connectionId: string;

  beforeAll(async () => {
    const sandbox = createInstagramSandbox();
    served = await serveFetch((request) => sandbox.handler(request));
    ig = createInstagramConnector({
      graphUrl: served.url,
      apiUrl: served.url,
      authUrl: served.url,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      isSandbox: true,
      timeoutMs: 5_000,
    });
    restore = setSocialConnector(ig);
    setPacingRate("INSTAGRAM", 1000);
    const authUrl = new URL(ig.authorizationUrl({ state: "st-ig-archive", redirectUri: IG_REDIRECT }));
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    form.set("user_id", IG.id);
    const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form, redirect: "manual" });
    const callback = new URL(answer.headers.get("location")!);
    const tokens = await ig.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: IG_REDIRECT, callbackParams: Object.fromEntries(callback.searchParams) });

    fx = await createOrgFixture("archive-instagram");
    const connection = await db.connection.create({
      data: {
        organizationId: fx.organizationId,
        provider: "INSTAGRAM",
        kind: "SOCIAL",
        externalAccountId: tokens.externalAccountId,
        accountName: tokens.accountName ?? null,
        accessTokenEnc: encrypt(tokens.accessToken),
        refreshTokenEnc: tokens.refreshToken ? encrypt(tokens.refreshToken) : null,
        expiresAt: tokens.expiresAt,
        refreshExpiresAt: tokens.refreshExpiresAt,
        scopes: tokens.scopes,
      },
    });
    connectionId = connection.id;
    for (const post of instagramSandboxHistory(IG.id, new Date()).posts.slice(0, 3)) {
      await db.publication.create({
        data: { organizationId: fx.organizationId, contentId: fx.contentId, connectionId, scheduledAt: post.publishedAt, status: "PUBLISHED", publishedAt: post.publishedAt, externalId: post.externalId, permalink: post.permalink },
      });
    }
  });

  afterAll(async () => {
    restore();
    await served.close().catch(() => undefined);
  });

  const accountRows = async () =>
    (await db.socialAccountMetricSnapshot.findMany({ where: { organizationId: fx.organizationId }, orderBy: { date: "asc" } })).map((r) => omit(r, ["id", "createdAt", "updatedAt"]));
  const postRows = async () =>
    (await db.contentMetricSnapshot.findMany({ where: { organizationId: fx.organizationId }, orderBy: { publicationId: "asc" } })).map((r) => omit(r, ["id", "createdAt", "updatedAt"]));

  it("archives the account and post metrics and rebuilds them with the sandbox stopped", async () => {
    const result = await syncSocialAnalytics(jobTenantCtx(db, { organizationId: fx.organizationId }), connectionId);
    expect(result).toMatchObject({ kind: "done", posts: 3 });
    const keys = (await archiveKeys()).filter((k) => k.startsWith(`org=${fx.organizationId}/`));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^org=${fx.organizationId}/provider=INSTAGRAM/date=${today()}/metrics-`));
    const ops = (await linesOf(keys[0]!)).map((l) => l.request.op);
    expect(ops).toEqual(["getAccountMetrics", "getPostMetrics"]);

    const accounts = await accountRows();
    const posts = await postRows();
    expect(accounts.length).toBeGreaterThanOrEqual(89);
    expect(posts).toHaveLength(3);

    await served.close();
    const calls: string[] = [];
    const undo = setSocialConnector(tripwire<SocialConnector>("INSTAGRAM", calls));
    try {
      await db.socialAccountMetricSnapshot.deleteMany({ where: { organizationId: fx.organizationId } });
      await db.contentMetricSnapshot.deleteMany({ where: { organizationId: fx.organizationId } });
      const { result: rebuilt } = await reprocess({ organizationId: fx.organizationId, kind: "metrics", from: today(), to: today(), connectionId });
      expect(rebuilt).toMatchObject({ objects: 1, accountDays: accounts.length, posts: 3 });
      expect(calls).toEqual([]);
      expect(await accountRows()).toEqual(accounts);
      expect(await postRows()).toEqual(posts);
    } finally {
      undo();
    }
  });
});

describe("retention", () => {
  it("prunes each organization's partitions older than its own setting; an unknown organization's by the default", async () => {
    const [short, long] = [await createOrgFixture("archive-ret-short"), await createOrgFixture("archive-ret-long")];
    const owner = await callerFor(short.users.OWNER.userId);
    expect(await owner.archive.setRetention({ days: 30 })).toEqual({ retentionDays: 30 });
    expect((await owner.archive.list()).retentionDays).toBe(30);

    const now = new Date();
    const write = async (organizationId: string, daysAgo: number) => {
      const recorder = new RawArchiveRecorder({ organizationId, log: logger }, { kind: "listings", provider: "MERCADOLIVRE", connectionId: "conn-retention" });
      recorder.record("getItems", { externalIds: [] }, [], new Date(now.getTime() - daysAgo * DAY));
      const key = await recorder.flush();
      expect(key).not.toBeNull();
      return key!;
    };
    const shortOld = await write(short.organizationId, 40);
    const shortNew = await write(short.organizationId, 10);
    const longOld = await write(long.organizationId, 40);
    // Not in this database (another environment sharing the bucket, say): the default retention.
    const unknownRecent = await write("org-not-in-this-database", 1);
    const unknownOld = await write("org-not-in-this-database", env.RAW_ARCHIVE_RETENTION_DAYS + 5);

    const result = await pruneRawArchive(db, now);
    expect(result.removed).toBeGreaterThanOrEqual(2);
    const keys = await archiveKeys();
    expect(keys).not.toContain(shortOld);
    expect(keys).not.toContain(unknownOld);
    expect(keys).toContain(unknownRecent);
    expect(keys).toContain(shortNew);
    expect(keys).toContain(longOld);
    // The other tests' objects (today, default retention) are still there.
    expect(keys.some((k) => k.includes("provider=MERCADOLIVRE/date=" + today()))).toBe(true);
  });

  it("an organization's erasure removes its whole archive, and only once the erasure is requested", async () => {
    const [fx, bystander] = [await createOrgFixture("archive-erase"), await createOrgFixture("archive-erase-bystander")];
    const write = async (organizationId: string) => {
      const recorder = new RawArchiveRecorder({ organizationId, log: logger }, { kind: "sales", provider: "MERCADOLIVRE", connectionId: "conn-erase" });
      recorder.record("getDailySales", { day: today() }, []);
      return (await recorder.flush())!;
    };
    const [mine, theirs] = [await write(fx.organizationId), await write(bystander.organizationId)];
    expect(await removeErasedRawArchive(db, fx.organizationId)).toEqual({ removed: 0 });
    expect(await archiveKeys()).toContain(mine);

    const name = (await db.organization.findUniqueOrThrow({ where: { id: fx.organizationId } })).name;
    await (await callerFor(fx.users.OWNER.userId)).privacy.eraseOrganization({ confirmation: name });
    expect(await removeErasedRawArchive(db, fx.organizationId)).toEqual({ removed: 1 });
    const keys = await archiveKeys();
    expect(keys).not.toContain(mine);
    expect(keys).toContain(theirs);
  });

  it("runs as a step of the daily privacy/retention function", async () => {
    const fx = await createOrgFixture("archive-ret-fn");
    await (await callerFor(fx.users.OWNER.userId)).archive.setRetention({ days: 5 });
    const recorder = new RawArchiveRecorder({ organizationId: fx.organizationId, log: logger }, { kind: "metrics", provider: "INSTAGRAM", connectionId: "conn-retention" });
    recorder.record("getAccountMetrics", { from: "2026-01-01", to: "2026-01-01" }, [], new Date(Date.now() - 9 * DAY));
    const key = (await recorder.flush())!;
    const t = new InngestTestEngine({ function: privacyRetention, events: [{ name: "inngest/scheduled.timer", data: { cron: "0 7 * * *" } }] });
    const { result } = await t.execute();
    expect(result).toMatchObject({ rawArchive: expect.objectContaining({ removed: expect.any(Number) }) });
    expect(await archiveKeys()).not.toContain(key);
  });
});
