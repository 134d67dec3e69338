/**
 * The analytics sync through the real social clients and their sandboxes over HTTP: each account is
 * connected with the sandbox's own OAuth flow (consent page → code → tokens), its tokens stored
 * encrypted as the connect flow stores them, and the sync (run by its background function) reads
 * the sandbox's deterministic history into the snapshot tables. Instagram: the 90-day first sync
 * and post insights. TikTok: its access token lasts 2 h and refresh tokens rotate, so an expired
 * token also exercises the caller's refresh. YouTube: Data API video statistics and Analytics API
 * channel days.
 */
import { InngestTestEngine } from "@inngest/test";
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { TokenSet } from "~/server/connectors/common";
import { createInstagramSandbox, instagramSandboxHistory, SANDBOX_INSTAGRAM_ACCOUNTS } from "~/server/connectors/sandbox/instagram";
import { createYouTubeSandbox, SANDBOX_YOUTUBE_ACCOUNTS, youtubeSandboxHistory } from "~/server/connectors/sandbox/youtube";
import { createTikTokSandbox, SANDBOX_TIKTOK_ACCOUNTS, tiktokSandboxHistory, type TikTokSandbox } from "~/server/connectors/sandbox/tiktok";
import { setSocialConnector } from "~/server/connectors/social/registry";
import { createInstagramConnector } from "~/server/connectors/social/instagram";
import { createTikTokConnector } from "~/server/connectors/social/tiktok";
import { createYouTubeConnector } from "~/server/connectors/social/youtube";
import type { SocialConnector } from "~/server/connectors/social/types";
import { syncSocialAnalyticsFn } from "~/server/jobs/functions/social-analytics";
import { decrypt, encrypt } from "~/server/lib/secrets";
import { deleteAllCircuits } from "~/server/repositories/provider-circuits";
import { overview, posts } from "~/server/services/analytics/analytics";
import { configureCircuits, connectionScopeKey } from "~/server/services/resilience/circuit-breaker";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { createOrgFixture, db, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const REDIRECT = "http://127.0.0.1:9/callback";
const DEMO = SANDBOX_TIKTOK_ACCOUNTS[0]!;
const DAY = 86_400_000;

let sandbox: TikTokSandbox;
let served: ServedFetch;
let connector: SocialConnector;
let restore: () => void;
const paths: string[] = [];

beforeAll(async () => {
  sandbox = createTikTokSandbox({ rateLimits: false });
  served = await serveFetch((request) => {
    paths.push(new URL(request.url).pathname);
    return sandbox.handler(request);
  });
  connector = createTikTokConnector({
    authUrl: served.url,
    apiUrl: served.url,
    businessApiUrl: served.url,
    clientKey: sandbox.clientKey,
    clientSecret: sandbox.clientSecret,
    isSandbox: true,
    timeoutMs: 5_000,
  });
  restore = setSocialConnector(connector);
  setPacingRate("TIKTOK", 1000);
});

afterAll(async () => {
  restore();
  await served.close();
});

/** The sandbox's consent page, as a browser would use it, then the code exchange. */
async function connectThroughSandbox(): Promise<TokenSet> {
  const verifier = generateRandomCodeVerifier();
  const authUrl = new URL(connector.authorizationUrl({ state: "st-analytics", redirectUri: REDIRECT, codeChallenge: await calculatePKCECodeChallenge(verifier) }));
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", "allow");
  form.set("open_id", DEMO.openId);
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  const callback = new URL(answer.headers.get("location")!);
  return connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: Object.fromEntries(callback.searchParams) });
}

async function runSync(fx: OrgFixture, connectionId: string) {
  const t = new InngestTestEngine({
    function: syncSocialAnalyticsFn,
    events: [{ name: "social/analytics.sync-requested", data: { organizationId: fx.organizationId, connectionId } }],
  });
  return (await t.execute()).result;
}

describe("analytics sync against the TikTok sandbox", () => {
  let fx: OrgFixture;
  let connectionId: string;
  let refreshToken: string;
  const history = () => tiktokSandboxHistory(DEMO.openId, new Date());

  beforeAll(async () => {
    fx = await createOrgFixture("analytics-tiktok");
    const tokens = await connectThroughSandbox();
    refreshToken = tokens.refreshToken!;
    const connection = await db.connection.create({
      data: {
        organizationId: fx.organizationId,
        provider: "TIKTOK",
        kind: "SOCIAL",
        externalAccountId: tokens.externalAccountId,
        accountName: tokens.accountName ?? null,
        accessTokenEnc: encrypt(tokens.accessToken),
        refreshTokenEnc: encrypt(tokens.refreshToken!),
        expiresAt: tokens.expiresAt,
        refreshExpiresAt: tokens.refreshExpiresAt,
        scopes: tokens.scopes,
      },
    });
    connectionId = connection.id;
    // Our publications of five of the account's posts (the rest were posted outside the app).
    for (const post of history().posts.slice(0, 5)) {
      await db.publication.create({
        data: {
          organizationId: fx.organizationId,
          contentId: fx.contentId,
          connectionId,
          scheduledAt: post.publishedAt,
          status: "PUBLISHED",
          publishedAt: post.publishedAt,
          externalId: post.externalId,
          permalink: post.permalink,
        },
      });
    }
  });

  it("stores the sandbox's account days and post totals, and a re-sync adds no rows", async () => {
    const result = await runSync(fx, connectionId);
    expect(result).toMatchObject({ kind: "done", posts: 5, firstSync: true });

    const h = history();
    const since = new Date(Date.now() - 89 * DAY).toISOString().slice(0, 10);
    const expectedDays = h.accountDaily.filter((d) => d.date >= since);
    const stored = await db.socialAccountMetricSnapshot.findMany({ where: { connectionId }, orderBy: { date: "asc" } });
    expect(stored.map((s) => s.date.toISOString().slice(0, 10))).toEqual(expectedDays.map((d) => d.date));
    expect(stored.at(-1)).toMatchObject({ followers: expectedDays.at(-1)!.followers, views: expectedDays.at(-1)!.views, engagements: expectedDays.at(-1)!.engagements });

    const snapshots = await db.contentMetricSnapshot.findMany({ where: { organizationId: fx.organizationId }, include: { publication: { select: { externalId: true } } } });
    expect(snapshots).toHaveLength(5);
    for (const s of snapshots) {
      const expected = h.posts.find((p) => p.externalId === s.publication.externalId)!.metrics;
      expect(s).toMatchObject({ views: expected.views, likes: expected.likes, comments: expected.comments, shares: expected.shares });
    }

    const again = await runSync(fx, connectionId);
    expect(again).toMatchObject({ kind: "done", posts: 5, firstSync: false });
    expect(await db.socialAccountMetricSnapshot.count({ where: { connectionId } })).toBe(stored.length);
    expect(await db.contentMetricSnapshot.count({ where: { organizationId: fx.organizationId } })).toBe(5);

    // The page's figures come from these rows.
    const o = await overview(tenantCtxOf(fx, "VIEWER"), { range: 7, networks: ["TIKTOK"] });
    const lastWeek = expectedDays.filter((d) => d.date >= new Date(Date.now() - 6 * DAY).toISOString().slice(0, 10));
    expect(o.total.views).toBe(lastWeek.reduce((sum, d) => sum + d.views, 0));
    expect(o.total.followers).toBe(expectedDays.at(-1)!.followers);
    const page = await posts(tenantCtxOf(fx, "VIEWER"), { range: 90, sort: "views", limit: 10 });
    const views = page.items.map((p) => p.metrics!.views);
    expect(views).toEqual([...views].sort((a, b) => b - a));
  });

  it("refreshes an expired access token through the sandbox (rotating the refresh token) before reading", async () => {
    await db.connection.update({ where: { id: connectionId }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    paths.length = 0;
    const result = await runSync(fx, connectionId);
    expect(result).toMatchObject({ kind: "done" });
    expect(paths.some((p) => p.includes("oauth/token"))).toBe(true);
    const row = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    // TikTok rotates refresh tokens: the newest one is stored.
    expect(decrypt(row.refreshTokenEnc!)).not.toBe(refreshToken);
  });
});

describe("analytics sync while the TikTok breaker is open (docs/resilience.md)", () => {
  it("the function sleeps until the reopen time with nothing sent, then the probe syncs and closes the breaker", async () => {
    const restoreCircuits = configureCircuits({ failureThreshold: 1, providerFailureThreshold: 1000, openMs: 1200, maxOpenMs: 1200 });
    try {
      const fx = await createOrgFixture("analytics-breaker");
      const tokens = await connectThroughSandbox();
      const { id: connectionId } = await db.connection.create({
        data: {
          organizationId: fx.organizationId,
          provider: "TIKTOK",
          kind: "SOCIAL",
          externalAccountId: tokens.externalAccountId,
          accessTokenEnc: encrypt(tokens.accessToken),
          refreshTokenEnc: encrypt(tokens.refreshToken!),
          expiresAt: tokens.expiresAt,
          refreshExpiresAt: tokens.refreshExpiresAt,
          scopes: tokens.scopes,
        },
      });
      // One 500 opens this account's breaker (threshold 1 here).
      sandbox.setFaults({ serverErrors: 1 });
      paths.length = 0;
      let sentWhileOpen = -1;
      const t = new InngestTestEngine({
        function: syncSocialAnalyticsFn,
        events: [{ name: "social/analytics.sync-requested", data: { organizationId: fx.organizationId, connectionId } }],
        // The step sleep, for real: wait out the open window and count what reached the network.
        steps: [
          {
            id: "rate-limit",
            handler: async () => {
              const row = await db.providerCircuit.findUniqueOrThrow({ where: { scopeKey: connectionScopeKey(connectionId) } });
              expect(row.state).toBe("OPEN");
              const before = paths.length;
              await new Promise((r) => setTimeout(r, row.reopenAt!.getTime() - Date.now() + 20));
              sentWhileOpen = paths.length - before;
              return undefined;
            },
          },
        ],
      });
      const { result } = await t.execute();
      expect(result).toMatchObject({ kind: "done" });
      expect(sentWhileOpen).toBe(0);
      expect(await db.providerCircuit.findUnique({ where: { scopeKey: connectionScopeKey(connectionId) } })).toMatchObject({ state: "CLOSED", failures: 0 });
    } finally {
      sandbox.setFaults({ serverErrors: 0 });
      restoreCircuits();
      await deleteAllCircuits(db);
    }
  });
});

describe("analytics sync against the Instagram sandbox", () => {
  const IG = SANDBOX_INSTAGRAM_ACCOUNTS[0]!;
  const IG_REDIRECT = "http://127.0.0.1:9/callback/instagram";
  let igServed: ServedFetch;
  let ig: SocialConnector;
  let igRestore: () => void;
  let fx: OrgFixture;
  let connectionId: string;

  beforeAll(async () => {
    const igSandbox = createInstagramSandbox();
    igServed = await serveFetch((request) => igSandbox.handler(request));
    ig = createInstagramConnector({
      graphUrl: igServed.url,
      apiUrl: igServed.url,
      authUrl: igServed.url,
      clientId: igSandbox.clientId,
      clientSecret: igSandbox.clientSecret,
      isSandbox: true,
      timeoutMs: 5_000,
    });
    igRestore = setSocialConnector(ig);
    setPacingRate("INSTAGRAM", 1000);

    const authUrl = new URL(ig.authorizationUrl({ state: "st-ig-analytics", redirectUri: IG_REDIRECT }));
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    form.set("user_id", IG.id);
    const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    expect(answer.status).toBe(302);
    const callback = new URL(answer.headers.get("location")!);
    const tokens = await ig.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: IG_REDIRECT, callbackParams: Object.fromEntries(callback.searchParams) });

    fx = await createOrgFixture("analytics-instagram");
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
    for (const post of instagramSandboxHistory(IG.id, new Date()).posts.slice(0, 4)) {
      await db.publication.create({
        data: {
          organizationId: fx.organizationId,
          contentId: fx.contentId,
          connectionId,
          scheduledAt: post.publishedAt,
          status: "PUBLISHED",
          publishedAt: post.publishedAt,
          externalId: post.externalId,
          permalink: post.permalink,
        },
      });
    }
  });

  afterAll(async () => {
    igRestore();
    await igServed.close();
  });

  it("stores 90 days of account insights and the posts' lifetime totals, once", async () => {
    const result = await runSync(fx, connectionId);
    expect(result).toMatchObject({ kind: "done", posts: 4, firstSync: true });
    const h = instagramSandboxHistory(IG.id, new Date());
    const since = new Date(Date.now() - 89 * DAY).toISOString().slice(0, 10);
    const expectedDays = h.days.filter((d) => d.date >= since);
    const stored = await db.socialAccountMetricSnapshot.findMany({ where: { connectionId }, orderBy: { date: "asc" } });
    // The history ends yesterday; the sandbox also answers today's day so far: 90 days in all.
    const today = new Date().toISOString().slice(0, 10);
    expect(stored.map((s) => s.date.toISOString().slice(0, 10))).toEqual([...expectedDays.map((d) => d.date), today]);
    expect(stored[0]).toMatchObject({ followers: expectedDays[0]!.followers, reach: expectedDays[0]!.reach, views: expectedDays[0]!.views });
    expect(stored[88]).toMatchObject({ followers: expectedDays[88]!.followers, engagements: expectedDays[88]!.engagements });

    const snapshots = await db.contentMetricSnapshot.findMany({ where: { organizationId: fx.organizationId }, include: { publication: { select: { externalId: true } } } });
    expect(snapshots).toHaveLength(4);
    for (const s of snapshots) {
      const expected = h.posts.find((p) => p.externalId === s.publication.externalId)!.metrics;
      expect(s).toMatchObject({ views: expected.views, reach: expected.reach, likes: expected.likes, saves: expected.saves });
    }

    expect(await runSync(fx, connectionId)).toMatchObject({ kind: "done", firstSync: false });
    expect(await db.socialAccountMetricSnapshot.count({ where: { connectionId } })).toBe(stored.length);
    expect(await db.contentMetricSnapshot.count({ where: { organizationId: fx.organizationId } })).toBe(4);
  });
});

describe("analytics sync against the YouTube sandbox", () => {
  const CHANNEL = SANDBOX_YOUTUBE_ACCOUNTS[0]!.id;
  const YT_REDIRECT = "http://127.0.0.1:9/callback/youtube";
  let ytServed: ServedFetch;
  let yt: SocialConnector;
  let ytRestore: () => void;
  let fx: OrgFixture;
  let connectionId: string;

  beforeAll(async () => {
    const ytSandbox = createYouTubeSandbox();
    ytServed = await serveFetch((request) => ytSandbox.handler(request));
    yt = createYouTubeConnector({
      apiUrl: ytServed.url,
      analyticsUrl: ytServed.url,
      oauthUrl: ytServed.url,
      tokenUrl: ytServed.url,
      clientId: ytSandbox.clientId,
      clientSecret: ytSandbox.clientSecret,
      isSandbox: true,
      timeoutMs: 5_000,
    });
    ytRestore = setSocialConnector(yt);
    setPacingRate("YOUTUBE", 1000);

    const verifier = generateRandomCodeVerifier();
    const authUrl = new URL(yt.authorizationUrl({ state: "st-yt-analytics", redirectUri: YT_REDIRECT, codeChallenge: await calculatePKCECodeChallenge(verifier) }));
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    form.set("channel_id", CHANNEL);
    const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form,
      redirect: "manual",
    });
    expect(answer.status).toBe(302);
    const callback = new URL(answer.headers.get("location")!);
    const tokens = await yt.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: YT_REDIRECT, codeVerifier: verifier, callbackParams: Object.fromEntries(callback.searchParams) });

    fx = await createOrgFixture("analytics-youtube");
    const connection = await db.connection.create({
      data: {
        organizationId: fx.organizationId,
        provider: "YOUTUBE",
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
    for (const post of youtubeSandboxHistory(CHANNEL, new Date()).posts.slice(0, 3)) {
      await db.publication.create({
        data: {
          organizationId: fx.organizationId,
          contentId: fx.contentId,
          connectionId,
          scheduledAt: post.publishedAt,
          status: "PUBLISHED",
          publishedAt: post.publishedAt,
          externalId: post.externalId,
          permalink: post.permalink,
        },
      });
    }
  });

  afterAll(async () => {
    ytRestore();
    await ytServed.close();
  });

  it("stores the channel's days and the videos' statistics", async () => {
    expect(await runSync(fx, connectionId)).toMatchObject({ kind: "done", posts: 3, firstSync: true });
    const h = youtubeSandboxHistory(CHANNEL, new Date());
    const stored = await db.socialAccountMetricSnapshot.findMany({ where: { connectionId }, orderBy: { date: "asc" } });
    expect(stored).toHaveLength(90);
    for (const s of stored) {
      const day = h.daily.find((d) => d.date === s.date.toISOString().slice(0, 10))!;
      expect(s).toMatchObject({ followers: day.followers, views: day.views });
    }
    const snapshots = await db.contentMetricSnapshot.findMany({ where: { organizationId: fx.organizationId }, include: { publication: { select: { externalId: true } } } });
    expect(snapshots).toHaveLength(3);
    for (const s of snapshots) {
      const expected = h.posts.find((p) => p.externalId === s.publication.externalId)!.metrics;
      expect(s).toMatchObject({ views: expected.views, likes: expected.likes, comments: expected.comments });
    }
  });
});
