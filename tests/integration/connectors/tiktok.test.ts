/**
 * The TikTok client against the TikTok sandbox, over real HTTP on 127.0.0.1 (media served by a
 * second server). No database: both sides are plain HTTP. The sandbox's clock is moved to expire
 * tokens, pass rate-limit windows, and finish processing and moderation.
 */
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ConnectorError, type TokenSet } from "~/server/connectors/common";
import { createTikTokSandbox, SANDBOX_TIKTOK_ACCOUNTS, tiktokSandboxHistory, type TikTokSandbox } from "~/server/connectors/sandbox/tiktok";
import { createTikTokConnector } from "~/server/connectors/social/tiktok";
import type { PublishMedia, PublishProgress, PublishRequest, PublishState, SocialConnector, SocialCredentials } from "~/server/connectors/social/types";

import { mp4Bytes, servedMedia, type ServedMedia } from "../../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const MB = 1024 * 1024;
const REDIRECT = "http://127.0.0.1:9/callback";
const DEMO = SANDBOX_TIKTOK_ACCOUNTS[0]!;
const OTHER = SANDBOX_TIKTOK_ACCOUNTS[1]!;

let now = Date.parse("2026-11-20T12:00:00Z");
const clock = () => now;

let sandbox: TikTokSandbox;
let served: ServedFetch;
let media: ServedMedia;
let connector: SocialConnector;
const requests: Array<{ method: string; path: string; range: string | null }> = [];

const smallVideo = mp4Bytes({ durationMs: 12_000, width: 1080, height: 1920, sizeBytes: 300_000 });

function connectorFor(url: string, options: { timeoutMs?: number; chunkSize?: number; pullFromUrlHosts?: string[] } = {}) {
  return createTikTokConnector({
    authUrl: url,
    apiUrl: url,
    businessApiUrl: url,
    clientKey: sandbox.clientKey,
    clientSecret: sandbox.clientSecret,
    isSandbox: true,
    timeoutMs: options.timeoutMs ?? 3_000,
    uploadTimeoutMs: options.timeoutMs ?? 10_000,
    chunkSize: options.chunkSize,
    pullFromUrlHosts: options.pullFromUrlHosts,
    fetch: (input, init) => {
      const u = new URL(String(input));
      requests.push({ method: init?.method ?? "GET", path: u.pathname, range: new Headers(init?.headers).get("content-range") });
      return fetch(input, init);
    },
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

/** Drives the consent page like a browser: GET the page, press "Permitir", read the redirect. */
async function authorize(input: { openId?: string; decision?: "allow" | "deny"; challenge?: string; state?: string } = {}) {
  const authUrl = new URL(connector.authorizationUrl({ state: input.state ?? "st-1", redirectUri: REDIRECT, codeChallenge: input.challenge }));
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("Permitir");
  expect(html).toContain(`@${DEMO.username}`);
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", input.decision ?? "allow");
  form.set("open_id", input.openId ?? DEMO.openId);
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location")!);
}

async function connect(openId = DEMO.openId): Promise<TokenSet> {
  const verifier = generateRandomCodeVerifier();
  const callback = await authorize({ openId, challenge: await calculatePKCECodeChallenge(verifier) });
  return connector.exchangeCode({
    code: callback.searchParams.get("code")!,
    redirectUri: REDIRECT,
    codeVerifier: verifier,
    callbackParams: Object.fromEntries(callback.searchParams),
  });
}

const creds = (tokens: TokenSet): SocialCredentials => ({ accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId });

function videoMedia(bytes: Buffer, name: string, durationMs = 12_000): PublishMedia {
  return {
    kind: "VIDEO",
    mimeType: "video/mp4",
    sizeBytes: bytes.length,
    width: 1080,
    height: 1920,
    durationMs,
    url: media.url(name),
    read: (start, end) => Promise.resolve(new Uint8Array(bytes.subarray(start, end))),
  };
}

function publishRequest(bytes: Buffer, overrides: Partial<PublishRequest> = {}, name = "video.mp4"): PublishRequest {
  return {
    caption: "Coleção nova chegando! #moda",
    title: null,
    privacy: "PUBLIC_TO_EVERYONE",
    media: [videoMedia(bytes, name)],
    reference: "pub_1",
    ...overrides,
  };
}

/** Runs the state machine like the publishing service: persist, advance, wait by moving the clock. */
async function drive(credentials: SocialCredentials, request: PublishRequest, start: PublishState | null = null, maxSteps = 60) {
  let state = start;
  const phases: string[] = [];
  for (let step = 0; step < maxSteps; step++) {
    const progress: PublishProgress = await connector.advancePublish(credentials, request, state);
    if (progress.kind === "next" || progress.kind === "wait") {
      phases.push(progress.state.phase);
      state = progress.state;
      if (progress.kind === "wait") now += progress.retryAfterMs;
      continue;
    }
    return { progress, phases, state };
  }
  throw new Error("publish did not finish");
}

beforeAll(async () => {
  media = await servedMedia({ "video.mp4": smallVideo });
  sandbox = createTikTokSandbox({ clock, processingMs: 2_000, moderationMs: 3_000 });
  served = await serveFetch(sandbox.handler);
  connector = connectorFor(served.url);
});

afterAll(async () => {
  await served?.close();
  await media?.close();
});

beforeEach(() => {
  sandbox.reset();
  now = Date.parse("2026-11-20T12:00:00Z");
  requests.length = 0;
});

describe("TikTok OAuth", () => {
  it("runs the code flow (consent page → code → tokens) and refuses a reused code", async () => {
    const verifier = generateRandomCodeVerifier();
    const callback = await authorize({ challenge: await calculatePKCECodeChallenge(verifier), state: "state-xyz" });
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get("state")).toBe("state-xyz");
    const exchange = () =>
      connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: Object.fromEntries(callback.searchParams) });
    const before = Date.now();
    const tokens = await exchange();
    expect(tokens.externalAccountId).toBe(DEMO.openId);
    expect(tokens.accountName).toBe("Loja Demo");
    expect(tokens.accessToken).toMatch(/^act\./);
    expect(tokens.refreshToken).toMatch(/^rft\./);
    expect(tokens.scopes).toEqual(expect.arrayContaining(["video.publish", "video.list", "user.info.stats"]));
    // expires_in 7200 s and refresh_expires_in 180 days, read from the answer.
    expect(tokens.expiresAt.getTime() - before).toBeGreaterThan(7_190_000);
    expect(tokens.expiresAt.getTime() - before).toBeLessThan(7_300_000);
    expect(tokens.refreshExpiresAt!.getTime() - before).toBeGreaterThan(179 * 86_400_000);
    await expectConnectorError(exchange(), "invalid_grant");
  });

  it("sends the creator back with access_denied when they refuse", async () => {
    const callback = await authorize({ decision: "deny", state: "s-2" });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("code")).toBeNull();
    expect(callback.searchParams.get("state")).toBe("s-2");
  });

  it("rotates refresh tokens: the new one works, the rotated one is invalid_grant", async () => {
    const first = await connect();
    const second = await connector.refresh(first.refreshToken!, { externalAccountId: DEMO.openId });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.externalAccountId).toBe(DEMO.openId);
    await expectConnectorError(connector.refresh(first.refreshToken!, { externalAccountId: DEMO.openId }), "invalid_grant");
    const third = await connector.refresh(second.refreshToken!, { externalAccountId: DEMO.openId });
    expect(third.accessToken).toMatch(/^act\./);
  });

  it("expires access tokens after 2 h: unauthorized, then a refresh makes calls work again", async () => {
    const tokens = await connect();
    await connector.listPosts(creds(tokens), null);
    now += 7_200_000 + 1_000;
    await expectConnectorError(connector.listPosts(creds(tokens), null), "unauthorized");
    const renewed = await connector.refresh(tokens.refreshToken!, { externalAccountId: DEMO.openId });
    const page = await connector.listPosts(creds(renewed), null);
    expect(page.posts.length).toBe(20);
  });
});

describe("TikTok publishing", () => {
  it("publishes a small video through every phase, once, with the post id after moderation", async () => {
    const tokens = await connect();
    requests.length = 0;
    const { progress, phases } = await drive(creds(tokens), publishRequest(smallVideo));
    expect(progress.kind).toBe("published");
    if (progress.kind !== "published") return;
    expect(progress.externalId).toMatch(/^\d{19}$/);
    expect(progress.permalink).toBe(`https://www.tiktok.com/@lojademo/video/${progress.externalId}`);
    expect(phases[0]).toBe("init");
    expect(phases).toContain("upload");
    expect(phases).toContain("status");
    // creator_info first, then init, one PUT (under 5 MB: whole), then status polls.
    const calls = requests.map((r) => `${r.method} ${r.path}`);
    expect(calls.slice(0, 3)).toEqual(["POST /v2/post/publish/creator_info/query/", "POST /v2/post/publish/video/init/", "PUT /video/"]);
    expect(requests[2]!.range).toBe(`bytes 0-${smallVideo.length - 1}/${smallVideo.length}`);
    const posts = sandbox.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ id: progress.externalId, status: "PUBLISH_COMPLETE", publish_count: 1, privacy_level: "PUBLIC_TO_EVERYONE" });
    // The new video is listed first and has metrics.
    const page = await connector.listPosts(creds(tokens), null);
    expect(page.posts[0]!.externalId).toBe(progress.externalId);
    expect(page.posts[0]!.caption).toBe("Coleção nova chegando! #moda");
  });
});
