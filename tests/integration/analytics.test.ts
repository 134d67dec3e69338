/**
 * Social analytics: the sync service writes snapshot rows (idempotently), the functions fan out and
 * run it, and the router's figures come out of known rows. The network is a recording stand-in
 * connector with deterministic figures (tests/integration/analytics-sandbox.test.ts drives the
 * real Instagram client against its sandbox over HTTP).
 */
import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { ConnectorError } from "~/server/connectors/common";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { AccountDailyMetrics, PostMetrics, SocialConnector } from "~/server/connectors/social/types";
import { inngest } from "~/server/jobs/client";
import { fanOutSocialAnalytics, syncSocialAnalyticsFn } from "~/server/jobs/functions/social-analytics";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { accountSeries, overview, posts, topPosts } from "~/server/services/analytics/analytics";
import { syncSocialAnalytics } from "~/server/services/analytics/sync";
import { encrypt } from "~/server/lib/secrets";
import { callerFor, createOrgFixture, db, outcome, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const DAY = 86_400_000;
const NOW = new Date("2026-11-26T15:00:00Z");
const iso = (d: Date) => d.toISOString().slice(0, 10);
const day = (s: string) => new Date(`${s}T00:00:00Z`);

/** Deterministic network: followers grow by 10 a day; a post's views are 100 × (its index + 1) + a per-call bump. */
function standIn() {
  const calls = { account: [] as { from: string; to: string; token: string }[], posts: [] as string[][] };
  let bump = 0;
  let failNext: ConnectorError | null = null;
  // Only what the sync calls; anything else is missing on purpose.
  const partial: Pick<SocialConnector, "provider" | "isSandbox" | "getAccountMetrics" | "getPostMetrics"> = {
    provider: "INSTAGRAM",
    isSandbox: true,
    async getAccountMetrics(creds, from, to): Promise<AccountDailyMetrics[]> {
      if (failNext) {
        const e = failNext;
        failNext = null;
        throw e;
      }
      calls.account.push({ from: iso(from), to: iso(to), token: creds.accessToken });
      const out: AccountDailyMetrics[] = [];
      for (let t = from.getTime(); t <= to.getTime(); t += DAY) {
        const n = Math.round(t / DAY) - 20_000;
        out.push({ date: iso(new Date(t)), followers: 1000 + n * 10, views: 50, reach: 40, profileViews: 5, engagements: 4 });
      }
      return out;
    },
    async getPostMetrics(_creds, ids): Promise<PostMetrics[]> {
      calls.posts.push([...ids]);
      return ids.map((externalId) => {
        const i = Number(externalId.split("-").at(-1));
        return { externalId, views: 100 * (i + 1) + bump, reach: 80, likes: 10 + i, comments: 2, shares: 1, saves: 1 };
      });
    },
  };
  const connector = partial as SocialConnector;
  return { connector, calls, setBump: (n: number) => (bump = n), failWith: (e: ConnectorError) => (failNext = e) };
}

let net: ReturnType<typeof standIn>;
let restore: () => void;

beforeAll(() => {
  net = standIn();
  restore = setSocialConnector(net.connector);
  setPacingRate("INSTAGRAM", 1000);
});
afterAll(() => restore());
afterEach(() => vi.restoreAllMocks());

/** A connected account with live tokens and `count` published posts (externalIds ig-post-<i>). */
async function connectedAccount(fx: OrgFixture, count: number, options: { provider?: "INSTAGRAM" | "TIKTOK"; publishedAt?: (i: number) => Date } = {}) {
  const connection = await db.connection.create({
    data: {
      organizationId: fx.organizationId,
      provider: options.provider ?? "INSTAGRAM",
      kind: "SOCIAL",
      externalAccountId: `acct-${Math.random().toString(36).slice(2)}`,
      accountName: "@loja",
      accessTokenEnc: encrypt("live-token"),
      expiresAt: new Date(Date.now() + 30 * DAY),
      metadata: { otherFeature: "kept" },
    },
  });
  const pubs = [];
  for (let i = 0; i < count; i++) {
    pubs.push(
      await db.publication.create({
        data: {
          organizationId: fx.organizationId,
          contentId: fx.contentId,
          connectionId: connection.id,
          scheduledAt: new Date(NOW.getTime() - 5 * DAY),
          status: "PUBLISHED",
          publishedAt: options.publishedAt?.(i) ?? new Date(NOW.getTime() - 5 * DAY),
          externalId: `ig-post-${i}`,
          permalink: `https://www.instagram.com/p/${i}/`,
        },
      }),
    );
  }
  return { connection, pubs };
}

describe("syncSocialAnalytics", () => {
  let fx: OrgFixture;
  beforeAll(async () => {
    fx = await createOrgFixture("analytics-sync");
  });

  it("reads 90 account days on the first sync, then 3, and measures published posts in batches", async () => {
    const { connection, pubs } = await connectedAccount(fx, 60);
    // Older than the 90-day window and not published: neither is measured.
    await db.publication.update({ where: { id: pubs[59]!.id }, data: { publishedAt: new Date(NOW.getTime() - 120 * DAY) } });
    await db.publication.update({ where: { id: pubs[58]!.id }, data: { status: "FAILED" } });
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    net.calls.account.length = 0;
    net.calls.posts.length = 0;

    const first = await syncSocialAnalytics(ctx, connection.id, NOW);
    expect(first).toEqual({ kind: "done", accountDays: 90, posts: 58, firstSync: true });
    expect(net.calls.account).toEqual([{ from: "2026-08-29", to: "2026-11-26", token: "live-token" }]);
    expect(net.calls.posts.map((b) => b.length)).toEqual([50, 8]);
    expect(net.calls.posts.flat()).not.toContain("ig-post-59");
    expect(net.calls.posts.flat()).not.toContain("ig-post-58");
    expect(await db.socialAccountMetricSnapshot.count({ where: { connectionId: connection.id } })).toBe(90);
    const snap = await db.contentMetricSnapshot.findFirstOrThrow({ where: { publicationId: pubs[3]!.id } });
    expect(snap).toMatchObject({ date: day("2026-11-26"), views: 400, likes: 13 });

    const synced = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(synced.metadata).toMatchObject({ analyticsSyncedAt: NOW.toISOString(), analyticsError: null, otherFeature: "kept" });
    expect(synced).toMatchObject({ lastSyncAt: NOW, lastError: null });

    net.setBump(7);
    const second = await syncSocialAnalytics(ctx, connection.id, new Date(NOW.getTime() + 3_600_000));
    expect(second).toMatchObject({ kind: "done", accountDays: 3, firstSync: false });
    expect(net.calls.account[1]).toMatchObject({ from: "2026-11-24", to: "2026-11-26" });
    // Same day again: rows are overwritten, never duplicated.
    expect(await db.socialAccountMetricSnapshot.count({ where: { connectionId: connection.id } })).toBe(90);
    expect(await db.contentMetricSnapshot.count({ where: { publicationId: { in: pubs.map((p) => p.id) } } })).toBe(58);
    expect((await db.contentMetricSnapshot.findFirstOrThrow({ where: { publicationId: pubs[3]!.id } })).views).toBe(407);

    // The next day adds one row per post (lifetime totals as of that day).
    await syncSocialAnalytics(ctx, connection.id, new Date(NOW.getTime() + DAY));
    expect(await db.contentMetricSnapshot.count({ where: { publicationId: pubs[3]!.id } })).toBe(2);
    expect(await db.socialAccountMetricSnapshot.count({ where: { connectionId: connection.id } })).toBe(91);
    net.setBump(0);
  });

  it("records a network failure on the connection and rethrows it for the function's retries", async () => {
    const { connection } = await connectedAccount(fx, 0);
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    net.failWith(new ConnectorError("transient", "Instagram answered 503"));
    await expect(syncSocialAnalytics(ctx, connection.id, NOW)).rejects.toThrow("503");
    const failed = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
    const meta = failed.metadata as Record<string, unknown>;
    expect(meta.analyticsError).toBe("Instagram answered 503");
    expect(meta.analyticsSyncedAt).toBeUndefined();
    expect(failed).toMatchObject({ lastError: "Instagram answered 503", lastSyncAt: null });
    // The next good sync clears it.
    await syncSocialAnalytics(ctx, connection.id, NOW);
    expect(await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({ lastError: null, lastSyncAt: NOW });
  });

  it("skips another tenant's account and accounts that are not active", async () => {
    const other = await createOrgFixture("analytics-other");
    const { connection } = await connectedAccount(other, 1);
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    expect(await syncSocialAnalytics(ctx, connection.id, NOW)).toEqual({ kind: "skipped", reason: "not_found" });
    await db.connection.update({ where: { id: connection.id }, data: { status: "NEEDS_RECONNECT" } });
    expect(await syncSocialAnalytics(jobTenantCtx(db, { organizationId: other.organizationId }), connection.id, NOW)).toEqual({ kind: "skipped", reason: "not_active" });
    expect(await db.socialAccountMetricSnapshot.count({ where: { connectionId: connection.id } })).toBe(0);
  });
});

describe("analytics functions", () => {
  it("fans out one event per active social account, keyed by account and hour", async () => {
    const fx = await createOrgFixture("analytics-fan");
    const { connection } = await connectedAccount(fx, 0);
    const { connection: stopped } = await connectedAccount(fx, 0);
    await db.connection.update({ where: { id: stopped.id }, data: { status: "NEEDS_RECONNECT" } });
    const t = new InngestTestEngine({ function: fanOutSocialAnalytics, events: [{ name: "inngest/scheduled.timer", data: {} }] });
    const { ctx } = await t.execute();
    const sent = vi.mocked(ctx.step.sendEvent).mock.calls.flatMap((c) => c[1] as unknown as { id: string; data: { connectionId: string; organizationId: string } }[]);
    const mine = sent.filter((e) => e.data.organizationId === fx.organizationId);
    expect(mine.map((e) => e.data.connectionId).sort()).toEqual([connection.id, fx.social.socialConnectionId, fx.social.spareSocialConnectionId].sort());
    const hour = new Date().toISOString().slice(0, 13);
    expect(mine.find((e) => e.data.connectionId === connection.id)?.id).toBe(`analytics-${connection.id}-${hour}`);
  });

  it("syncs the account named by a connect event", async () => {
    const fx = await createOrgFixture("analytics-fn");
    const { connection } = await connectedAccount(fx, 2);
    const t = new InngestTestEngine({
      function: syncSocialAnalyticsFn,
      events: [{ name: "social/account.connected", data: { organizationId: fx.organizationId, connectionId: connection.id } }],
    });
    const { result } = await t.execute();
    expect(result).toMatchObject({ kind: "done", posts: 2, firstSync: true });
    expect(await db.contentMetricSnapshot.count({ where: { organizationId: fx.organizationId } })).toBe(2);
  });
});

describe("analytics figures", () => {
  let fx: OrgFixture;
  let ig: Awaited<ReturnType<typeof connectedAccount>>;
  let tt: Awaited<ReturnType<typeof connectedAccount>>;

  beforeAll(async () => {
    fx = await createOrgFixture("analytics-read");
    // Instagram: 3 posts; TikTok: 1 post. Known snapshot rows, no sync.
    ig = await connectedAccount(fx, 3, { publishedAt: (i) => [new Date("2026-11-20T12:00:00Z"), new Date("2026-11-10T12:00:00Z"), new Date("2026-10-01T12:00:00Z")][i]! });
    tt = await connectedAccount(fx, 1, { provider: "TIKTOK", publishedAt: () => new Date("2026-11-25T09:00:00Z") });
    const orgId = fx.organizationId;
    // Instagram account: 900 followers on 18 Nov, then 1000 … 1070 over 19–26 Nov (the 7-day range starts on the 20th).
    const igDays = [{ date: "2026-11-18", followers: 900 }, ...Array.from({ length: 8 }, (_, i) => ({ date: `2026-11-${19 + i}`, followers: 1000 + i * 10 }))];
    await db.socialAccountMetricSnapshot.createMany({
      data: igDays.map((d) => ({ organizationId: orgId, connectionId: ig.connection.id, date: day(d.date), followers: d.followers, views: 100, reach: 50, engagements: 5, profileViews: 1 })),
    });
    await db.socialAccountMetricSnapshot.createMany({
      data: [
        { organizationId: orgId, connectionId: tt.connection.id, date: day("2026-11-25"), followers: 300, views: 1000, reach: 0, engagements: 30 },
        { organizationId: orgId, connectionId: tt.connection.id, date: day("2026-11-26"), followers: 310, views: 2000, reach: 0, engagements: 70 },
      ],
    });
    const snap = (publicationId: string, date: string, views: number, likes: number) => ({ organizationId: orgId, publicationId, date: day(date), views, reach: views / 2, likes, comments: 0, shares: 0, saves: 0 });
    await db.contentMetricSnapshot.createMany({
      data: [
        snap(ig.pubs[0]!.id, "2026-11-21", 100, 5),
        snap(ig.pubs[0]!.id, "2026-11-26", 300, 20), // published in range: growth = 300
        snap(ig.pubs[1]!.id, "2026-11-15", 500, 40), // baseline before the 7-day range
        snap(ig.pubs[1]!.id, "2026-11-26", 800, 50), // growth 300 views, 10 engagements
        snap(ig.pubs[2]!.id, "2026-10-20", 999, 99), // measured only before the range: not a post of the 7-day range
        snap(tt.pubs[0]!.id, "2026-11-26", 5000, 10),
      ],
    });
  });

  it("sums the range per network and in total, with follower growth from the day before the range", async () => {
    const ctx = tenantCtxOf(fx, "VIEWER");
    const o = await overview(ctx, { range: 7 }, NOW);
    expect(o).toMatchObject({ from: "2026-11-20", to: "2026-11-26", hasData: true });
    const igKpis = o.networks.find((n) => n.network === "INSTAGRAM")!;
    // The fixture's two Instagram accounts have no data; ours has 7 days in the range (20–26 Nov), baseline the 19th.
    expect(igKpis).toMatchObject({ followers: 1070, followersGrowth: 1070 - 1000, views: 700, reach: 350, engagements: 35, postsPublished: 1 });
    expect(igKpis.engagementRate).toBeCloseTo(0.1, 4);
    // TikTok reports no reach: the rate is per view; no baseline before the range → growth from its first day in it.
    expect(o.networks.find((n) => n.network === "TIKTOK")).toMatchObject({ followers: 310, followersGrowth: 10, views: 3000, engagements: 100, engagementRate: 0.0333, postsPublished: 1 });
    expect(o.total).toMatchObject({ followers: 1380, followersGrowth: 80, views: 3700, engagements: 135, postsPublished: 2 });

    const filtered = await overview(ctx, { range: 7, networks: ["TIKTOK"] }, NOW);
    expect(filtered.networks.map((n) => n.network)).toEqual(["TIKTOK"]);
    expect(filtered.total.views).toBe(3000);

    const month = await overview(ctx, { range: 30 }, NOW);
    expect(month.networks.find((n) => n.network === "INSTAGRAM")).toMatchObject({ followersGrowth: 1070 - 900, views: 900, postsPublished: 2 });
  });

  it("gives daily points per account and network, null on days without a snapshot", async () => {
    const s = await accountSeries(tenantCtxOf(fx), { range: 7, connectionId: tt.connection.id }, NOW);
    expect(s.days).toEqual(["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"]);
    expect(s.accounts).toHaveLength(1);
    expect(s.accounts[0]!.points.map((p) => p.followers)).toEqual([null, null, null, null, null, 300, 310]);
    expect(s.networks[0]).toMatchObject({ network: "TIKTOK" });
    const all = await accountSeries(tenantCtxOf(fx), { range: 7 }, NOW);
    expect(all.networks.find((n) => n.network === "INSTAGRAM")!.points.at(-1)).toMatchObject({ followers: 1070, views: 100 });
  });

  it("lists the range's posts with latest totals and growth, sorted and keyset-paged", async () => {
    const ctx = tenantCtxOf(fx);
    const byViews = await posts(ctx, { range: 7, sort: "views", limit: 2 }, NOW);
    expect(byViews.items.map((p) => p.id)).toEqual([tt.pubs[0]!.id, ig.pubs[1]!.id]);
    expect(byViews.items[1]).toMatchObject({ metrics: { views: 800, likes: 50, engagements: 50 }, growth: { views: 300, engagements: 10 }, measuredOn: "2026-11-26" });
    expect(byViews.nextCursor).not.toBeNull();
    const rest = await posts(ctx, { range: 7, sort: "views", limit: 2, cursor: byViews.nextCursor! }, NOW);
    expect(rest.items.map((p) => p.id)).toEqual([ig.pubs[0]!.id]);
    expect(rest.items[0]!.growth).toEqual({ views: 300, engagements: 20 });
    expect(rest.nextCursor).toBeNull();

    const recent = await posts(ctx, { range: 7, sort: "recent", limit: 10, network: "INSTAGRAM" }, NOW);
    expect(recent.items.map((p) => p.id)).toEqual([ig.pubs[0]!.id, ig.pubs[1]!.id]);
    // 90 days: the October post is published inside the range, so all its totals are growth.
    const quarter = await posts(ctx, { range: 90, sort: "engagement", limit: 10 }, NOW);
    expect(quarter.items.map((p) => p.id)).toEqual([ig.pubs[2]!.id, ig.pubs[1]!.id, ig.pubs[0]!.id, tt.pubs[0]!.id]);
    expect(quarter.items[0]!.growth).toEqual({ views: 999, engagements: 99 });

    const top = await topPosts(ctx, { range: 7, limit: 1 }, NOW);
    expect(top.map((p) => p.id)).toEqual([ig.pubs[1]!.id]);
    await expect(posts(ctx, { range: 7, sort: "views", limit: 2, cursor: "nonsense" }, NOW)).rejects.toMatchObject({ reason: "analyticsInvalidCursor" });
  });

  it("never shows another tenant's accounts or posts, and refuses its connection ids", async () => {
    const other = await createOrgFixture("analytics-nosy");
    const caller = await callerFor(other.users.OWNER.userId);
    const o = await caller.analytics.overview({ range: 90 });
    expect(JSON.stringify(o)).not.toContain(ig.connection.id);
    const p = await caller.analytics.posts({ range: 90, sort: "views", limit: 100 });
    expect(p.items).toEqual([]);
    expect(await outcome(() => caller.analytics.accountSeries({ range: 7, connectionId: ig.connection.id }))).toBe("NOT_FOUND");
    expect(await outcome(() => caller.analytics.syncNow({ connectionId: ig.connection.id }))).toBe("NOT_FOUND");
  });

  it("queues a sync per active account when asked, deduplicated per minute", async () => {
    const send = vi.spyOn(inngest, "send").mockResolvedValue({ ids: [] } as never);
    const caller = await callerFor(fx.users.OPERATOR.userId);
    const result = await caller.analytics.syncNow({});
    // Two fixture accounts plus ours.
    expect(result.queued).toBe(4);
    const events = send.mock.calls[0]![0] as unknown as { id: string; name: string; data: { connectionId: string } }[];
    expect(events.map((e) => e.name)).toEqual(Array(4).fill("social/analytics.sync-requested"));
    expect(events.find((e) => e.data.connectionId === tt.connection.id)?.id).toMatch(new RegExp(`^analytics-now-${tt.connection.id}-\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$`));
    await db.connection.update({ where: { id: tt.connection.id }, data: { status: "NEEDS_RECONNECT" } });
    expect(await outcome(() => caller.analytics.syncNow({ connectionId: tt.connection.id }))).toBe("PRECONDITION_FAILED");
    await db.connection.update({ where: { id: tt.connection.id }, data: { status: "ACTIVE" } });
  });
});
