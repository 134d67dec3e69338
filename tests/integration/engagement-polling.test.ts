/**
 * Comment polling for a network without webhooks: the TikTok client against the TikTok sandbox over
 * HTTP, connected through the sandbox's consent page, with a real PostgreSQL. Also the 5-minute
 * fan-out (TikTok every time, Instagram only hourly) and the send events of replies whose event
 * was lost, run through the Inngest function itself.
 */
import { InngestTestEngine } from "@inngest/test";
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { createTikTokSandbox, SANDBOX_TIKTOK_ACCOUNTS, type TikTokSandbox } from "~/server/connectors/sandbox/tiktok";
import { createYouTubeSandbox, SANDBOX_YOUTUBE_ACCOUNTS, type YouTubeSandbox } from "~/server/connectors/sandbox/youtube";
import { setSocialConnector } from "~/server/connectors/social/registry";
import { createTikTokConnector } from "~/server/connectors/social/tiktok";
import { createYouTubeConnector } from "~/server/connectors/social/youtube";
import type { SocialConnector } from "~/server/connectors/social/types";
import { inngest } from "~/server/jobs/client";
import { commentsPollFanOut, pollCommentsFn } from "~/server/jobs/functions/engagement";
import { decrypt, encrypt } from "~/server/lib/secrets";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { applyVisibility, sendReply } from "~/server/services/engagement/delivery";
import { connectionsDueForPolling, pollComments } from "~/server/services/engagement/poll";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const REDIRECT = "http://127.0.0.1:9/callback";
const DEMO = SANDBOX_TIKTOK_ACCOUNTS[0]!;

let sandbox: TikTokSandbox;
let served: ServedFetch;
let connector: SocialConnector;
const restores: (() => void)[] = [];
const sent: { name: string; data: Record<string, unknown>; id?: string }[] = [];

/** Drives the sandbox's consent page like a browser and exchanges the code. */
async function connectTikTok() {
  const verifier = generateRandomCodeVerifier();
  const authUrl = new URL(connector.authorizationUrl({ state: "st-1", redirectUri: REDIRECT, codeChallenge: await calculatePKCECodeChallenge(verifier) }));
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", "allow");
  form.set("open_id", DEMO.openId);
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form, redirect: "manual" });
  const callback = new URL(answer.headers.get("location")!);
  return connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: Object.fromEntries(callback.searchParams) });
}

beforeAll(async () => {
  sandbox = createTikTokSandbox();
  served = await serveFetch(sandbox.handler);
  connector = createTikTokConnector({ authUrl: served.url, apiUrl: served.url, businessApiUrl: served.url, clientKey: sandbox.clientKey, clientSecret: sandbox.clientSecret, isSandbox: true });
  restores.push(setSocialConnector(connector));
  // Instagram is only asked what kind of delivery it has (the fan-out test).
  restores.push(setSocialConnector({ provider: "INSTAGRAM", commentsDelivery: "webhook", isSandbox: true } as SocialConnector));
  setPacingRate("TIKTOK", 1000);
  vi.spyOn(inngest, "send").mockImplementation((async (payload: unknown) => {
    const list = (Array.isArray(payload) ? payload : [payload]) as { name: string; data: Record<string, unknown>; id?: string }[];
    sent.push(...list);
    return { ids: list.map(() => "x") };
  }) as unknown as typeof inngest.send);
});

afterAll(async () => {
  for (const restore of restores.reverse()) restore();
  vi.restoreAllMocks();
  await served.close();
});

beforeEach(() => {
  sent.length = 0;
});

async function tiktokConnection(fx: OrgFixture) {
  const tokens = await connectTikTok();
  return db.connection.create({
    data: {
      organizationId: fx.organizationId,
      provider: "TIKTOK",
      kind: "SOCIAL",
      externalAccountId: tokens.externalAccountId,
      accountName: "@lojademo",
      accessTokenEnc: encrypt(tokens.accessToken),
      refreshTokenEnc: tokens.refreshToken ? encrypt(tokens.refreshToken) : null,
      expiresAt: tokens.expiresAt,
    },
  });
}

describe("TikTok comment polling", () => {
  let fx: OrgFixture;
  let connectionId: string;
  let externalAccountId: string;
  beforeAll(async () => {
    fx = await createOrgFixture("eng-tiktok");
    const connection = await tiktokConnection(fx);
    connectionId = connection.id;
    externalAccountId = connection.externalAccountId;
  });
  const ctx = () => jobTenantCtx(db, { organizationId: fx.organizationId });

  it("stores the account's comments once across polls, with threads, and announces only new ones", async () => {
    const first = await pollComments(ctx(), { connectionId });
    expect(first.status).toBe("polled");
    if (first.status !== "polled") return;
    expect(first.stored).toBeGreaterThan(0);
    const stored = await db.comment.count({ where: { organizationId: fx.organizationId, connectionId } });
    expect(stored).toBe(first.stored);
    expect(sent.filter((e) => e.name === "social/comment.received")).toHaveLength(first.stored);

    sent.length = 0;
    const again = await pollComments(ctx(), { connectionId });
    expect(again).toMatchObject({ status: "polled", stored: 0 });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, connectionId } })).toBe(stored);
    expect(sent).toHaveLength(0);

    const { posts } = await connector.listPosts({ accessToken: (await connectTikTok()).accessToken, externalAccountId }, null);
    const videoId = posts[0]!.externalId;
    const top = sandbox.addComment({ videoId, text: "Qual o preço?", username: "cliente.um" });
    expect(top).not.toBeNull();
    const third = await pollComments(ctx(), { connectionId });
    expect(third).toMatchObject({ status: "polled", stored: 1 });
    const row = await db.comment.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId, text: "Qual o preço?" } });
    expect(row).toMatchObject({ postExternalId: videoId, parentExternalId: null, threadExternalId: row.externalId, fromAccount: false });
    expect(sent.filter((e) => e.name === "social/comment.received").map((e) => e.data.commentId)).toEqual([row.id]);
  });

  it("sends a reply from the inbox to TikTok once", async () => {
    const comment = await db.comment.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId, text: "Qual o preço?" } });
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect(await operator.engagement.reply({ commentId: comment.id, text: "x".repeat(151) }).catch((e: { code?: string }) => e.code)).toBe("BAD_REQUEST");
    const { replyId } = await operator.engagement.reply({ commentId: comment.id, text: "Oi! Te mandamos por DM." });
    const ctxJob = jobTenantCtx(db, { organizationId: fx.organizationId });
    expect(await sendReply(ctxJob, { replyId })).toMatchObject({ status: "SENT" });
    expect(await sendReply(ctxJob, { replyId })).toEqual({ status: "SKIPPED", current: "SENT" });
    const reply = await db.comment.findUniqueOrThrow({ where: { id: replyId } });
    expect(reply.externalId).not.toMatch(/^pending:/);
    // Polling again does not bring our own reply back as someone else's comment.
    await pollComments(ctxJob, { connectionId });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, connectionId, text: "Oi! Te mandamos por DM." } })).toBe(1);
  });
});

describe("poll fan-out", () => {
  it("polls TikTok every time and Instagram only when its hourly safety poll is due", async () => {
    const fx = await createOrgFixture("eng-fanout");
    const tiktok = await tiktokConnection(fx);
    const now = new Date();
    const igRecent = await db.connection.create({
      data: { organizationId: fx.organizationId, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId: "ig-recent", metadata: { commentsPolledAt: new Date(now.getTime() - 10 * 60_000).toISOString() } },
    });
    const igStale = await db.connection.create({
      data: { organizationId: fx.organizationId, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId: "ig-stale", metadata: { commentsPolledAt: new Date(now.getTime() - 2 * 3_600_000).toISOString() } },
    });
    const tiktokPolled = await db.connection.update({ where: { id: tiktok.id }, data: { metadata: { commentsPolledAt: now.toISOString() } } });
    const blocked = await db.connection.create({
      data: { organizationId: fx.organizationId, provider: "TIKTOK", kind: "SOCIAL", externalAccountId: "tt-blocked", blockedUntil: new Date(now.getTime() + 60_000) },
    });
    const due = (await connectionsDueForPolling(db, now)).filter((c) => c.organizationId === fx.organizationId).map((c) => c.id);
    expect(due).toContain(tiktokPolled.id);
    expect(due).toContain(igStale.id);
    // The fixture's Instagram account was never polled: due too.
    expect(due).toContain(fx.social.socialConnectionId);
    expect(due).not.toContain(igRecent.id);
    expect(due).not.toContain(blocked.id);

    const t = new InngestTestEngine({ function: commentsPollFanOut, events: [{ name: "inngest/scheduled.timer", data: {} }] });
    const { ctx } = await t.execute();
    const events = vi.mocked(ctx.step.sendEvent).mock.calls.flatMap((c) => c[1] as unknown as { name: string; id: string; data: { connectionId?: string; organizationId: string } }[]);
    const mine = events.filter((e) => e.data.organizationId === fx.organizationId && e.name === "social/comments.poll-requested");
    expect(mine.map((e) => e.data.connectionId)).toContain(tiktok.id);
    expect(mine.map((e) => e.data.connectionId)).not.toContain(igRecent.id);
    expect(new Set(mine.map((e) => e.id)).size).toBe(mine.length);
  });

  it("re-sends the event of a reply stuck PENDING, and the poll function runs one account", async () => {
    const fx = await createOrgFixture("eng-stuck");
    const stuck = await db.comment.create({
      data: {
        organizationId: fx.organizationId,
        connectionId: fx.social.socialConnectionId,
        externalId: "pending:stuck-1",
        parentExternalId: "c-1",
        threadExternalId: "c-1",
        authorName: "@conta",
        fromAccount: true,
        deliveryStatus: "PENDING",
        text: "Obrigado!",
        receivedAt: new Date(),
        createdAt: new Date(Date.now() - 30 * 60_000),
      },
    });
    const t = new InngestTestEngine({ function: commentsPollFanOut, events: [{ name: "inngest/scheduled.timer", data: {} }] });
    const { ctx } = await t.execute();
    const events = vi.mocked(ctx.step.sendEvent).mock.calls.flatMap((c) => c[1] as unknown as { name: string; data: { replyId?: string } }[]);
    expect(events.filter((e) => e.name === "social/comment.reply-requested").map((e) => e.data.replyId)).toContain(stuck.id);

    const tiktok = await tiktokConnection(fx);
    const run = new InngestTestEngine({ function: pollCommentsFn, events: [{ name: "social/comments.poll-requested", data: { organizationId: fx.organizationId, connectionId: tiktok.id } }] });
    const { result } = await run.execute();
    expect(result).toMatchObject({ status: "polled" });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, connectionId: tiktok.id } })).toBeGreaterThan(0);
  });
});

describe("YouTube comment polling", () => {
  let yt: YouTubeSandbox;
  let ytServed: ServedFetch;
  let ytConnector: SocialConnector;
  let fx: OrgFixture;
  let connectionId: string;
  let restore: () => void;
  const CHANNEL = SANDBOX_YOUTUBE_ACCOUNTS[0]!.id;

  beforeAll(async () => {
    yt = createYouTubeSandbox();
    ytServed = await serveFetch(yt.handler);
    ytConnector = createYouTubeConnector({ apiUrl: ytServed.url, analyticsUrl: ytServed.url, oauthUrl: ytServed.url, tokenUrl: ytServed.url, clientId: yt.clientId, clientSecret: yt.clientSecret, isSandbox: true });
    restore = setSocialConnector(ytConnector);
    setPacingRate("YOUTUBE", 1000);
    const verifier = generateRandomCodeVerifier();
    const authUrl = new URL(ytConnector.authorizationUrl({ state: "st-1", redirectUri: REDIRECT, codeChallenge: await calculatePKCECodeChallenge(verifier) }));
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    form.set("channel_id", CHANNEL);
    const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form, redirect: "manual" });
    const callback = new URL(answer.headers.get("location")!);
    const tokens = await ytConnector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: Object.fromEntries(callback.searchParams) });
    fx = await createOrgFixture("eng-youtube");
    const connection = await db.connection.create({
      data: {
        organizationId: fx.organizationId,
        provider: "YOUTUBE",
        kind: "SOCIAL",
        externalAccountId: tokens.externalAccountId,
        accountName: "Loja Demo",
        accessTokenEnc: encrypt(tokens.accessToken),
        refreshTokenEnc: tokens.refreshToken ? encrypt(tokens.refreshToken) : null,
        expiresAt: tokens.expiresAt,
      },
    });
    connectionId = connection.id;
  });
  afterAll(async () => {
    restore();
    await ytServed.close();
  });

  it("stores comments once across polls, replies once and hides through the moderation status", async () => {
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const first = await pollComments(ctx, { connectionId });
    expect(first.status).toBe("polled");
    const stored = await db.comment.count({ where: { organizationId: fx.organizationId, connectionId } });
    expect(await pollComments(ctx, { connectionId })).toMatchObject({ status: "polled", stored: 0 });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, connectionId } })).toBe(stored);

    const { posts } = await ytConnector.listPosts({ accessToken: (await freshToken()).accessToken, externalAccountId: CHANNEL }, null);
    const added = yt.addComment({ videoId: posts[0]!.externalId, text: "Qual o preço da garrafa?", authorName: "Cliente YT" });
    expect(await pollComments(ctx, { connectionId })).toMatchObject({ status: "polled", stored: 1 });
    const comment = await db.comment.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId, externalId: added.id } });
    expect(comment).toMatchObject({ postExternalId: posts[0]!.externalId, threadExternalId: added.id, fromAccount: false });

    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect((await operator.engagement.thread({ commentId: comment.id })).permalink).toBe(`https://www.youtube.com/watch?v=${posts[0]!.externalId}`);
    const { replyId } = await operator.engagement.reply({ commentId: comment.id, text: "Está na descrição do vídeo!" });
    expect(await sendReply(ctx, { replyId })).toMatchObject({ status: "SENT" });
    expect(await sendReply(ctx, { replyId })).toEqual({ status: "SKIPPED", current: "SENT" });
    const reply = await db.comment.findUniqueOrThrow({ where: { id: replyId } });
    // The reply comes back by the next poll under the same id: still one row, not announced.
    sent.length = 0;
    await pollComments(ctx, { connectionId });
    expect(await db.comment.count({ where: { organizationId: fx.organizationId, connectionId, externalId: reply.externalId } })).toBe(1);
    expect(sent.filter((e) => e.name === "social/comment.received")).toHaveLength(0);

    await operator.engagement.setHidden({ commentId: comment.id, hidden: true });
    expect(await applyVisibility(ctx, { commentId: comment.id, hidden: true })).toEqual({ status: "DONE", hidden: true });
    expect((await db.comment.findUniqueOrThrow({ where: { id: comment.id } })).hiddenAt).not.toBeNull();
    // Three polls and a reply stay far below the project's daily quota.
    expect(yt.quotaUsed()).toBeLessThan(200);
  });

  async function freshToken() {
    const row = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
    return { accessToken: decrypt(row.accessTokenEnc!) };
  }
});
