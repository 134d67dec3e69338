/**
 * The analytics page's figures, computed from the snapshot tables only (no network call in a
 * request): account days for followers, views, reach and engagements; post rows (lifetime totals
 * per day) for the per-post table and top posts.
 */
import type { SocialNetwork } from "~/generated/prisma/enums";
import { inngest } from "~/server/jobs/client";
import { jobContextOf, socialAnalyticsSyncRequested } from "~/server/jobs/events";
import { AppError, notFound } from "~/server/lib/errors";
import {
  accountBaselines,
  accountSnapshotsInRange,
  countPublishedByConnection,
  findSocialConnection,
  listPostsWithMetrics,
  listSocialConnections,
  type PostRow,
  type PostSort,
} from "~/server/repositories/analytics";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { daysBetween, engagementRate, engagementsOf, followerGrowth, isoDay, postGrowth, rangeWindow, type AnalyticsRange } from "./range";
import { analyticsMetadataOf } from "./sync";

const NETWORKS: SocialNetwork[] = ["INSTAGRAM", "TIKTOK", "YOUTUBE"];

type Account = Awaited<ReturnType<typeof listSocialConnections>>[number];

async function accountsOf(ctx: TenantCtx, networks?: SocialNetwork[]) {
  const all = await listSocialConnections(ctx.db, ctx.tenant.organizationId);
  return all.filter((a) => !networks?.length || (networks as string[]).includes(a.provider));
}

function accountCard(a: Account) {
  const meta = analyticsMetadataOf(a.metadata);
  return {
    connectionId: a.id,
    network: a.provider as SocialNetwork,
    accountName: a.accountName,
    status: a.status,
    syncedAt: meta.analyticsSyncedAt ? new Date(meta.analyticsSyncedAt) : null,
    syncError: meta.analyticsError ?? null,
  };
}

type Kpis = {
  accounts: number;
  followers: number | null;
  followersGrowth: number | null;
  views: number;
  reach: number;
  engagements: number;
  postsPublished: number;
  engagementRate: number | null;
};

function emptyKpis(): Kpis {
  return { accounts: 0, followers: null, followersGrowth: null, views: 0, reach: 0, engagements: 0, postsPublished: 0, engagementRate: null };
}

function addKpis(into: Kpis, add: Kpis) {
  into.accounts += add.accounts;
  if (add.followers !== null) into.followers = (into.followers ?? 0) + add.followers;
  if (add.followersGrowth !== null) into.followersGrowth = (into.followersGrowth ?? 0) + add.followersGrowth;
  into.views += add.views;
  into.reach += add.reach;
  into.engagements += add.engagements;
  into.postsPublished += add.postsPublished;
  into.engagementRate = engagementRate(into.engagements, into.reach, into.views);
}

/** Per network and in total: followers now and their growth, views, reach and engagements summed over the range's days, posts published, engagement rate. */
export async function overview(ctx: TenantCtx, input: { range: AnalyticsRange; networks?: SocialNetwork[] }, now = new Date()) {
  const orgId = ctx.tenant.organizationId;
  const { from, to, endExclusive } = rangeWindow(input.range, now);
  const accounts = await accountsOf(ctx, input.networks);
  const ids = accounts.map((a) => a.id);
  const [days, baselines, published] = await Promise.all([
    accountSnapshotsInRange(ctx.db, orgId, ids, from, to),
    accountBaselines(ctx.db, orgId, ids, from),
    countPublishedByConnection(ctx.db, orgId, ids, from, endExclusive),
  ]);
  const baselineOf = new Map(baselines.map((b) => [b.connectionId, b.followers]));

  const perAccount = accounts.map((a) => {
    const mine = days.filter((d) => d.connectionId === a.id);
    const followers = followerGrowth(
      mine.map((d) => ({ date: isoDay(d.date), followers: d.followers })),
      baselineOf.get(a.id) ?? null,
    );
    const k: Kpis = {
      accounts: 1,
      followers: followers?.now ?? null,
      followersGrowth: followers?.growth ?? null,
      views: sum(mine, "views"),
      reach: sum(mine, "reach"),
      engagements: sum(mine, "engagements"),
      postsPublished: published.get(a.id) ?? 0,
      engagementRate: null,
    };
    k.engagementRate = engagementRate(k.engagements, k.reach, k.views);
    return { account: a, kpis: k };
  });

  const total = emptyKpis();
  const networks = NETWORKS.filter((n) => accounts.some((a) => a.provider === n)).map((network) => {
    const k = emptyKpis();
    for (const { account, kpis } of perAccount) if (account.provider === network) addKpis(k, kpis);
    addKpis(total, k);
    return { network, ...k };
  });
  const cards = accounts.map(accountCard);
  const synced = cards.map((c) => c.syncedAt).filter((d): d is Date => d !== null);
  return {
    range: input.range,
    from: isoDay(from),
    to: isoDay(to),
    total,
    networks,
    accounts: cards,
    lastSyncedAt: synced.length ? new Date(Math.max(...synced.map((d) => d.getTime()))) : null,
    hasData: days.length > 0 || perAccount.some((p) => p.kpis.postsPublished > 0),
  };
}

function sum<T extends Record<K, number>, K extends string>(rows: T[], key: K): number {
  return rows.reduce((s, r) => s + r[key], 0);
}

type Point = { date: string; followers: number | null; views: number | null; reach: number | null; engagements: number | null; profileViews: number | null };

/** Daily points per account (and summed per network) over the range; a day without a snapshot is null, not zero. */
export async function accountSeries(ctx: TenantCtx, input: { range: AnalyticsRange; connectionId?: string }, now = new Date()) {
  const orgId = ctx.tenant.organizationId;
  let accounts = await accountsOf(ctx);
  if (input.connectionId) {
    accounts = accounts.filter((a) => a.id === input.connectionId);
    if (accounts.length === 0) throw notFound("Social account");
  }
  const { from, to } = rangeWindow(input.range, now);
  const days = daysBetween(from, to);
  const rows = await accountSnapshotsInRange(ctx.db, orgId, accounts.map((a) => a.id), from, to);
  const byKey = new Map(rows.map((r) => [`${r.connectionId}|${isoDay(r.date)}`, r]));

  const series = accounts.map((a) => ({
    connectionId: a.id,
    network: a.provider as SocialNetwork,
    accountName: a.accountName,
    points: days.map((date): Point => {
      const r = byKey.get(`${a.id}|${date}`);
      return r
        ? { date, followers: r.followers, views: r.views, reach: r.reach, engagements: r.engagements, profileViews: r.profileViews }
        : { date, followers: null, views: null, reach: null, engagements: null, profileViews: null };
    }),
  }));
  const networks = NETWORKS.filter((n) => accounts.some((a) => a.provider === n)).map((network) => {
    const mine = series.filter((s) => s.network === network);
    return {
      network,
      points: days.map((date, i): Point => {
        const present = mine.map((s) => s.points[i]!).filter((p) => p.followers !== null);
        if (present.length === 0) return { date, followers: null, views: null, reach: null, engagements: null, profileViews: null };
        const add = (k: keyof Omit<Point, "date">) => present.reduce((s, p) => s + (p[k] ?? 0), 0);
        return { date, followers: add("followers"), views: add("views"), reach: add("reach"), engagements: add("engagements"), profileViews: add("profileViews") };
      }),
    };
  });
  return { days, accounts: series, networks };
}

function postView(row: PostRow, rangeFrom: Date) {
  const latest = row.latest;
  return {
    id: row.id,
    contentId: row.contentId,
    contentTitle: row.contentTitle,
    network: row.provider as SocialNetwork,
    connectionId: row.connectionId,
    accountName: row.accountName,
    publishedAt: row.publishedAt,
    permalink: row.permalink,
    measuredOn: row.measuredOn ? isoDay(row.measuredOn) : null,
    metrics: latest
      ? { ...latest, engagements: engagementsOf(latest), engagementRate: engagementRate(engagementsOf(latest), latest.reach, latest.views) }
      : null,
    growth: postGrowth(latest, row.baseline, row.publishedAt, rangeFrom),
  };
}

const CURSOR = /^(-?\d{1,20})_([A-Za-z0-9_-]{1,64})$/;

function parseCursor(cursor: string | undefined) {
  if (!cursor) return null;
  const m = CURSOR.exec(cursor);
  if (!m) throw new AppError("BAD_REQUEST", "analyticsInvalidCursor", "Invalid cursor");
  return { value: BigInt(m[1]!), id: m[2]! };
}

/** Posts of the range (published in it, or measured in it) with their latest totals and growth, keyset-paged. */
export async function posts(
  ctx: TenantCtx,
  input: { range: AnalyticsRange; network?: SocialNetwork; sort: PostSort; limit: number; cursor?: string },
  now = new Date(),
) {
  const window = rangeWindow(input.range, now);
  const rows = await listPostsWithMetrics(ctx.db, ctx.tenant.organizationId, {
    ...window,
    providers: input.network ? [input.network] : null,
    sort: input.sort,
    limit: input.limit + 1,
    after: parseCursor(input.cursor),
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => postView(r, window.from)),
    nextCursor: rows.length > input.limit && last ? `${last.sortValue}_${last.id}` : null,
  };
}

/** The range's best posts by engagements (likes, comments, shares, saves), then views. */
export async function topPosts(ctx: TenantCtx, input: { range: AnalyticsRange; limit: number }, now = new Date()) {
  const window = rangeWindow(input.range, now);
  const rows = await listPostsWithMetrics(ctx.db, ctx.tenant.organizationId, { ...window, providers: null, sort: "engagement", limit: input.limit, after: null });
  return rows.filter((r) => r.latest).map((r) => postView(r, window.from));
}

/** Queues a sync of one account (or every active one); the button is pressed twice → one run per minute and account. */
export async function syncNow(ctx: TenantCtx, input: { connectionId?: string }) {
  const orgId = ctx.tenant.organizationId;
  let ids: string[];
  if (input.connectionId) {
    const connection = await findSocialConnection(ctx.db, orgId, input.connectionId);
    if (!connection) throw notFound("Social account");
    if (connection.status !== "ACTIVE") throw new AppError("PRECONDITION_FAILED", "analyticsAccountNotActive", "Reconnect the account first");
    ids = [connection.id];
  } else {
    ids = (await listSocialConnections(ctx.db, orgId)).filter((a) => a.status === "ACTIVE").map((a) => a.id);
  }
  if (ids.length === 0) return { queued: 0 };
  const minute = new Date().toISOString().slice(0, 16);
  await inngest.send(ids.map((connectionId) => socialAnalyticsSyncRequested.create({ ...jobContextOf(ctx), connectionId }, { id: `analytics-now-${connectionId}-${minute}` })));
  await audit(ctx.db, { ...ctx.tenant, request: ctx.request }, "analytics.syncRequested", { type: "organization", id: orgId }, { connections: ids.length });
  return { queued: ids.length };
}
