/**
 * The Instagram client against the Instagram sandbox, over real HTTP on 127.0.0.1; media served by
 * a second local server that the sandbox downloads from, webhooks received by a third. No database:
 * both sides are plain HTTP. The sandbox's clock is moved to expire tokens and containers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { GET as sandboxGet, POST as sandboxPost } from "~/app/api/sandbox/instagram/[...path]/route";
import { ConnectorError, type TokenSet } from "~/server/connectors/common";
import { createInstagramSandbox, instagramSandboxHistory, SANDBOX_INSTAGRAM_ACCOUNTS, type InstagramSandbox, type SandboxPost } from "~/server/connectors/sandbox/instagram";
import { createInstagramConnector, createInstagramConnectorFromEnv, type InstagramConnector } from "~/server/connectors/social/instagram";
import { getSocialConnector } from "~/server/connectors/social/registry";
import type { PublishMedia, PublishProgress, PublishRequest, PublishState, SocialCredentials } from "~/server/connectors/social/types";

import { jpegBytes, mp4Bytes, pngBytes, servedMedia, type ServedMedia } from "../../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const START = Date.parse("2026-11-20T12:00:00Z");
const REDIRECT = "http://127.0.0.1:9/callback/instagram";
const DEMO = SANDBOX_INSTAGRAM_ACCOUNTS[0]!;
const OTHER = SANDBOX_INSTAGRAM_ACCOUNTS[1]!;

let now = START;
const clock = () => now;

let sandbox: InstagramSandbox;
let served: ServedFetch;
let media: ServedMedia;
let receiver: ServedFetch;
/** Statuses the webhook receiver answers, in order (then 200). */
let receiverStatuses: number[] = [];
const received: Array<{ body: string; headers: Headers }> = [];
let connector: InstagramConnector;

function connectorFor(options: { secret?: string; timeoutMs?: number } = {}): InstagramConnector {
  return createInstagramConnector({
    graphUrl: served.url,
    apiUrl: served.url,
    authUrl: served.url,
    clientId: sandbox.clientId,
    clientSecret: options.secret ?? sandbox.clientSecret,
    isSandbox: true,
    timeoutMs: options.timeoutMs ?? 3_000,
    pollIntervalMs: 20,
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Drives the consent page like a browser: GET the page, submit the form, read the redirect. */
async function authorize(input: { userId?: string; decision?: "allow" | "deny"; state?: string } = {}) {
  const authUrl = new URL(connector.authorizationUrl({ state: input.state ?? "st-ig", redirectUri: REDIRECT }));
  expect(authUrl.pathname).toBe("/oauth/authorize");
  expect(authUrl.searchParams.get("scope")).toContain("instagram_business_content_publish");
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("Permitir");
  expect(html).toContain(`@${DEMO.username}`);
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", input.decision ?? "allow");
  form.set("user_id", input.userId ?? DEMO.id);
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location")!);
}

async function connect(userId = DEMO.id): Promise<TokenSet> {
  const callback = await authorize({ userId });
  const code = callback.searchParams.get("code")!;
  return connector.exchangeCode({ code, redirectUri: REDIRECT, callbackParams: Object.fromEntries(callback.searchParams) });
}

function credentialsOf(tokens: TokenSet): SocialCredentials {
  return { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
}

function item(name: string, kind: "IMAGE" | "VIDEO" = "IMAGE"): PublishMedia {
  return {
    kind,
    mimeType: kind === "IMAGE" ? "image/jpeg" : "video/mp4",
    sizeBytes: 1000,
    width: 1080,
    height: 1080,
    durationMs: kind === "VIDEO" ? 5_000 : null,
    url: media.url(name),
    read: async () => new Uint8Array(),
  };
}

let captionCounter = 0;
function request(files: PublishMedia[], caption?: string): PublishRequest {
  captionCounter += 1;
  return { caption: caption ?? `Post de teste ${captionCounter} #lojademo`, title: null, privacy: null, media: files, reference: `pub_${captionCounter}` };
}

type Run = { progress: PublishProgress; phases: string[]; waits: number; state: PublishState | null };

/** Runs the state machine like the publishing service: one phase per call, waiting when told. */
async function publish(creds: SocialCredentials, req: PublishRequest, from: PublishState | null = null, stopAt?: string): Promise<Run> {
  let state = from;
  const phases: string[] = [];
  let waits = 0;
  for (let i = 0; i < 400; i++) {
    if (stopAt && state?.phase === stopAt) return { progress: { kind: "next", state }, phases, waits, state };
    phases.push(state?.phase ?? "start");
    const progress = await connector.advancePublish(creds, req, state);
    if (progress.kind === "next") state = progress.state;
    else if (progress.kind === "wait") {
      waits += 1;
      expect(progress.retryAfterMs).toBeGreaterThan(0);
      state = progress.state;
      await sleep(20);
    } else return { progress, phases, waits, state };
  }
  throw new Error("publish did not finish");
}

async function sandboxPosts(): Promise<SandboxPost[]> {
  const response = await fetch(`${served.url}/_sandbox/posts`);
  return ((await response.json()) as { posts: SandboxPost[] }).posts;
}

beforeAll(async () => {
  receiver = await serveFetch(async (req) => {
    received.push({ body: await req.text(), headers: req.headers });
    const status = receiverStatuses.shift() ?? 200;
    return new Response(status === 200 ? "ok" : "nope", { status });
  });
  sandbox = createInstagramSandbox({
    clock,
    imageProcessingMs: 40,
    videoProcessingMs: 60,
    webhookUrl: `${receiver.url}/api/v1/webhooks/instagram`,
    webhookRetryDelaysMs: [20, 20, 20],
  });
  served = await serveFetch(sandbox.handler);
  media = await servedMedia({
    "square.jpg": await jpegBytes({ width: 1080, height: 1080 }),
    "portrait.jpg": await jpegBytes({ width: 1080, height: 1350 }),
    "too-tall.jpg": await jpegBytes({ width: 600, height: 1000 }),
    "logo.png": await pngBytes({ width: 1080, height: 1080 }),
    "reel.mp4": mp4Bytes({ durationMs: 5_000, width: 1080, height: 1920 }),
    "short.mp4": mp4Bytes({ durationMs: 1_000, width: 1080, height: 1920 }),
  });
  connector = connectorFor();
});

afterAll(async () => {
  await sandbox.settle();
  await Promise.all([served.close(), media.close(), receiver.close()]);
});

beforeEach(async () => {
  await sandbox.settle();
  sandbox.reset();
  now = START;
  receiverStatuses = [];
  received.length = 0;
});

describe("OAuth (Instagram Login)", () => {
  it("consent page → code → short-lived → 60-day token with the account's id and name; a code works once", async () => {
    const callback = await authorize({ state: "abc" });
    expect(callback.searchParams.get("state")).toBe("abc");
    const code = callback.searchParams.get("code")!;
    expect(code).toBeTruthy();
    const tokens = await connector.exchangeCode({ code, redirectUri: REDIRECT, callbackParams: { code } });
    expect(tokens.externalAccountId).toBe(DEMO.id);
    expect(tokens.accountName).toBe(DEMO.username);
    expect(tokens.refreshToken).toBe(tokens.accessToken);
    expect(tokens.expiresAt.getTime()).toBe(START + 5_184_000_000);
    expect(tokens.refreshExpiresAt?.getTime()).toBe(tokens.expiresAt.getTime());
    expect(tokens.scopes).toEqual(expect.arrayContaining(["instagram_business_content_publish", "instagram_business_manage_comments"]));

    const reused = await expectConnectorError(connector.exchangeCode({ code, redirectUri: REDIRECT, callbackParams: { code } }), "invalid_grant");
    expect(reused.message).toContain("has been used");
  });

  it("a denied consent redirects with error=access_denied and the state", async () => {
    const callback = await authorize({ decision: "deny", state: "denied-1" });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe("denied-1");
    expect(callback.searchParams.get("code")).toBeNull();
  });

  it("a code for another redirect_uri, or a wrong app secret, is refused", async () => {
    const callback = await authorize();
    const code = callback.searchParams.get("code")!;
    await expectConnectorError(connector.exchangeCode({ code, redirectUri: "http://127.0.0.1:9/other", callbackParams: {} }), "invalid_grant");
    const wrong = connectorFor({ secret: "not-the-secret" });
    const error = await expectConnectorError(wrong.exchangeCode({ code, redirectUri: REDIRECT, callbackParams: {} }), "refused");
    expect(error.details.code).toBe("invalid_client");
  });

  it("refresh: refused while the token is under 24 h old, then a new 60-day token; an expired token needs a reconnect", async () => {
    const tokens = await connect(OTHER.id);
    expect(tokens.externalAccountId).toBe(OTHER.id);
    const tooNew = await expectConnectorError(connector.refresh(tokens.refreshToken!, { externalAccountId: OTHER.id }), "refused");
    expect(tooNew.message).toContain("24 hours");

    now = START + 25 * 3_600_000;
    const refreshed = await connector.refresh(tokens.refreshToken!, { externalAccountId: OTHER.id });
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshToken).toBe(refreshed.accessToken);
    expect(refreshed.expiresAt.getTime()).toBe(now + 5_184_000_000);
    expect(refreshed.externalAccountId).toBe(OTHER.id);
    // Meta does not revoke the previous long-lived token: both work until their own expiry.
    await expect(connector.listPosts(credentialsOf(tokens), null)).resolves.toBeTruthy();
    await expect(connector.listPosts(credentialsOf(refreshed), null)).resolves.toBeTruthy();

    now = START + 61 * 86_400_000;
    await expectConnectorError(connector.listPosts(credentialsOf(tokens), null), "unauthorized");
    await expectConnectorError(connector.refresh(tokens.refreshToken!, { externalAccountId: OTHER.id }), "invalid_grant");
  });
});

describe("publishing", () => {
  it("an image goes through container → status → media_publish and is live once", async () => {
    const tokens = await connect();
    const creds = credentialsOf(tokens);
    const req = request([item("square.jpg")]);
    const run = await publish(creds, req);
    expect(run.progress.kind).toBe("published");
    if (run.progress.kind !== "published") return;
    expect(run.phases).toEqual(expect.arrayContaining(["start", "status", "publish"]));
    expect(run.waits).toBeGreaterThan(0); // processing takes a moment: IN_PROGRESS first
    expect(run.progress.permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\//);
    const posts = (await sandboxPosts()).filter((p) => p.caption === req.caption);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ id: run.progress.externalId, accountId: DEMO.id, publishCount: 1 });

    const listed = await connector.listPosts(creds, null);
    expect(listed.posts[0]).toMatchObject({ externalId: run.progress.externalId, caption: req.caption });
    expect(listed.posts[0]!.publishedAt.getTime()).toBe(START);
  });

  it("a carousel creates one container per item, then the carousel, then publishes", async () => {
    const creds = credentialsOf(await connect());
    const req = request([item("square.jpg"), item("portrait.jpg"), item("reel.mp4", "VIDEO")]);
    const run = await publish(creds, req);
    expect(run.progress.kind).toBe("published");
    expect(run.phases.filter((p) => p === "children")).toHaveLength(2); // start creates the first item
    expect(run.phases).toContain("container");
    const posts = await sandboxPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.caption).toBe(req.caption);
  });

  it("a single video is published as a Reel", async () => {
    const creds = credentialsOf(await connect());
    const run = await publish(creds, request([item("reel.mp4", "VIDEO")]));
    expect(run.progress.kind).toBe("published");
    if (run.progress.kind === "published") expect(run.progress.permalink).toContain("/reel/");
  });

  it("container ERROR: a PNG, a too-tall image, a 1 s video or a missing file fail with Meta's readable reason", async () => {
    const creds = credentialsOf(await connect());
    const cases: Array<[PublishMedia, RegExp]> = [
      [item("logo.png"), /only JPEG/],
      [item("too-tall.jpg"), /aspect ratio/],
      [item("short.mp4", "VIDEO"), /duration/],
      [item("missing.jpg"), /download has failed/],
    ];
    for (const [file, reason] of cases) {
      const run = await publish(creds, request([file]));
      expect(run.progress).toMatchObject({ kind: "failed", code: "container_error" });
      if (run.progress.kind === "failed") expect(run.progress.reason).toMatch(reason);
    }
    expect(await sandboxPosts()).toHaveLength(0);
  });

  it("container EXPIRED: a container not published within 24 h fails; confirm restarts from creation", async () => {
    const creds = credentialsOf(await connect());
    const req = request([item("square.jpg")]);
    const halfway = await publish(creds, req, null, "publish");
    expect(halfway.state?.phase).toBe("publish");
    now = START + 25 * 3_600_000;
    const status = await connector.advancePublish(creds, req, { phase: "status", data: halfway.state!.data });
    expect(status).toMatchObject({ kind: "failed", code: "container_expired" });
    // media_publish on the expired container is refused; the status check then reports it expired.
    const publishing = await connector.advancePublish(creds, req, halfway.state);
    expect(publishing.kind).toBe("wait");
    const confirmation = await connector.confirmPublish(creds, req, halfway.state!);
    expect(confirmation).toEqual({ kind: "not_published", state: { phase: "container", data: {} } });
    expect(await sandboxPosts()).toHaveLength(0);
  });

  it("publishing quota: the third post of a 2-post window is rate_limited quota_exhausted until the oldest post leaves the window", async () => {
    sandbox.configure({ publishLimit: 2 });
    const creds = credentialsOf(await connect());
    expect(await connector.getPublishingQuota(creds)).toEqual({ limit: 2, used: 0, resetsAt: null });
    expect((await publish(creds, request([item("square.jpg")]))).progress.kind).toBe("published");
    now = START + 3_600_000;
    expect((await publish(creds, request([item("square.jpg")]))).progress.kind).toBe("published");
    now = START + 2 * 3_600_000;

    const quota = await connector.getPublishingQuota(creds);
    expect(quota).toMatchObject({ limit: 2, used: 2 });
    expect(quota?.resetsAt?.getTime()).toBe(START + 86_400_000);

    const req = request([item("square.jpg")]);
    const ready = await publish(creds, req, null, "publish");
    const error = await expectConnectorError(connector.advancePublish(creds, req, ready.state), "rate_limited");
    expect(error.details.code).toBe("quota_exhausted");
    // The first post (at START) leaves the rolling window at START + 24 h; it is now START + 2 h.
    expect(error.details.retryAfterMs).toBe(22 * 3_600_000);
    expect(await sandboxPosts()).toHaveLength(2);

    // The post waits, it is not dropped: once the slot frees, the same state publishes.
    now = START + 24 * 3_600_000 + 60_000;
    const later = await publish(creds, req, ready.state);
    expect(later.progress.kind).toBe("published");
  });

  it.each(["drop", "500", "timeout"] as const)("outcome unknown on media_publish (%s) → confirmPublish finds the post; it is live exactly once", async (mode) => {
    const creds = credentialsOf(await connect());
    const client = mode === "timeout" ? connectorFor({ timeoutMs: 400 }) : connector;
    const req = request([item("square.jpg")]);
    const ready = await publish(creds, req, null, "publish");
    sandbox.setFaults({ publish: { mode, count: 1 } });
    const error = await expectConnectorError(client.advancePublish(creds, req, ready.state), "outcome_unknown");
    expect(error.message).not.toContain(creds.accessToken);

    const confirmation = await client.confirmPublish(creds, req, ready.state!);
    expect(confirmation.kind).toBe("published");
    const posts = (await sandboxPosts()).filter((p) => p.caption === req.caption);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.publishCount).toBe(1);
    if (confirmation.kind === "published") expect(confirmation.externalId).toBe(posts[0]!.id);

    // A blind retry of the phase would not publish twice either: the status says PUBLISHED.
    const retry = await client.advancePublish(creds, req, { phase: "status", data: ready.state!.data });
    expect(retry).toMatchObject({ kind: "published", externalId: posts[0]!.id });
    expect(await sandboxPosts()).toHaveLength(1);
  });

  it("confirmPublish before the publish went through: FINISHED → resume at publish; IN_PROGRESS → back to polling", async () => {
    const creds = credentialsOf(await connect());
    const req = request([item("square.jpg")]);
    const created = await connector.advancePublish(creds, req, null);
    expect(created.kind).toBe("next");
    if (created.kind !== "next") return;
    const early = await connector.confirmPublish(creds, req, created.state);
    expect(early).toEqual({ kind: "not_published", state: { phase: "status", data: created.state.data } });
    const ready = await publish(creds, req, created.state, "publish");
    const confirmation = await connector.confirmPublish(creds, req, ready.state!);
    expect(confirmation).toEqual({ kind: "not_published", state: { phase: "publish", data: ready.state!.data } });
    expect(await sandboxPosts()).toHaveLength(0);
  });
});

describe("rate limits and failures", () => {
  it("Meta's rate-limit codes → rate_limited with the wait from estimated_time_to_regain_access", async () => {
    const creds = credentialsOf(await connect());
    sandbox.setFaults({ rateLimited: 1, rateLimitCode: 4, regainMinutes: 3 });
    const app = await expectConnectorError(connector.listPosts(creds, null), "rate_limited");
    expect(app.details.retryAfterMs).toBe(180_000);
    expect(app.details.status).toBe(403);
    sandbox.setFaults({ rateLimited: 1, rateLimitCode: 17, regainMinutes: 0 });
    const user = await expectConnectorError(connector.listPosts(creds, null), "rate_limited");
    expect(user.details.retryAfterMs).toBeGreaterThan(0);
    await expect(connector.listPosts(creds, null)).resolves.toBeTruthy();
  });

  it("the account's hourly call budget: usage climbs, ≥ 95 % says slow down, then error 17", async () => {
    const creds = credentialsOf(await connect());
    sandbox.configure({ callsPerHour: 20 });
    // Connecting read /me: that call counts too.
    await connector.listPosts(creds, null);
    expect(connector.usageOf(DEMO.id)).toMatchObject({ callCount: 10, slowDown: false });
    for (let i = 0; i < 17; i++) await connector.listPosts(creds, null);
    expect(connector.usageOf(DEMO.id)).toMatchObject({ callCount: 95, slowDown: true });
    await connector.listPosts(creds, null);
    const error = await expectConnectorError(connector.listPosts(creds, null), "rate_limited");
    expect(error.details.code).toBe("ig_17");
    expect(error.details.retryAfterMs).toBeGreaterThanOrEqual(60_000);
  });

  it("5xx → transient; an invalid token → unauthorized; another account's object → not_found", async () => {
    const creds = credentialsOf(await connect());
    sandbox.setFaults({ serverErrors: 1 });
    await expectConnectorError(connector.listPosts(creds, null), "transient");
    await expectConnectorError(connector.listPosts({ ...creds, accessToken: "IGAAL-forged" }, null), "unauthorized");
    const other = credentialsOf(await connect(OTHER.id));
    const { posts } = await connector.listPosts(other, null);
    const missing = await expectConnectorError(connector.setCommentHidden(creds, posts[0]!.externalId, true), "not_found");
    expect(missing.details.code).toBe("ig_100_33");
  });
});

describe("metrics and posts", () => {
  it("historical posts and their lifetime metrics agree with instagramSandboxHistory", async () => {
    const creds = credentialsOf(await connect());
    const history = instagramSandboxHistory(DEMO.id, new Date(START));
    expect(history.posts.length).toBe(20);
    const first = await connector.listPosts(creds, null);
    expect(first.posts).toHaveLength(20);
    expect(first.nextCursor).toBeNull();
    expect(first.posts.map((p) => p.externalId)).toEqual(history.posts.map((p) => p.externalId));
    expect(first.posts[0]).toEqual({ externalId: history.posts[0]!.externalId, caption: history.posts[0]!.caption, permalink: history.posts[0]!.permalink, publishedAt: history.posts[0]!.publishedAt });
    expect(history.posts.at(-1)!.publishedAt.getTime()).toBeGreaterThan(START - 61 * 86_400_000);

    const ids = history.posts.slice(0, 3).map((p) => p.externalId);
    const metrics = await connector.getPostMetrics(creds, ids);
    expect(metrics).toEqual(history.posts.slice(0, 3).map((p) => ({ externalId: p.externalId, ...p.metrics })));
  });

  it("a post published in the sandbox grows its metrics over time; unknown ids are skipped", async () => {
    const creds = credentialsOf(await connect());
    const run = await publish(creds, request([item("square.jpg")]));
    if (run.progress.kind !== "published") throw new Error("not published");
    const id = run.progress.externalId;
    const [fresh] = await connector.getPostMetrics(creds, [id]);
    expect(fresh!.reach).toBe(0);
    now = START + 48 * 3_600_000;
    const metrics = await connector.getPostMetrics(creds, [id, "17999999999999999"]);
    expect(metrics).toHaveLength(1);
    expect(metrics[0]!.reach).toBeGreaterThan(0);
    expect(metrics[0]!.views).toBeGreaterThanOrEqual(metrics[0]!.reach);
  });

  it("account metrics: one row per UTC day over a 45-day range (two 30-day calls), equal to the history's days", async () => {
    const creds = credentialsOf(await connect());
    const history = instagramSandboxHistory(DEMO.id, new Date(START));
    const from = new Date(Date.parse(history.days[45]!.date));
    const to = new Date(Date.parse(history.days[89]!.date) + 12 * 3_600_000);
    const rows = await connector.getAccountMetrics(creds, from, to);
    expect(rows).toHaveLength(45);
    expect(rows.map((r) => r.date)).toEqual(history.days.slice(45).map((d) => d.date));
    expect(rows).toEqual(
      history.days.slice(45).map((d) => ({ date: d.date, followers: d.followers, views: d.views, reach: d.reach, profileViews: d.profileViews, engagements: d.engagements })),
    );
    expect(rows.at(-1)!.followers).toBeGreaterThan(rows[0]!.followers);
  });
});

describe("comments", () => {
  it("lists a post's audience comments, replies, hides; replies land in the thread", async () => {
    const creds = credentialsOf(await connect());
    const history = instagramSandboxHistory(DEMO.id, new Date(START));
    const post = history.posts.find((p, i) => i >= 2 && p.comments.length > 0)!;
    const page = await connector.listComments(creds, { postExternalIds: [post.externalId], since: null, cursor: null });
    expect(page.nextCursor).toBeNull();
    expect(page.comments.map((c) => c.externalId).sort()).toEqual(post.comments.map((c) => c.externalId).sort());
    const target = page.comments[0]!;
    expect(target).toMatchObject({ postExternalId: post.externalId, parentExternalId: null, hidden: false });
    expect(target.authorName).toBeTruthy();

    const reply = await connector.replyToComment(creds, { commentExternalId: target.externalId, postExternalId: post.externalId, text: "Oi! Te chamamos no direct 😊" });
    await connector.setCommentHidden(creds, target.externalId, true);
    const after = await connector.listComments(creds, { postExternalIds: [post.externalId], since: null, cursor: null });
    expect(after.comments.find((c) => c.externalId === target.externalId)?.hidden).toBe(true);
    expect(after.comments.find((c) => c.externalId === reply.externalId)).toMatchObject({
      parentExternalId: target.externalId,
      authorExternalId: DEMO.id,
      authorName: DEMO.username,
      text: "Oi! Te chamamos no direct 😊",
    });

    // Threads are one level deep: answering the reply answers the thread's top comment.
    const second = await connector.replyToComment(creds, { commentExternalId: reply.externalId, postExternalId: post.externalId, text: "Mais uma coisa" });
    const last = await connector.listComments(creds, { postExternalIds: [post.externalId], since: null, cursor: null });
    expect(last.comments.find((c) => c.externalId === second.externalId)?.parentExternalId).toBe(target.externalId);
    await connector.setCommentHidden(creds, target.externalId, false);
    const unhidden = await connector.listComments(creds, { postExternalIds: [post.externalId], since: null, cursor: null });
    expect(unhidden.comments.find((c) => c.externalId === target.externalId)?.hidden).toBe(false);
  });

  it("pages across several posts with a cursor (ten posts per page) and keeps only comments newer than `since`", async () => {
    const creds = credentialsOf(await connect());
    const history = instagramSandboxHistory(DEMO.id, new Date(START));
    const postIds = history.posts.map((p) => p.externalId);
    const all: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await connector.listComments(creds, { postExternalIds: postIds, since: null, cursor });
      all.push(...page.comments.map((c) => c.externalId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(all.sort()).toEqual(history.posts.flatMap((p) => p.comments.map((c) => c.externalId)).sort());

    const busy = history.posts.find((p) => p.comments.length >= 2)!;
    const since = busy.comments.map((c) => c.createdAt.getTime()).sort((a, b) => a - b)[0]!;
    const newer = await connector.listComments(creds, { postExternalIds: [busy.externalId], since: new Date(since), cursor: null });
    expect(newer.nextCursor).toBeNull();
    expect(newer.comments.every((c) => c.createdAt.getTime() > since)).toBe(true);
    expect(newer.comments.length).toBe(busy.comments.length - 1);
  });

  it("a reply whose answer is lost is outcome_unknown (it may be visible), and it was written once", async () => {
    const creds = credentialsOf(await connect());
    const post = instagramSandboxHistory(DEMO.id, new Date(START)).posts.find((p) => p.comments.length > 0)!;
    sandbox.setFaults({ reply: { mode: "drop" } });
    const target = { commentExternalId: post.comments[0]!.externalId, postExternalId: post.externalId, text: "Respondemos por direct!" };
    await expectConnectorError(connector.replyToComment(creds, target), "outcome_unknown");
    const page = await connector.listComments(creds, { postExternalIds: [post.externalId], since: null, cursor: null });
    expect(page.comments.filter((c) => c.text === target.text && c.parentExternalId === target.commentExternalId)).toHaveLength(1);
  });

  it("a deleted post is skipped, the other posts' comments still come", async () => {
    const creds = credentialsOf(await connect());
    const history = instagramSandboxHistory(DEMO.id, new Date(START));
    const post = history.posts.find((p) => p.comments.length > 0)!;
    const page = await connector.listComments(creds, { postExternalIds: ["18000000000999999", post.externalId], since: null, cursor: null });
    expect(page.nextCursor).toBeNull();
    expect(page.comments.length).toBeGreaterThan(0);
    expect(page.comments.map((c) => c.externalId).sort()).toEqual(post.comments.map((c) => c.externalId).sort());
  });
});

describe("webhooks", () => {
  async function addComment(body: Record<string, unknown>) {
    const response = await fetch(`${served.url}/_sandbox/comments`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    await sandbox.settle();
    return id;
  }

  it("an audience comment is delivered signed; the signature verifies, a wrong secret or a tampered body does not", async () => {
    const creds = credentialsOf(await connect());
    const run = await publish(creds, request([item("square.jpg")]));
    if (run.progress.kind !== "published") throw new Error("not published");
    const id = await addComment({ media_id: run.progress.externalId, text: "Qual o preço?", username: "mariana.souza" });
    expect(received).toHaveLength(1);
    const delivery = received[0]!;
    expect(delivery.headers.get("x-hub-signature-256")).toMatch(/^sha256=[0-9a-f]{64}$/);
    const webhook = { url: `${receiver.url}/api/v1/webhooks/instagram`, headers: delivery.headers, rawBody: delivery.body };
    expect(connector.verifyWebhook(webhook)).toBe(true);
    expect(connectorFor({ secret: "another-app-secret" }).verifyWebhook(webhook)).toBe(false);
    expect(connector.verifyWebhook({ ...webhook, rawBody: delivery.body.replace("Qual o preço?", "Qual o preço?!") })).toBe(false);
    expect(connector.verifyWebhook({ ...webhook, headers: new Headers() })).toBe(false);

    const events = connector.parseWebhook(delivery.body);
    expect(events).toEqual([
      {
        id: `instagram:comment:${id}`,
        type: "comment.created",
        externalAccountId: DEMO.id,
        comment: {
          externalId: id,
          postExternalId: run.progress.externalId,
          parentExternalId: null,
          authorExternalId: expect.any(String),
          authorName: "mariana.souza",
          text: "Qual o preço?",
          createdAt: new Date(START),
          hidden: false,
        },
      },
    ]);
    // The same comment is what the listing returns.
    const listed = await connector.listComments(creds, { postExternalIds: [run.progress.externalId], since: null, cursor: null });
    expect(listed.comments.map((c) => c.externalId)).toEqual([id]);
  });

  it("a delivery that does not get 200 is retried with the same body: duplicates parse to the same event id", async () => {
    const history = instagramSandboxHistory(DEMO.id, new Date(START));
    const post = history.posts.find((p) => p.comments.length > 0)!;
    const parent = post.comments[0]!;
    receiverStatuses = [500, 503];
    const id = await addComment({ media_id: post.externalId, text: "Respondendo aqui", parent_id: parent.externalId });
    expect(received).toHaveLength(3);
    expect(sandbox.deliveries.map((d) => d.status)).toEqual([500, 503, 200]);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    const ids = received.flatMap((r) => connector.parseWebhook(r.body).map((e) => e.id));
    expect(ids).toEqual([`instagram:comment:${id}`, `instagram:comment:${id}`, `instagram:comment:${id}`]);
    expect(connector.parseWebhook(received[0]!.body)[0]!.comment.parentExternalId).toBe(parent.externalId);
  });

  it("the app's own replies are notified too (the inbox must recognise its own account)", async () => {
    const creds = credentialsOf(await connect());
    const post = instagramSandboxHistory(DEMO.id, new Date(START)).posts.find((p) => p.comments.length > 0)!;
    await connector.replyToComment(creds, { commentExternalId: post.comments[0]!.externalId, postExternalId: post.externalId, text: "Obrigado!" });
    await sandbox.settle();
    const [event] = connector.parseWebhook(received[0]!.body);
    expect(event!.comment.authorExternalId).toBe(event!.externalAccountId);
  });

  it("the subscription handshake echoes hub.challenge only for subscribe with the right verify token", () => {
    const ok = new URLSearchParams({ "hub.mode": "subscribe", "hub.verify_token": "meu-token", "hub.challenge": "1158201444" });
    expect(connector.answerWebhookChallenge(ok, "meu-token")).toBe("1158201444");
    expect(connector.answerWebhookChallenge(ok, "outro-token")).toBeNull();
    expect(connector.answerWebhookChallenge(new URLSearchParams({ ...Object.fromEntries(ok), "hub.mode": "unsubscribe" }), "meu-token")).toBeNull();
    expect(connector.answerWebhookChallenge(ok, "")).toBeNull();
  });

  it("parseWebhook ignores other objects, other fields and malformed bodies", () => {
    expect(connector.parseWebhook("not json")).toEqual([]);
    expect(connector.parseWebhook(JSON.stringify({ object: "page", entry: [] }))).toEqual([]);
    expect(connector.parseWebhook(JSON.stringify({ object: "instagram", entry: [{ id: "1", time: 1, changes: [{ field: "mentions", value: { media_id: "2" } }] }] }))).toEqual([]);
  });
});

describe("sandbox control and mounting", () => {
  it("version prefixes are optional and the control endpoint mints tokens for benchmark accounts", async () => {
    const minted = (await (await fetch(`${served.url}/_sandbox/tokens`, { method: "POST", body: JSON.stringify({ user_id: "17841499999999999" }) })).json()) as { access_token: string };
    const creds = { accessToken: minted.access_token, externalAccountId: "17841499999999999" };
    const plain = await fetch(`${served.url}/me?fields=user_id,username,followers_count`, { headers: { authorization: `Bearer ${creds.accessToken}` } });
    const versioned = await fetch(`${served.url}/v21.0/me?fields=user_id,username,followers_count`, { headers: { authorization: `Bearer ${creds.accessToken}` } });
    const a = (await plain.json()) as Record<string, unknown>;
    expect(a).toMatchObject({ user_id: "17841499999999999", username: "conta_999999" });
    expect(await versioned.json()).toEqual(a);
    expect(plain.headers.get("x-business-use-case-usage")).toContain("17841499999999999");
    const run = await publish(creds, request([item("square.jpg")]));
    expect(run.progress.kind).toBe("published");
  });

  it("without credentials the app's connector points at the sandbox the app mounts at /api/sandbox/instagram", async () => {
    const fromEnv = createInstagramConnectorFromEnv();
    expect(fromEnv.isSandbox).toBe(true);
    expect(getSocialConnector("INSTAGRAM")).toMatchObject({ provider: "INSTAGRAM", commentsDelivery: "webhook", publishQuotaCost: null });
    const authUrl = new URL(fromEnv.authorizationUrl({ state: "s1", redirectUri: "http://localhost:3000/api/v1/auth/instagram/callback" }));
    expect(authUrl.pathname).toBe("/api/sandbox/instagram/oauth/authorize");
    const page = await sandboxGet(new Request(authUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('action="/api/sandbox/instagram/oauth/authorize"');
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    const consent = await sandboxPost(new Request(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } }));
    expect(consent.status).toBe(302);
    expect(new URL(consent.headers.get("location")!).searchParams.get("state")).toBe("s1");
  });
});
