/**
 * The YouTube client against the YouTube sandbox, over real HTTP on 127.0.0.1. No database: both
 * sides are plain HTTP. One clock drives the sandbox and the client, so tests expire tokens,
 * upload sessions and the Pacific quota day without waiting.
 */
import { createHash } from "node:crypto";

import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ConnectorError, type TokenSet } from "~/server/connectors/common";
import {
  SANDBOX_YOUTUBE_ACCOUNTS,
  createYouTubeSandbox,
  youtubeSandboxHistory,
  type SandboxPost,
  type YouTubeSandbox,
  type YouTubeSandboxOptions,
} from "~/server/connectors/sandbox/youtube";
import { createYouTubeConnector, type YouTubePublished } from "~/server/connectors/social/youtube";
import type { PublishProgress, PublishRequest, PublishState, SocialConnector, SocialCredentials } from "~/server/connectors/social/types";

import { mp4Bytes } from "../../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const DEMO = SANDBOX_YOUTUBE_ACCOUNTS[0]!.id;
const OTHER = SANDBOX_YOUTUBE_ACCOUNTS[1]!.id;
const REDIRECT = "http://127.0.0.1:9/callback";
const CHUNK = 256 * 1024;
const DAY_MS = 86_400_000;
const START = Date.parse("2026-11-20T12:00:00Z");

let now = START;
const clock = () => now;

type Rig = { sandbox: YouTubeSandbox; served: ServedFetch; connector: SocialConnector; calls: string[] };
const rigs: Rig[] = [];

async function rig(options: YouTubeSandboxOptions = {}): Promise<Rig> {
  const sandbox = createYouTubeSandbox({ clock, processingMs: 3_000, ...options });
  const served = await serveFetch(sandbox.handler);
  const calls: string[] = [];
  const connector = createYouTubeConnector({
    apiUrl: served.url,
    analyticsUrl: served.url,
    oauthUrl: served.url,
    tokenUrl: served.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    isSandbox: true,
    chunkSize: CHUNK,
    timeoutMs: 3_000,
    uploadTimeoutMs: 3_000,
    clock,
    fetch: (input, init) => {
      const url = new URL(String(input));
      calls.push(`${init?.method ?? "GET"} ${url.pathname}`);
      return fetch(input, init);
    },
  });
  const r = { sandbox, served, connector, calls };
  rigs.push(r);
  return r;
}

let main: Rig;

beforeAll(async () => {
  main = await rig();
});

afterAll(async () => {
  await Promise.all(rigs.map((r) => r.served.close()));
});

beforeEach(() => {
  now = START;
  main.sandbox.reset();
});

async function expectConnectorError(promise: Promise<unknown>, kind: ConnectorError["kind"]): Promise<ConnectorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConnectorError);
  expect((error as ConnectorError).kind).toBe(kind);
  return error as ConnectorError;
}

/** Drives Google's consent page like a browser: GET the page, submit the form, read the redirect. */
async function authorize(r: Rig, input: { channelId?: string; decision?: "allow" | "deny"; challenge?: string; scope?: string } = {}) {
  const authUrl = new URL(r.connector.authorizationUrl({ state: "st-1", redirectUri: REDIRECT, codeChallenge: input.challenge }));
  if (input.scope) authUrl.searchParams.set("scope", input.scope);
  const page = await fetch(authUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain("Permitir");
  expect(html).toContain(SANDBOX_YOUTUBE_ACCOUNTS[0]!.title);
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", input.decision ?? "allow");
  form.set("channel_id", input.channelId ?? DEMO);
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location")!);
}

async function connect(r: Rig, channelId = DEMO): Promise<TokenSet> {
  const verifier = generateRandomCodeVerifier();
  const callback = await authorize(r, { channelId, challenge: await calculatePKCECodeChallenge(verifier) });
  return r.connector.exchangeCode({
    code: callback.searchParams.get("code")!,
    redirectUri: REDIRECT,
    codeVerifier: verifier,
    callbackParams: Object.fromEntries(callback.searchParams),
  });
}

async function credentialsFor(r: Rig, channelId = DEMO): Promise<SocialCredentials> {
  const tokens = await connect(r, channelId);
  return { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
}

function video(sizeBytes = 700_000, bytes?: Buffer): { request: PublishRequest; bytes: Buffer } {
  const file = bytes ?? mp4Bytes({ durationMs: 8_000, width: 1080, height: 1920, sizeBytes });
  // Non-zero payload so a resumed upload that skipped or repeated bytes changes the checksum.
  if (!bytes) for (let i = 4096; i < file.length; i++) file[i] = (i * 31) % 251;
  return {
    bytes: file,
    request: {
      caption: "Testamos a garrafa térmica por uma semana.\n\n#achadinhos #cozinha",
      title: "Garrafa térmica: vale a pena?",
      privacy: "public",
      reference: "pub_123",
      media: [
        {
          kind: "VIDEO",
          mimeType: "video/mp4",
          sizeBytes: file.length,
          width: 1080,
          height: 1920,
          durationMs: 8_000,
          url: "http://127.0.0.1:9/unused.mp4",
          read: async (start, end) => new Uint8Array(file.subarray(start, end)),
        },
      ],
    },
  };
}

type Step = { phase: string; progress: PublishProgress };

/** Runs phases like the publishing service would (waits = move the clock), until a final answer. */
async function drive(r: Rig, credentials: SocialCredentials, request: PublishRequest, from: PublishState | null = null, maxSteps = 40) {
  const steps: Step[] = [];
  let state = from;
  for (let i = 0; i < maxSteps; i++) {
    const progress = await r.connector.advancePublish(credentials, request, state);
    steps.push({ phase: state?.phase ?? "open", progress });
    if (progress.kind === "published" || progress.kind === "failed") return { final: progress, steps };
    if (progress.kind === "wait") now += progress.retryAfterMs;
    state = progress.state;
  }
  throw new Error(`publish did not finish in ${maxSteps} steps`);
}

/** Runs phases until the next phase to run is `phase`; returns that state. */
async function runUntil(r: Rig, credentials: SocialCredentials, request: PublishRequest, predicate: (s: PublishState) => boolean, from: PublishState | null = null) {
  let state = from;
  for (let i = 0; i < 20; i++) {
    const progress = await r.connector.advancePublish(credentials, request, state);
    if (progress.kind !== "next" && progress.kind !== "wait") throw new Error(`unexpected ${progress.kind}`);
    state = progress.state;
    if (predicate(state)) return state;
  }
  throw new Error("state not reached");
}

async function posts(r: Rig): Promise<SandboxPost[]> {
  const response = await fetch(`${r.served.url}/_sandbox/posts`);
  return ((await response.json()) as { posts: SandboxPost[] }).posts;
}

async function setFaults(r: Rig, faults: Record<string, unknown>) {
  const response = await fetch(`${r.served.url}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(faults) });
  expect(response.status).toBe(200);
}

function md5(bytes: Buffer): string {
  return createHash("md5").update(bytes).digest("hex");
}

describe("OAuth", () => {
  it("connects through the consent page, with PKCE, and refuses a reused code", async () => {
    const verifier = generateRandomCodeVerifier();
    const callback = await authorize(main, { challenge: await calculatePKCECodeChallenge(verifier) });
    expect(callback.searchParams.get("state")).toBe("st-1");
    const code = callback.searchParams.get("code")!;
    expect(code.startsWith("4/")).toBe(true);
    const exchange = { code, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: {} };
    const tokens = await main.connector.exchangeCode(exchange);
    expect(tokens.externalAccountId).toBe(DEMO);
    expect(tokens.accountName).toBe("Loja Demo");
    expect(tokens.refreshToken).toMatch(/^1\/\//);
    expect(tokens.expiresAt.getTime()).toBe(START + 3599 * 1000);
    expect(tokens.scopes).toContain("https://www.googleapis.com/auth/youtube.upload");
    await expectConnectorError(main.connector.exchangeCode(exchange), "invalid_grant");
  });

  it("asks for offline access, forced consent and the three scopes", () => {
    const url = new URL(main.connector.authorizationUrl({ state: "s", redirectUri: REDIRECT, codeChallenge: "abc" }));
    expect(url.pathname).toBe("/o/oauth2/v2/auth");
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")!.split(" ")).toEqual([
      "https://www.googleapis.com/auth/youtube.upload",
      "https://www.googleapis.com/auth/youtube.force-ssl",
      "https://www.googleapis.com/auth/yt-analytics.readonly",
    ]);
  });

  it("refuses a code exchanged with the wrong PKCE verifier", async () => {
    const callback = await authorize(main, { challenge: await calculatePKCECodeChallenge(generateRandomCodeVerifier()) });
    await expectConnectorError(
      main.connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: generateRandomCodeVerifier(), callbackParams: {} }),
      "invalid_grant",
    );
  });

  it("refuses a connection where the user unticked the upload scope", async () => {
    const callback = await authorize(main, { scope: "https://www.googleapis.com/auth/youtube.force-ssl https://www.googleapis.com/auth/yt-analytics.readonly" });
    const error = await expectConnectorError(main.connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, callbackParams: {} }), "refused");
    expect(error.details.code).toBe("insufficient_scopes");
  });

  it("without prompt=consent, only the first offline consent carries a refresh token", async () => {
    const codeFor = async () => {
      const authUrl = new URL(main.connector.authorizationUrl({ state: "s", redirectUri: REDIRECT }));
      authUrl.searchParams.delete("prompt");
      const form = new URLSearchParams(authUrl.searchParams);
      form.set("decision", "allow");
      form.set("channel_id", OTHER);
      const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", body: form, redirect: "manual" });
      return new URL(answer.headers.get("location")!).searchParams.get("code")!;
    };
    const first = await main.connector.exchangeCode({ code: await codeFor(), redirectUri: REDIRECT, callbackParams: {} });
    expect(first.refreshToken).not.toBeNull();
    const second = await main.connector.exchangeCode({ code: await codeFor(), redirectUri: REDIRECT, callbackParams: {} });
    expect(second.refreshToken).toBeNull();
    expect(second.externalAccountId).toBe(OTHER);
  });

  it("a denied consent redirects with access_denied and the state", async () => {
    const callback = await authorize(main, { decision: "deny" });
    expect(callback.searchParams.get("error")).toBe("access_denied");
    expect(callback.searchParams.get("state")).toBe("st-1");
    expect(callback.searchParams.get("code")).toBeNull();
  });

  it("connects the second sandbox channel", async () => {
    const tokens = await connect(main, OTHER);
    expect(tokens.externalAccountId).toBe(OTHER);
    expect(tokens.accountName).toBe("Ateliê da Maria");
  });

  it("refreshes without rotating: no new refresh token, the old one keeps working; an expired access token is unauthorized", async () => {
    const tokens = await connect(main);
    now += 3_600_000;
    await expectConnectorError(main.connector.getPostMetrics({ accessToken: tokens.accessToken, externalAccountId: DEMO }, ["x"]), "unauthorized");
    const first = await main.connector.refresh(tokens.refreshToken!, { externalAccountId: DEMO });
    expect(first.refreshToken).toBeNull();
    expect(first.externalAccountId).toBe(DEMO);
    expect(first.accessToken).not.toBe(tokens.accessToken);
    now += 60 * DAY_MS;
    const second = await main.connector.refresh(tokens.refreshToken!, { externalAccountId: DEMO });
    expect(second.expiresAt.getTime()).toBe(now + 3599 * 1000);
    const metrics = await main.connector.getPostMetrics({ accessToken: second.accessToken, externalAccountId: DEMO }, [youtubeSandboxHistory(DEMO, new Date(now)).posts[0]!.externalId]);
    expect(metrics).toHaveLength(1);
  });

  it("expires a refresh token unused for 6 months", async () => {
    const tokens = await connect(main);
    now += 181 * DAY_MS;
    const error = await expectConnectorError(main.connector.refresh(tokens.refreshToken!, { externalAccountId: DEMO }), "invalid_grant");
    expect(error.message).toContain("Token has been expired or revoked.");
  });

  it("testing mode: a refresh token unused for 7 days is invalid_grant", async () => {
    const testing = await rig({ testingMode: true });
    const tokens = await connect(testing);
    expect(tokens.refreshExpiresAt?.getTime()).toBe(START + 7 * DAY_MS);
    now += 6 * DAY_MS;
    await testing.connector.refresh(tokens.refreshToken!, { externalAccountId: DEMO });
    now += 2 * DAY_MS;
    await expectConnectorError(testing.connector.refresh(tokens.refreshToken!, { externalAccountId: DEMO }), "invalid_grant");
  });
});

describe("publishing", () => {
  it("publishes through every phase: session, 256 KiB chunks, processing → processed", async () => {
    const credentials = await credentialsFor(main);
    const { request, bytes } = video();
    const { final, steps } = await drive(main, credentials, request);
    expect(steps.map((s) => s.phase)).toEqual(["open", "upload", "upload", "upload", "processing", "processing"]);
    expect(steps[4]!.progress.kind).toBe("wait");
    expect(final.kind).toBe("published");
    const published = final as YouTubePublished;
    expect(published.permalink).toBe(`https://www.youtube.com/watch?v=${published.externalId}`);
    expect(published.forcedPrivate).toBe(false);
    expect(published.privacyStatus).toBe("public");
    const uploaded = await posts(main);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]).toMatchObject({ id: published.externalId, channelId: DEMO, title: request.title, publishCount: 1, uploadStatus: "processed", md5: md5(bytes) });
    // Hashtags of the caption went in as tags; each chunk was a PUT to the session.
    expect(main.calls.filter((c) => c === "PUT /upload/youtube/v3/videos")).toHaveLength(3);
    expect(main.sandbox.quotaUsed()).toBe(1_600 + 1 + 2);
  });

  it("an interrupted chunk (connection dropped after part of it) resumes from the server's offset", async () => {
    const credentials = await credentialsFor(main);
    const { request, bytes } = video();
    const afterFirst = await runUntil(main, credentials, request, (s) => s.phase === "upload" && s.data.offset === CHUNK);
    await setFaults(main, { interruptChunk: { keepBytes: 100_000, mode: "drop" } });
    const cut = await main.connector.advancePublish(credentials, request, afterFirst);
    expect(cut.kind).toBe("wait");
    expect((cut as { state: PublishState }).state.phase).toBe("resume");
    const resumed = await main.connector.advancePublish(credentials, request, (cut as { state: PublishState }).state);
    expect(resumed.kind).toBe("next");
    // The server has the first chunk and 100 000 bytes of the second: not what the client sent.
    expect((resumed as { state: PublishState }).state.data.offset).toBe(CHUNK + 100_000);
    const { final } = await drive(main, credentials, request, (resumed as { state: PublishState }).state);
    expect(final.kind).toBe("published");
    const uploaded = await posts(main);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]!.md5).toBe(md5(bytes));
  });

  it("a chunk answered 503 after part of it also resumes from the server's offset", async () => {
    const credentials = await credentialsFor(main);
    const { request, bytes } = video();
    await setFaults(main, { interruptChunk: { keepBytes: 5_000, mode: "503" } });
    const { final, steps } = await drive(main, credentials, request);
    expect(steps.some((s) => s.phase === "resume")).toBe(true);
    expect(final.kind).toBe("published");
    expect((await posts(main))[0]!.md5).toBe(md5(bytes));
  });

  it.each(["drop", "500"] as const)("final chunk with no answer (%s) → outcome_unknown, then confirmPublish finds the one video", async (mode) => {
    const credentials = await credentialsFor(main);
    const { request } = video();
    const beforeFinal = await runUntil(main, credentials, request, (s) => s.phase === "upload" && s.data.offset === 2 * CHUNK);
    await setFaults(main, { finalChunk: mode });
    await expectConnectorError(main.connector.advancePublish(credentials, request, beforeFinal), "outcome_unknown");
    const confirmation = await main.connector.confirmPublish(credentials, request, beforeFinal);
    expect(confirmation.kind).toBe("published");
    const uploaded = await posts(main);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]!.publishCount).toBe(1);
    expect(confirmation).toMatchObject({ externalId: uploaded[0]!.id, permalink: uploaded[0]!.permalink });
  });

  it("final chunk timing out → outcome_unknown (never transient), then confirm finds the one video", async () => {
    const impatient = await rig();
    const connector = createYouTubeConnector({
      apiUrl: impatient.served.url,
      analyticsUrl: impatient.served.url,
      oauthUrl: impatient.served.url,
      tokenUrl: impatient.served.url,
      clientId: impatient.sandbox.clientId,
      clientSecret: impatient.sandbox.clientSecret,
      isSandbox: true,
      chunkSize: CHUNK,
      uploadTimeoutMs: 300,
      clock,
    });
    const credentials = await credentialsFor(impatient);
    const { request } = video(200_000);
    const opened = await connector.advancePublish(credentials, request, null);
    const state = (opened as { state: PublishState }).state;
    await setFaults(impatient, { finalChunk: "timeout" });
    const error = await expectConnectorError(connector.advancePublish(credentials, request, state), "outcome_unknown");
    expect(error.details.code).toBe("timeout");
    const confirmation = await connector.confirmPublish(credentials, request, state);
    expect(confirmation.kind).toBe("published");
    expect((await posts(impatient)).map((p) => p.publishCount)).toEqual([1]);
  });

  it("final chunk cut short → outcome_unknown → confirm says not published, resume at the server's offset", async () => {
    const credentials = await credentialsFor(main);
    const { request, bytes } = video();
    const beforeFinal = await runUntil(main, credentials, request, (s) => s.phase === "upload" && s.data.offset === 2 * CHUNK);
    await setFaults(main, { interruptChunk: { keepBytes: 1_000, mode: "drop" } });
    await expectConnectorError(main.connector.advancePublish(credentials, request, beforeFinal), "outcome_unknown");
    const confirmation = await main.connector.confirmPublish(credentials, request, beforeFinal);
    expect(confirmation.kind).toBe("not_published");
    const state = (confirmation as { state: PublishState }).state;
    expect(state).toMatchObject({ phase: "upload", data: { offset: 2 * CHUNK + 1_000 } });
    const { final } = await drive(main, credentials, request, state);
    expect(final.kind).toBe("published");
    const uploaded = await posts(main);
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]!.md5).toBe(md5(bytes));
  });

  it("an expired upload session restarts from a new session (and confirm says restart)", async () => {
    const credentials = await credentialsFor(main);
    const { request } = video();
    const afterFirst = await runUntil(main, credentials, request, (s) => s.phase === "upload" && s.data.offset === CHUNK);
    expect(main.sandbox.expireUploadSessions()).toBe(1);
    const confirmation = await main.connector.confirmPublish(credentials, request, afterFirst);
    expect(confirmation).toEqual({ kind: "not_published", state: { phase: "open", data: {} } });
    const next = await main.connector.advancePublish(credentials, request, afterFirst);
    expect(next).toEqual({ kind: "next", state: { phase: "open", data: {} } });
    const { final, steps } = await drive(main, credentials, request, { phase: "open", data: {} });
    expect(steps[0]!.phase).toBe("open");
    expect(final.kind).toBe("published");
    expect(await posts(main)).toHaveLength(1);
  });

  it("an upload session also expires after a week by the clock", async () => {
    const credentials = await credentialsFor(main);
    const { request } = video();
    const afterFirst = await runUntil(main, credentials, request, (s) => s.phase === "upload" && s.data.offset === CHUNK);
    now += 8 * DAY_MS;
    const next = await main.connector.advancePublish(credentials, request, afterFirst);
    expect(next).toEqual({ kind: "next", state: { phase: "open", data: {} } });
  });

  it("processing ends rejected: failed with YouTube's reason, readable", async () => {
    const credentials = await credentialsFor(main);
    const { request } = video();
    await setFaults(main, { rejectNextUpload: "duplicate" });
    const { final } = await drive(main, credentials, request);
    expect(final).toMatchObject({ kind: "failed", code: "duplicate" });
    expect((final as { reason: string }).reason).toContain("duplicate");
  });

  it("a file that is not a video fails processing with invalidFile", async () => {
    const credentials = await credentialsFor(main);
    const { request } = video(0, Buffer.alloc(300_000, 7));
    const { final } = await drive(main, credentials, request);
    expect(final).toMatchObject({ kind: "failed", code: "invalidFile" });
  });

  it("refuses a post the network would refuse before any upload (title with angle brackets)", async () => {
    const credentials = await credentialsFor(main);
    const { request } = video();
    const progress = await main.connector.advancePublish(credentials, { ...request, title: "Promo <imperdível>" }, null);
    expect(progress).toMatchObject({ kind: "failed", code: "invalidTitle" });
    expect(main.sandbox.quotaUsed()).toBe(1); // only the channels call of the connect
  });

  it("the sandbox itself refuses what YouTube refuses, in Google's error format", async () => {
    const credentials = await credentialsFor(main);
    const response = await fetch(`${main.served.url}/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status`, {
      method: "POST",
      headers: { authorization: `Bearer ${credentials.accessToken}`, "content-type": "application/json", "x-upload-content-length": "1000", "x-upload-content-type": "video/mp4" },
      body: JSON.stringify({ snippet: { title: "x".repeat(101), description: "", categoryId: "22" }, status: { privacyStatus: "public" } }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 400, errors: [{ reason: "invalidTitle" }] } });
    const noAuth = await fetch(`${main.served.url}/youtube/v3/channels?part=id&mine=true`);
    expect(noAuth.status).toBe(401);
    expect(main.sandbox.quotaUsed()).toBe(1);
  });

  it("an unverified project's upload is locked private, and the result says so", async () => {
    const unverified = await rig({ verifiedProject: false });
    const credentials = await credentialsFor(unverified);
    const { request } = video();
    const { final } = await drive(unverified, credentials, request);
    expect(final).toMatchObject({ kind: "published", privacyStatus: "private", forcedPrivate: true });
    expect((final as YouTubePublished).permalink).toMatch(/^https:\/\/www\.youtube\.com\/watch\?v=/);
  });

  it("quota: with 3 000 units a day the second insert is quota_exhausted until Pacific midnight", async () => {
    const small = await rig({ dailyUnits: 3_000 });
    const credentials = await credentialsFor(small);
    const { request } = video();
    const first = await small.connector.advancePublish(credentials, request, null);
    expect(first.kind).toBe("next");
    const error = await expectConnectorError(small.connector.advancePublish(credentials, request, null), "rate_limited");
    expect(error.details.code).toBe("quota_exhausted");
    // 12:00 UTC on 20 Nov is 04:00 PST: the quota resets at 08:00 UTC on 21 Nov.
    expect(error.details.retryAfterMs).toBe(Date.parse("2026-11-21T08:00:00Z") - START);
    expect(small.connector.publishQuotaCost).toEqual({ units: 1_600, dailyUnits: 10_000, resetTimeZone: "America/Los_Angeles" });
    now = Date.parse("2026-11-21T08:00:01Z");
    const refreshed = await small.connector.refresh((await connect(small)).refreshToken!, { externalAccountId: DEMO });
    const again = await small.connector.advancePublish({ accessToken: refreshed.accessToken, externalAccountId: DEMO }, request, null);
    expect(again.kind).toBe("next");
  });
});

describe("errors", () => {
  it("429 and 403 rateLimitExceeded are rate_limited with a short retry", async () => {
    const credentials = await credentialsFor(main);
    await setFaults(main, { rateLimited: 1, rateLimitStatus: 429 });
    const a = await expectConnectorError(main.connector.getPostMetrics(credentials, ["x"]), "rate_limited");
    expect(a.details.retryAfterMs).toBeGreaterThan(0);
    expect(a.details.retryAfterMs).toBeLessThan(60_000);
    await setFaults(main, { rateLimited: 1, rateLimitStatus: 403 });
    const b = await expectConnectorError(main.connector.getPostMetrics(credentials, ["x"]), "rate_limited");
    expect(b.details.code).toBe("rateLimitExceeded");
    expect(await main.connector.getPostMetrics(credentials, ["x"])).toEqual([]);
  });

  it("5xx on a read is transient; a 5xx on the session open is transient too (it publishes nothing)", async () => {
    const credentials = await credentialsFor(main);
    await setFaults(main, { serverErrors: 1, serverErrorStatus: 503 });
    await expectConnectorError(main.connector.getPostMetrics(credentials, ["x"]), "transient");
    await setFaults(main, { serverErrors: 1 });
    await expectConnectorError(main.connector.advancePublish(credentials, video().request, null), "transient");
  });
});

describe("metrics, posts and comments", () => {
  it("post metrics agree with the history the demo seed stores", async () => {
    const credentials = await credentialsFor(main);
    const history = youtubeSandboxHistory(DEMO, new Date(now));
    expect(history.posts.length).toBeGreaterThanOrEqual(18);
    const ids = history.posts.map((p) => p.externalId);
    const metrics = await main.connector.getPostMetrics(credentials, ids);
    expect(metrics).toHaveLength(ids.length);
    for (const post of history.posts) {
      const m = metrics.find((x) => x.externalId === post.externalId)!;
      expect(m).toEqual({ externalId: post.externalId, ...post.metrics });
    }
  });

  it("account daily metrics: one row per day, followers walked back from today's subscriber count", async () => {
    const credentials = await credentialsFor(main);
    const history = youtubeSandboxHistory(DEMO, new Date(now));
    const from = new Date(now - 29 * DAY_MS);
    const rows = await main.connector.getAccountMetrics(credentials, from, new Date(now - 3 * DAY_MS));
    expect(rows).toHaveLength(27);
    for (const row of rows) {
      const day = history.daily.find((d) => d.date === row.date)!;
      expect(row).toEqual({ date: day.date, followers: day.followers, views: day.views, reach: day.reach, profileViews: day.profileViews, engagements: day.engagements });
    }
    expect(rows[0]!.date).toBe(from.toISOString().slice(0, 10));
  });

  it("lists the channel's videos newest first from the uploads playlist, with paging", async () => {
    const credentials = await credentialsFor(main);
    const history = youtubeSandboxHistory(DEMO, new Date(now));
    main.calls.length = 0;
    const first = await main.connector.listPosts(credentials, null);
    // Exactly the history the demo seed stores (title + description as the caption).
    expect(first.posts).toEqual(history.posts.map((p) => ({ externalId: p.externalId, caption: p.caption, permalink: p.permalink, publishedAt: p.publishedAt })));
    expect(first.nextCursor).toBeNull();
    expect(main.calls.filter((c) => c.includes("/search"))).toHaveLength(0);
    expect(main.calls.filter((c) => c.includes("/playlistItems"))).toHaveLength(1);

    // A published video joins the top of the list; pages follow nextPageToken.
    const { request } = video();
    const { final } = await drive(main, credentials, request);
    const withUpload = await main.connector.listPosts(credentials, null);
    expect(withUpload.posts[0]).toMatchObject({ externalId: (final as YouTubePublished).externalId, caption: `${request.title}\n\n${request.caption}` });
    expect(withUpload.posts).toHaveLength(history.posts.length + 1);
  });

  it("the sandbox pages playlistItems with nextPageToken", async () => {
    const credentials = await credentialsFor(main);
    const history = youtubeSandboxHistory(DEMO, new Date(now));
    const page = async (token?: string) => {
      const url = new URL(`${main.served.url}/youtube/v3/playlistItems`);
      url.search = new URLSearchParams({ part: "contentDetails", playlistId: `UU${DEMO.slice(2)}`, maxResults: "5", ...(token ? { pageToken: token } : {}) }).toString();
      const response = await fetch(url, { headers: { authorization: `Bearer ${credentials.accessToken}` } });
      return (await response.json()) as { nextPageToken?: string; items: Array<{ contentDetails: { videoId: string } }> };
    };
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const p = await page(token);
      ids.push(...p.items.map((i) => i.contentDetails.videoId));
      token = p.nextPageToken;
    } while (token);
    expect(ids).toEqual(history.posts.map((p) => p.externalId));
  });

  it("lists, replies to and hides comments", async () => {
    const credentials = await credentialsFor(main);
    const history = youtubeSandboxHistory(DEMO, new Date(now));
    const post = history.posts[3]!;
    const seeded = history.comments.filter((c) => c.postExternalId === post.externalId);
    const listed = await main.connector.listComments(credentials, { postExternalIds: [post.externalId], since: null, cursor: null });
    // Exactly what the demo seed stores for those comments.
    const byId = (a: { externalId: string }, b: { externalId: string }) => a.externalId.localeCompare(b.externalId);
    expect([...listed.comments].sort(byId)).toEqual([...seeded].sort(byId));

    now += 60_000;
    const added = await fetch(`${main.served.url}/_sandbox/comments`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ videoId: post.externalId, text: "Tem frete grátis para Manaus?", authorName: "Marcos Vieira" }),
    });
    expect(added.status).toBe(201);
    const addedId = ((await added.json()) as { id: string }).id;
    const since = new Date(now - 1_000);
    const fresh = await main.connector.listComments(credentials, { postExternalIds: [post.externalId], since, cursor: null });
    expect(fresh.comments).toEqual([expect.objectContaining({ externalId: addedId, authorName: "Marcos Vieira", text: "Tem frete grátis para Manaus?" })]);

    now += 60_000;
    const reply = await main.connector.replyToComment(credentials, { commentExternalId: addedId, postExternalId: post.externalId, text: "Tem sim, Marcos!" });
    expect(reply.externalId.startsWith(`${addedId}.`)).toBe(true);
    // A reply to the reply lands in the same thread (YouTube threads are one level deep).
    const nested = await main.connector.replyToComment(credentials, { commentExternalId: reply.externalId, postExternalId: post.externalId, text: "Qualquer dúvida, chame." });
    expect(nested.externalId.startsWith(`${addedId}.`)).toBe(true);
    const withReplies = await main.connector.listComments(credentials, { postExternalIds: [post.externalId], since, cursor: null });
    expect(withReplies.comments.filter((c) => c.parentExternalId === addedId).map((c) => c.text)).toEqual(["Tem sim, Marcos!", "Qualquer dúvida, chame."]);

    await main.connector.setCommentHidden(credentials, addedId, true);
    const afterHide = await main.connector.listComments(credentials, { postExternalIds: [post.externalId], since, cursor: null });
    expect(afterHide.comments.some((c) => c.externalId === addedId)).toBe(false);
    await main.connector.setCommentHidden(credentials, addedId, false);
    const afterShow = await main.connector.listComments(credentials, { postExternalIds: [post.externalId], since, cursor: null });
    expect(afterShow.comments.some((c) => c.externalId === addedId)).toBe(true);
    // 2 replies + 2 moderation calls at 50 units each.
    expect(main.sandbox.quotaUsed()).toBeGreaterThanOrEqual(200);
  });

  it("fetches every reply when a thread carries only the first five", async () => {
    const credentials = await credentialsFor(main);
    const post = youtubeSandboxHistory(DEMO, new Date(now)).posts[0]!;
    const top = main.sandbox.addComment({ videoId: post.externalId, text: "Pergunta", authorName: "Ana" });
    for (let i = 0; i < 7; i++) {
      now += 1_000;
      main.sandbox.addComment({ videoId: post.externalId, text: `Resposta ${i}`, parentId: top.id });
    }
    const listed = await main.connector.listComments(credentials, { postExternalIds: [post.externalId], since: null, cursor: null });
    expect(listed.comments.filter((c) => c.parentExternalId === top.id)).toHaveLength(7);
  });

  it("lists comments of several videos through the channel's threads, filtered to those videos", async () => {
    const credentials = await credentialsFor(main);
    const history = youtubeSandboxHistory(DEMO, new Date(now));
    const ids = [history.posts[1]!.externalId, history.posts[2]!.externalId];
    const listed = await main.connector.listComments(credentials, { postExternalIds: ids, since: null, cursor: null });
    const expected = history.comments.filter((c) => ids.includes(c.postExternalId)).map((c) => c.externalId).sort();
    expect(listed.comments.map((c) => c.externalId).sort()).toEqual(expected);
    expect(main.calls.filter((c) => c === "GET /youtube/v3/commentThreads").length).toBeGreaterThan(0);
  });

  it("has no webhooks: comments are polled", () => {
    expect(main.connector.commentsDelivery).toBe("polling");
    expect(main.connector.verifyWebhook({ url: "http://x", headers: new Headers(), rawBody: "{}" })).toBe(false);
    expect(main.connector.parseWebhook("{}")).toEqual([]);
    expect(main.connector.answerWebhookChallenge(new URLSearchParams("hub.mode=subscribe&hub.challenge=1"), "t")).toBeNull();
  });
});
