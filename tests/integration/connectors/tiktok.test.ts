/**
 * The TikTok client against the TikTok sandbox, over real HTTP on 127.0.0.1 (media served by a
 * second server). No database: both sides are plain HTTP. The sandbox's clock is moved to expire
 * tokens, pass rate-limit windows, and finish processing and moderation.
 */
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ConnectorError, type TokenSet } from "~/server/connectors/common";
import { createTikTokSandbox, SANDBOX_TIKTOK_ACCOUNTS, syntheticMp4, tiktokSandboxHistory, type TikTokSandbox } from "~/server/connectors/sandbox/tiktok";
import { createTikTokConnector } from "~/server/connectors/social/tiktok";
import type { PublishMedia, PublishProgress, PublishRequest, PublishState, SocialConnector, SocialCredentials } from "~/server/connectors/social/types";

import { mp4Bytes, servedMedia, type ServedMedia } from "../../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

const MB = 1024 * 1024;
const REDIRECT = "http://127.0.0.1:9/callback";
const DEMO = SANDBOX_TIKTOK_ACCOUNTS[0]!;
const OTHER = SANDBOX_TIKTOK_ACCOUNTS[1]!;

let now = Date.now();
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

/**
 * A video of `size` bytes that is never held in memory whole: a real MP4 head (ftyp + moov/mvhd)
 * followed by zeros, produced chunk by chunk on read.
 */
function virtualVideo(size: number, durationSec = 12): PublishMedia {
  const head = syntheticMp4(durationSec, 4096).subarray(0, 156);
  return {
    kind: "VIDEO",
    mimeType: "video/mp4",
    sizeBytes: size,
    width: 1080,
    height: 1920,
    durationMs: durationSec * 1000,
    url: media.url("video.mp4"),
    read: (start, end) => {
      const out = Buffer.alloc(end - start);
      if (start < head.length) head.copy(out, 0, start, Math.min(head.length, end));
      return Promise.resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
    },
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
  sandbox = createTikTokSandbox({ clock, processingMs: 2_000, moderationMs: 3_000, verifiedDomains: ["127.0.0.1"] });
  served = await serveFetch(sandbox.handler);
  connector = connectorFor(served.url);
});

afterAll(async () => {
  await served?.close();
  await media?.close();
});

beforeEach(() => {
  sandbox.reset();
  // Real time: confirming a pulled video compares the client's clock with the video's create_time.
  now = Date.now();
  requests.length = 0;
  connector = connectorFor(served.url);
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

/** The PUTs the client sent, as [first byte, last byte, total]. */
function chunkPuts() {
  return requests
    .filter((r) => r.method === "PUT")
    .map((r) => {
      const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(r.range ?? "")!;
      return [Number(m[1]), Number(m[2]), Number(m[3])];
    });
}

async function apiCall(path: string, token: string, body: unknown) {
  const response = await fetch(`${served.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data: Record<string, unknown>; error: { code: string; message: string } } };
}

describe("TikTok chunk rules, end to end", () => {
  it("sends a 4.9 MB video whole in one PUT", async () => {
    const tokens = await connect();
    requests.length = 0;
    const size = Math.round(4.9 * MB);
    const { progress } = await drive(creds(tokens), { ...publishRequest(smallVideo), media: [virtualVideo(size)] });
    expect(progress.kind).toBe("published");
    expect(chunkPuts()).toEqual([[0, size - 1, size]]);
  });

  it("sends exactly 10 MB as two 5 MB chunks, one per phase step, and resumes at the next chunk", async () => {
    connector = connectorFor(served.url, { chunkSize: 5 * MB });
    const tokens = await connect();
    requests.length = 0;
    const request = { ...publishRequest(smallVideo), media: [virtualVideo(10 * MB)] };
    let state: PublishState | null = null;
    const seen: Array<[string, unknown]> = [];
    for (let i = 0; i < 3; i++) {
      const step = await connector.advancePublish(creds(tokens), request, state);
      if (step.kind !== "next") throw new Error(`unexpected ${step.kind}`);
      state = step.state;
      seen.push([state.phase, state.data.nextChunk]);
    }
    // After creator_info → init → chunk 0, the state says "upload chunk 1": a run that dies here
    // resumes from it (a fresh connector, as after a restart).
    expect(seen).toEqual([
      ["init", undefined],
      ["upload", 0],
      ["upload", 1],
    ]);
    connector = connectorFor(served.url, { chunkSize: 5 * MB });
    const { progress } = await drive(creds(tokens), request, state);
    expect(progress.kind).toBe("published");
    expect(chunkPuts()).toEqual([
      [0, 5 * MB - 1, 10 * MB],
      [5 * MB, 10 * MB - 1, 10 * MB],
    ]);
    expect(sandbox.posts()).toHaveLength(1);
  });

  it("sends 140 MB with 64 MB chunks as 64 MB + 76 MB", async () => {
    connector = connectorFor(served.url, { chunkSize: 64 * MB, timeoutMs: 20_000 });
    const tokens = await connect();
    requests.length = 0;
    const { progress } = await drive(creds(tokens), { ...publishRequest(smallVideo), media: [virtualVideo(140 * MB)] });
    expect(progress.kind).toBe("published");
    expect(chunkPuts()).toEqual([
      [0, 64 * MB - 1, 140 * MB],
      [64 * MB, 140 * MB - 1, 140 * MB],
    ]);
  });

  it("refuses at init a client that counts chunks wrong, and a chunk out of order or of the wrong size", async () => {
    const tokens = await connect();
    const init = (source_info: Record<string, unknown>) =>
      apiCall("/v2/post/publish/video/init/", tokens.accessToken, { post_info: { title: "x", privacy_level: "SELF_ONLY" }, source_info: { source: "FILE_UPLOAD", ...source_info } });
    // ceil instead of floor: 3 chunks for 140 MB.
    const rounded = await init({ video_size: 140 * MB, chunk_size: 64 * MB, total_chunk_count: 3 });
    expect(rounded.status).toBe(400);
    expect(rounded.body.error.code).toBe("invalid_params");
    // A 4 MB video cut in two.
    const small = await init({ video_size: 4 * MB, chunk_size: 2 * MB, total_chunk_count: 2 });
    expect(small.body.error.code).toBe("invalid_params");

    const ok = await init({ video_size: 10 * MB, chunk_size: 5 * MB, total_chunk_count: 2 });
    expect(ok.body.error.code).toBe("ok");
    const uploadUrl = ok.body.data.upload_url as string;
    const put = (range: string, bytes: number) =>
      fetch(uploadUrl, { method: "PUT", headers: { "content-type": "video/mp4", "content-range": range }, body: new Uint8Array(bytes) });
    const outOfOrder = await put(`bytes ${5 * MB}-${10 * MB - 1}/${10 * MB}`, 5 * MB);
    expect(outOfOrder.status).toBe(400);
    expect(((await outOfOrder.json()) as { error: { message: string } }).error.message).toMatch(/in order/);
    const wrongSize = await put(`bytes 0-${4 * MB - 1}/${10 * MB}`, 4 * MB);
    expect(wrongSize.status).toBe(400);
    const first = await put(`bytes 0-${5 * MB - 1}/${10 * MB}`, 5 * MB);
    expect(first.status).toBe(206);
    const last = await put(`bytes ${5 * MB}-${10 * MB - 1}/${10 * MB}`, 5 * MB);
    expect(last.status).toBe(201);
  });
});

describe("TikTok publishing rules and faults", () => {
  it("an unaudited app may only post privately: PUBLIC fails with a readable reason, SELF_ONLY is published", async () => {
    sandbox.setAudited(false);
    const tokens = await connect();
    const refused = await drive(creds(tokens), publishRequest(smallVideo, { privacy: "PUBLIC_TO_EVERYONE" }));
    expect(refused.progress).toMatchObject({ kind: "failed", code: "privacy_level_option_mismatch" });
    if (refused.progress.kind === "failed") expect(refused.progress.reason).toMatch(/SELF_ONLY/);
    expect(requests.some((r) => r.path === "/v2/post/publish/video/init/")).toBe(false);

    // Sending PUBLIC anyway (skipping creator_info) is refused by TikTok itself.
    const forced = await connector.advancePublish(creds(tokens), publishRequest(smallVideo), { phase: "init", data: { privacy: "PUBLIC_TO_EVERYONE", source: "FILE_UPLOAD" } });
    expect(forced).toMatchObject({ kind: "failed", code: "unaudited_client_can_only_post_to_private_accounts" });

    // A private post never gets a public id: it is recorded under its publish_id.
    const { progress } = await drive(creds(tokens), publishRequest(smallVideo, { privacy: "SELF_ONLY" }));
    expect(progress.kind).toBe("published");
    if (progress.kind === "published") {
      expect(progress.externalId).toMatch(/^v_pub_file~/);
      expect(progress.permalink).toBeNull();
    }
    expect(sandbox.posts().map((p) => p.privacy_level)).toEqual(["SELF_ONLY"]);
  });

  it("uses the account's public default when no privacy is chosen, and refuses a video longer than the creator's maximum", async () => {
    const tokens = await connect();
    const tooLong = await drive(creds(tokens), { ...publishRequest(smallVideo, { privacy: null }), media: [videoMedia(smallVideo, "video.mp4", 700_000)] });
    expect(tooLong.progress).toMatchObject({ kind: "failed", code: "duration_check_failed" });
    const { progress } = await drive(creds(tokens), publishRequest(smallVideo, { privacy: null }));
    expect(progress.kind).toBe("published");
    expect(sandbox.posts()[0]!.privacy_level).toBe("PUBLIC_TO_EVERYONE");
  });

  it("waits through moderation: PUBLISH_COMPLETE without a post id keeps waiting, then publishes with the id", async () => {
    const tokens = await connect();
    const request = publishRequest(smallVideo);
    let state: PublishState | null = null;
    const kinds: string[] = [];
    for (;;) {
      const step = await connector.advancePublish(creds(tokens), request, state);
      if (step.kind === "published") break;
      if (step.kind === "failed") throw new Error(step.reason);
      kinds.push(step.kind === "wait" ? `wait:${step.retryAfterMs}` : `next:${step.state.phase}`);
      if (step.kind === "wait" && step.state.data.completeSince !== undefined) {
        // Complete but still in moderation: the sandbox has the post without a public id yet.
        expect(sandbox.posts()[0]).toMatchObject({ status: "PUBLISH_COMPLETE", id: null });
      }
      state = step.state;
      now += step.kind === "wait" ? 1_000 : 0;
    }
    expect(kinds).toContain("wait:3000"); // processing
    expect(kinds).toContain("wait:10000"); // moderation
    expect(sandbox.posts()[0]!.id).toMatch(/^\d{19}$/);
  });

  it("status FAILED ends the publication with TikTok's reason in words", async () => {
    const tokens = await connect();
    sandbox.setFaults({ failNextPublish: "spam_risk_text" });
    const { progress } = await drive(creds(tokens), publishRequest(smallVideo));
    expect(progress).toMatchObject({ kind: "failed", code: "spam_risk_text" });
    if (progress.kind === "failed") expect(progress.reason).toMatch(/spam/);

    // Bytes that are not a video fail TikTok's format check.
    const junk = Buffer.from("this is not a video ".repeat(1000));
    const bad = await drive(creds(tokens), { ...publishRequest(junk), media: [{ ...videoMedia(junk, "video.mp4"), sizeBytes: junk.length }] });
    expect(bad.progress).toMatchObject({ kind: "failed", code: "file_format_check_failed" });
  });

  it("a lost answer to the final chunk is outcome_unknown; confirmPublish finds the post and it is published once", async () => {
    connector = connectorFor(served.url, { timeoutMs: 1_000, chunkSize: 5 * MB });
    const tokens = await connect();
    const request = { ...publishRequest(smallVideo), media: [virtualVideo(10 * MB)] };
    sandbox.setFaults({ lostPublishResponse: "drop" });
    let state: PublishState | null = null;
    let lost: ConnectorError | null = null;
    for (let i = 0; i < 5 && !lost; i++) {
      try {
        const step = await connector.advancePublish(creds(tokens), request, state);
        if (step.kind !== "next") throw new Error(`unexpected ${step.kind}`);
        state = step.state;
      } catch (error) {
        lost = error as ConnectorError;
      }
    }
    expect(lost).toBeInstanceOf(ConnectorError);
    expect(lost!.kind).toBe("outcome_unknown");
    expect(state!.phase).toBe("upload");
    expect(state!.data.nextChunk).toBe(1);

    // The service confirms before anything else: still processing → follow its status.
    const confirmation = await connector.confirmPublish(creds(tokens), request, state!);
    expect(confirmation.kind).toBe("not_published");
    if (confirmation.kind !== "not_published") return;
    expect(confirmation.state.phase).toBe("status");
    const { progress } = await drive(creds(tokens), request, confirmation.state);
    expect(progress.kind).toBe("published");
    const posts = sandbox.posts();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.publish_count).toBe(1);
    expect(chunkPuts()).toHaveLength(2);

    // Asked again once moderated, confirm answers "published" with the id.
    const again = await connector.confirmPublish(creds(tokens), request, state!);
    expect(again).toMatchObject({ kind: "published", externalId: posts[0]!.id });
  });

  it("an answer lost to a 500 after the final chunk is outcome_unknown, and a 500 on creator_info or init is just transient", async () => {
    connector = connectorFor(served.url, { chunkSize: 5 * MB });
    const tokens = await connect();
    const request = { ...publishRequest(smallVideo), media: [virtualVideo(10 * MB)] };
    sandbox.setFaults({ serverErrors: 1 });
    await expectConnectorError(connector.advancePublish(creds(tokens), request, null), "transient");
    const initState = await connector.advancePublish(creds(tokens), request, null);
    if (initState.kind !== "next") throw new Error("creator_info failed");
    sandbox.setFaults({ serverErrors: 1 });
    await expectConnectorError(connector.advancePublish(creds(tokens), request, initState.state), "transient");
    const upload = await connector.advancePublish(creds(tokens), request, initState.state);
    if (upload.kind !== "next") throw new Error("init failed");
    const chunk1 = await connector.advancePublish(creds(tokens), request, upload.state);
    if (chunk1.kind !== "next") throw new Error("chunk 0 failed");
    sandbox.setFaults({ lostPublishResponse: "error" });
    await expectConnectorError(connector.advancePublish(creds(tokens), request, chunk1.state), "outcome_unknown");
    const confirmation = await connector.confirmPublish(creds(tokens), request, chunk1.state);
    expect(confirmation).toMatchObject({ kind: "not_published", state: { phase: "status" } });
    if (confirmation.kind === "not_published") await drive(creds(tokens), request, confirmation.state);
    expect(sandbox.posts().map((p) => p.publish_count)).toEqual([1]);
  });

  it("a 500 from the upload host: a middle chunk is retried as transient; on the final chunk, confirm resumes the upload", async () => {
    connector = connectorFor(served.url, { chunkSize: 5 * MB });
    const tokens = await connect();
    const request = { ...publishRequest(smallVideo), media: [virtualVideo(15 * MB)] };
    let state: PublishState | null = null;
    for (let i = 0; i < 2; i++) {
      const step = await connector.advancePublish(creds(tokens), request, state);
      if (step.kind !== "next") throw new Error(step.kind);
      state = step.state;
    }
    expect(state).toMatchObject({ phase: "upload", data: { nextChunk: 0 } });
    sandbox.setFaults({ chunkErrors: 1 });
    await expectConnectorError(connector.advancePublish(creds(tokens), request, state), "transient");
    for (let i = 0; i < 2; i++) {
      const step = await connector.advancePublish(creds(tokens), request, state);
      if (step.kind !== "next") throw new Error(step.kind);
      state = step.state;
    }
    expect(state).toMatchObject({ phase: "upload", data: { nextChunk: 2 } });
    sandbox.setFaults({ chunkErrors: 1 });
    await expectConnectorError(connector.advancePublish(creds(tokens), request, state), "outcome_unknown");
    const confirmation = await connector.confirmPublish(creds(tokens), request, state!);
    expect(confirmation).toMatchObject({ kind: "not_published", state: { phase: "upload", data: { nextChunk: 2 } } });
    if (confirmation.kind !== "not_published") return;
    const { progress } = await drive(creds(tokens), request, confirmation.state);
    expect(progress.kind).toBe("published");
    expect(sandbox.posts().map((p) => p.publish_count)).toEqual([1]);
  });

  it("confirmPublish resumes the upload when the final chunk never arrived", async () => {
    connector = connectorFor(served.url, { chunkSize: 5 * MB });
    const tokens = await connect();
    const request = { ...publishRequest(smallVideo), media: [virtualVideo(10 * MB)] };
    let state: PublishState | null = null;
    for (let i = 0; i < 3; i++) {
      const step = await connector.advancePublish(creds(tokens), request, state);
      if (step.kind !== "next") throw new Error(step.kind);
      state = step.state;
    }
    // The final chunk was about to be sent (e.g. the connection failed before the request left).
    const confirmation = await connector.confirmPublish(creds(tokens), request, state!);
    expect(confirmation).toMatchObject({ kind: "not_published", state: { phase: "upload", data: { nextChunk: 1 } } });
    expect(sandbox.posts()).toHaveLength(0);
  });

  it("answers 429 rate_limit_exceeded on the 7th init within a minute, with a retry delay", async () => {
    const tokens = await connect();
    const request = publishRequest(smallVideo);
    const first = await connector.advancePublish(creds(tokens), request, null);
    if (first.kind !== "next") throw new Error(first.kind);
    for (let i = 0; i < 6; i++) {
      const step = await connector.advancePublish(creds(tokens), request, first.state);
      expect(step.kind).toBe("next");
      now += 1_000;
    }
    const limited = await expectConnectorError(connector.advancePublish(creds(tokens), request, first.state), "rate_limited");
    expect(limited.details.code).toBe("rate_limit_exceeded");
    expect(limited.details.retryAfterMs).toBeGreaterThan(0);
    expect(limited.details.retryAfterMs).toBeLessThanOrEqual(60_000);
    // Another creator has their own budget.
    const other = await connect(OTHER.openId);
    expect((await connector.advancePublish(creds(other), request, first.state)).kind).toBe("next");
    now += limited.details.retryAfterMs!;
    expect((await connector.advancePublish(creds(tokens), request, first.state)).kind).toBe("next");
  });

  it("an upload URL expires after an hour: the next step starts over at init, and the post goes live once", async () => {
    connector = connectorFor(served.url, { chunkSize: 5 * MB });
    const tokens = await connect();
    const request = { ...publishRequest(smallVideo), media: [virtualVideo(10 * MB)] };
    let state: PublishState | null = null;
    for (let i = 0; i < 3; i++) {
      const step = await connector.advancePublish(creds(tokens), request, state);
      if (step.kind !== "next") throw new Error(step.kind);
      state = step.state;
    }
    now += 3_600_000 + 1_000;
    const fresh = await connect();
    const restarted = await connector.advancePublish(creds(fresh), request, state);
    expect(restarted).toMatchObject({ kind: "next", state: { phase: "init" } });
    if (restarted.kind !== "next") return;
    const { progress } = await drive(creds(fresh), request, restarted.state);
    expect(progress.kind).toBe("published");
    expect(sandbox.posts().map((p) => p.publish_count)).toEqual([1]);
  });

  it("the daily post cap makes the post wait (rate_limited for an hour), not fail", async () => {
    const capped = createTikTokSandbox({ clock, processingMs: 0, moderationMs: 0, dailyPostCap: 2 });
    const server = await serveFetch(capped.handler);
    try {
      connector = connectorFor(server.url);
      const tokens = await connect();
      for (let i = 0; i < 2; i++) expect((await drive(creds(tokens), publishRequest(smallVideo, { caption: `post ${i}` }))).progress.kind).toBe("published");
      const error = await drive(creds(tokens), publishRequest(smallVideo, { caption: "post 3" })).then(
        () => null,
        (e: unknown) => e as ConnectorError,
      );
      expect(error).toBeInstanceOf(ConnectorError);
      expect(error!.kind).toBe("rate_limited");
      expect(error!.details.code).toBe("quota_exhausted");
      expect(error!.message).toContain("spam_risk_too_many_posts");
      expect(error!.details.retryAfterMs).toBe(3_600_000);
      now += 86_400_000;
      const renewed = await connect();
      expect((await drive(creds(renewed), publishRequest(smallVideo, { caption: "post 3" }))).progress.kind).toBe("published");
    } finally {
      await server.close();
    }
  });

  it("publishes by PULL_FROM_URL from a verified domain, and refuses an unverified one", async () => {
    connector = connectorFor(served.url, { pullFromUrlHosts: ["127.0.0.1", "localhost"] });
    const tokens = await connect();
    requests.length = 0;
    const { progress } = await drive(creds(tokens), publishRequest(smallVideo));
    expect(progress.kind).toBe("published");
    expect(requests.some((r) => r.method === "PUT")).toBe(false);
    expect(media.requests.some((r) => r.method === "GET" && r.path === "video.mp4")).toBe(true);

    const unverified = publishRequest(smallVideo, { caption: "outro" });
    unverified.media = [{ ...videoMedia(smallVideo, "video.mp4"), url: media.url("video.mp4").replace("127.0.0.1", "localhost") }];
    const refused = await drive(creds(tokens), unverified);
    expect(refused.progress).toMatchObject({ kind: "failed", code: "url_ownership_unverified" });
  });

  it("a lost PULL_FROM_URL init is outcome_unknown; confirm finds the video in the list once moderated", async () => {
    connector = connectorFor(served.url, { pullFromUrlHosts: ["127.0.0.1"] });
    const tokens = await connect();
    const request = publishRequest(smallVideo, { caption: "Vídeo puxado por URL #teste" });
    const first = await connector.advancePublish(creds(tokens), request, null);
    if (first.kind !== "next") throw new Error(first.kind);
    sandbox.setFaults({ lostPublishResponse: "error" });
    await expectConnectorError(connector.advancePublish(creds(tokens), request, first.state), "outcome_unknown");
    await sandbox.settle();
    // Not moderated yet: the client cannot tell, and says so instead of guessing.
    await expectConnectorError(connector.confirmPublish(creds(tokens), request, first.state), "transient");
    now += 10_000;
    const confirmation = await connector.confirmPublish(creds(tokens), request, first.state);
    expect(confirmation.kind).toBe("published");
    expect(sandbox.posts()).toHaveLength(1);
    if (confirmation.kind === "published") expect(confirmation.externalId).toBe(sandbox.posts()[0]!.id);
  });
});

describe("TikTok reading, comments and errors", () => {
  it("lists videos with a cursor and reads metrics that agree with the demo history", async () => {
    const tokens = await connect();
    const history = tiktokSandboxHistory(DEMO.openId, new Date(now));
    const page = await connector.listPosts(creds(tokens), null);
    expect(page.posts.map((p) => p.externalId)).toEqual(history.posts.map((p) => p.externalId));
    expect(page.posts[0]!.publishedAt.toISOString()).toBe(history.posts[0]!.publishedAt.toISOString());
    expect(page.nextCursor).toBeNull();
    await drive(creds(tokens), publishRequest(smallVideo));
    const withNew = await connector.listPosts(creds(tokens), null);
    expect(withNew.posts).toHaveLength(20);
    expect(withNew.nextCursor).not.toBeNull();
    const next = await connector.listPosts(creds(tokens), withNew.nextCursor);
    expect(next.posts.map((p) => p.externalId)).toEqual([history.posts.at(-1)!.externalId]);

    const ids = history.posts.map((p) => p.externalId).concat(["v_pub_file~private"]);
    const metrics = await connector.getPostMetrics(creds(tokens), [...ids, ...ids.slice(0, 3)]);
    expect(metrics).toHaveLength(20);
    const first = metrics.find((m) => m.externalId === history.posts[0]!.externalId)!;
    expect(first).toMatchObject({ views: history.posts[0]!.metrics.views, likes: history.posts[0]!.metrics.likes, shares: history.posts[0]!.metrics.shares });

    const to = new Date(now - 86_400_000);
    const from = new Date(now - 7 * 86_400_000);
    const daily = await connector.getAccountMetrics(creds(tokens), from, to);
    expect(daily).toHaveLength(7);
    const expected = history.accountDaily.slice(-7);
    expect(daily.map((d) => d.date)).toEqual(expected.map((d) => d.date));
    expect(daily[0]).toMatchObject({ followers: expected[0]!.followers, views: expected[0]!.views, profileViews: expected[0]!.profileViews, engagements: expected[0]!.engagements });
  });

  it("lists comments since a date, replies and hides them through the Business API", async () => {
    const tokens = await connect();
    const history = tiktokSandboxHistory(DEMO.openId, new Date(now));
    const [videoA, videoB] = [history.posts[0]!.externalId, history.posts[1]!.externalId];
    const all = await connector.listComments(creds(tokens), { postExternalIds: [videoA, videoB], since: null, cursor: null });
    const expectedA = history.comments.filter((c) => c.postExternalId === videoA);
    expect(all.comments.map((c) => c.externalId).sort()).toEqual(expectedA.map((c) => c.externalId).sort());
    expect(all.nextCursor).toBe("1:0");
    const pageB = await connector.listComments(creds(tokens), { postExternalIds: [videoA, videoB], since: null, cursor: all.nextCursor });
    expect(pageB.comments.every((c) => c.postExternalId === videoB)).toBe(true);
    expect(pageB.nextCursor).toBeNull();

    // A new audience comment (as the e2e adds one) is the only one newer than the last poll.
    const added = await fetch(`${served.url}/_sandbox/comments`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ video_id: videoB, text: "Tem no azul?", username: "cliente.teste" }) });
    expect(added.status).toBe(201);
    const { external_id } = (await added.json()) as { external_id: string };
    now += 60_000;
    const fresh = await connector.listComments(creds(tokens), { postExternalIds: [videoA, videoB], since: new Date(now - 120_000), cursor: null });
    expect(fresh.comments).toHaveLength(1);
    expect(fresh.comments[0]).toMatchObject({ externalId: external_id, postExternalId: videoB, text: "Tem no azul?", authorName: "cliente.teste", parentExternalId: null, hidden: false });

    const reply = await connector.replyToComment(creds(tokens), { commentExternalId: external_id, postExternalId: videoB, text: "Tem sim! Já já mandamos o link." });
    expect(reply.externalId.startsWith(`${videoB}:`)).toBe(true);
    await connector.setCommentHidden(creds(tokens), external_id, true);
    const after = await connector.listComments(creds(tokens), { postExternalIds: [videoB], since: null, cursor: null });
    expect(after.comments.find((c) => c.externalId === external_id)!.hidden).toBe(true);
    // Our own reply is listed as the account's (a lost send outcome is confirmed by finding it;
    // inbound storage marks it as from the account, so automations never answer it).
    const ours = after.comments.find((c) => c.externalId === reply.externalId);
    expect(ours).toMatchObject({ authorExternalId: tokens.externalAccountId, parentExternalId: external_id, text: "Tem sim! Já já mandamos o link." });
    await connector.setCommentHidden(creds(tokens), external_id, false);
    const unhidden = await connector.listComments(creds(tokens), { postExternalIds: [videoB], since: null, cursor: null });
    expect(unhidden.comments.find((c) => c.externalId === external_id)!.hidden).toBe(false);

    // A video that is not (or no longer) the account's is skipped, and private posts recorded under
    // their publish_id are not asked about: the other videos are still polled.
    const other = await connect(OTHER.openId);
    const otherVideo = tiktokSandboxHistory(OTHER.openId, new Date(now)).posts[0]!.externalId;
    const mixed = await connector.listComments(creds(other), { postExternalIds: [videoA, "v_pub_file~v2-1.123", otherVideo], since: null, cursor: null });
    expect(mixed.comments.length).toBeGreaterThan(0);
    expect(mixed.comments.every((c) => c.postExternalId === otherVideo)).toBe(true);
    expect(mixed.nextCursor).toBeNull();
    // Replying on someone else's video is refused.
    await expectConnectorError(connector.replyToComment(creds(other), { commentExternalId: external_id, postExternalId: videoB, text: "oi" }), "refused");
  });

  it("maps 429s, Business API rate limits, 5xx and an invalid token", async () => {
    const tokens = await connect();
    sandbox.setFaults({ rateLimited: 1 });
    const limited = await expectConnectorError(connector.listPosts(creds(tokens), null), "rate_limited");
    expect(limited.details.retryAfterMs).toBe(1_000);
    sandbox.setFaults({ rateLimited: 1 });
    const business = await expectConnectorError(connector.getAccountMetrics(creds(tokens), new Date(now - 3 * 86_400_000), new Date(now)), "rate_limited");
    expect(business.details.code).toBe("40100");
    sandbox.setFaults({ serverErrors: 1 });
    await expectConnectorError(connector.getPostMetrics(creds(tokens), ["7100000000000000001"]), "transient");
    sandbox.setFaults({ serverErrors: 1 });
    await expectConnectorError(connector.listComments(creds(tokens), { postExternalIds: ["7100000000000000001"], since: null, cursor: null }), "transient");
    await expectConnectorError(connector.listPosts({ ...creds(tokens), accessToken: "act.forged.token" }, null), "unauthorized");
    await expectConnectorError(connector.getAccountMetrics({ ...creds(tokens), accessToken: "act.forged.token" }, new Date(now), new Date(now)), "unauthorized");
    // A dead host is transient, never a crash.
    const dead = connectorFor("http://127.0.0.1:9", { timeoutMs: 500 });
    await expectConnectorError(dead.listPosts(creds(tokens), null), "transient");
  });

  it("has no comment webhooks: comments are polled", () => {
    expect(connector.commentsDelivery).toBe("polling");
    expect(connector.verifyWebhook({ url: "http://x/webhook", headers: new Headers(), rawBody: "{}" })).toBe(false);
    expect(connector.parseWebhook("{}")).toEqual([]);
    expect(connector.answerWebhookChallenge(new URLSearchParams("hub.mode=subscribe&hub.challenge=1"), "t")).toBeNull();
    expect(connector.limits.network).toBe("TIKTOK");
    expect(connector.publishQuotaCost).toBeNull();
  });
});

describe("TikTok sandbox mounted under a base path (as /api/sandbox/tiktok)", () => {
  it("serves every host under the base, with control endpoints for tests and the e2e", async () => {
    const mounted = createTikTokSandbox({ clock, basePath: "/api/sandbox/tiktok", processingMs: 0, moderationMs: 0 });
    const server = await serveFetch(mounted.handler);
    try {
      const base = `${server.url}/api/sandbox/tiktok`;
      const previous = connector;
      connector = connectorFor(base);
      try {
        const tokens = await connect();
        const { progress } = await drive(creds(tokens), publishRequest(smallVideo));
        expect(progress.kind).toBe("published");
        // The upload URL points at the mounted upload host.
        expect(requests.find((r) => r.method === "PUT")!.path).toBe("/api/sandbox/tiktok/video/");

        const listed = (await (await fetch(`${base}/_sandbox/posts`)).json()) as { posts: Array<{ id: string; publish_count: number }> };
        expect(listed.posts).toHaveLength(1);
        expect(listed.posts[0]!.publish_count).toBe(1);
        if (progress.kind === "published") expect(listed.posts[0]!.id).toBe(progress.externalId);

        const faults = await fetch(`${base}/_sandbox/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ rateLimited: 1 }) });
        expect(faults.status).toBe(200);
        await expectConnectorError(connector.listPosts(creds(tokens), null), "rate_limited");

        const reset = await fetch(`${base}/_sandbox/reset`, { method: "POST" });
        expect(reset.status).toBe(200);
        expect(((await (await fetch(`${base}/_sandbox/posts`)).json()) as { posts: unknown[] }).posts).toHaveLength(0);
      } finally {
        connector = previous;
      }
    } finally {
      await server.close();
    }
  });
});
