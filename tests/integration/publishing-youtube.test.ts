/**
 * The publish state machine with YouTube's per-project daily quota: units are reserved in
 * provider_quota_usage before the upload, and a post that does not fit waits for the Pacific
 * midnight instead of failing. YouTube sandbox over real HTTP (resumable upload from the media's
 * bytes), real PostgreSQL. The clock sits on a far-future day of its own so the quota row is ours.
 */
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SANDBOX_YOUTUBE_ACCOUNTS, createYouTubeSandbox, type YouTubeSandbox } from "~/server/connectors/sandbox/youtube";
import { createYouTubeConnector } from "~/server/connectors/social/youtube";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { PublishMedia, SocialConnector } from "~/server/connectors/social/types";
import { encrypt } from "~/server/lib/secrets";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { dispatchDue } from "~/server/services/publishing/dispatch";
import { providerQuotaDay, publishStep, type StepResult } from "~/server/services/publishing/engine";
import { setPublishMediaOpener } from "~/server/services/publishing/media";
import * as publications from "~/server/services/publishing/publications";
import { mp4Bytes } from "../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { createOrgFixture, db, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const CHANNEL = SANDBOX_YOUTUBE_ACCOUNTS[0]!.id;
const REDIRECT = "http://127.0.0.1:9/callback";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Noon UTC on a day between 2101 and 2200 that no other run uses.
let now = Date.UTC(2101, 0, 1, 12) + (Date.now() % 36_000) * 86_400_000;
const clock = () => now;

let sandbox: YouTubeSandbox;
let served: ServedFetch;
let connector: SocialConnector;
let restore: Array<() => void> = [];
let fx: OrgFixture;
let connectionId: string;
const video = mp4Bytes({ durationMs: 5_000, width: 1080, height: 1920 });

beforeAll(async () => {
  sandbox = createYouTubeSandbox({ clock, processingMs: 20 });
  served = await serveFetch(sandbox.handler);
  // A project allowed one upload a day (1 600 units).
  connector = createYouTubeConnector({ apiUrl: served.url, analyticsUrl: served.url, oauthUrl: served.url, tokenUrl: served.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, isSandbox: true, clock, dailyQuotaUnits: 1_600, timeoutMs: 3_000, uploadTimeoutMs: 3_000 });
  restore = [
    setSocialConnector(connector),
    setPublishMediaOpener(async () => [
      { kind: "VIDEO", mimeType: "video/mp4", sizeBytes: video.length, width: 1080, height: 1920, durationMs: 5_000, url: "http://127.0.0.1:9/unused.mp4", read: async (start, end) => new Uint8Array(video.subarray(start, end)) } satisfies PublishMedia,
    ]),
  ];
  fx = await createOrgFixture("youtube-publish");

  // Connect the channel through the consent page and the code exchange, as the app does.
  const verifier = generateRandomCodeVerifier();
  const authUrl = new URL(connector.authorizationUrl({ state: "st", redirectUri: REDIRECT, codeChallenge: await calculatePKCECodeChallenge(verifier) }));
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", "allow");
  form.set("channel_id", CHANNEL);
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form, redirect: "manual" });
  const callback = new URL(answer.headers.get("location")!);
  const tokens = await connector.exchangeCode({ code: callback.searchParams.get("code")!, redirectUri: REDIRECT, codeVerifier: verifier, callbackParams: Object.fromEntries(callback.searchParams) });
  const c = await db.connection.create({
    data: {
      organizationId: fx.organizationId,
      provider: "YOUTUBE",
      kind: "SOCIAL",
      externalAccountId: tokens.externalAccountId,
      accountName: tokens.accountName ?? "canal",
      accessTokenEnc: encrypt(tokens.accessToken),
      refreshTokenEnc: tokens.refreshToken ? encrypt(tokens.refreshToken) : null,
      // The sandbox's clock is decades ahead; the app compares expiry with the real clock.
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  connectionId = c.id;
});

afterAll(async () => {
  for (const r of restore) r();
  await served?.close();
});

async function planned(title: string) {
  const content = await db.content.create({ data: { organizationId: fx.organizationId, title, baseCaption: `Descrição ${title}`, status: "APPROVED" } });
  await db.contentVariant.create({ data: { organizationId: fx.organizationId, contentId: content.id, network: "YOUTUBE", caption: `Descrição ${title}`, hashtags: [], title } });
  await db.media.create({
    data: { organizationId: fx.organizationId, contentId: content.id, storageKey: `${fx.organizationId}/${content.id}.mp4`, fileName: "v.mp4", mimeType: "video/mp4", sizeBytes: BigInt(video.length), checksumSha256: "5".repeat(64), width: 1080, height: 1920, durationMs: 5_000, status: "READY" },
  });
  const [row] = await publications.schedule(tenantCtxOf(fx, "OPERATOR"), { contentId: content.id, targets: [{ connectionId, scheduledAt: new Date(now) }] }, new Date(now));
  const sent: { data: { publicationId: string; version: number } }[] = [];
  await dispatchDue(db, new Date(now), { organizationId: fx.organizationId, send: async (events) => void sent.push(...(events as typeof sent)) });
  const event = sent.find((e) => e.data.publicationId === row!.id)!;
  return { publicationId: row!.id, version: event.data.version };
}

async function drive(input: { publicationId: string; version: number }) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  for (let i = 0; i < 100; i++) {
    const result: StepResult = await publishStep(ctx, input, new Date(now));
    if (result.kind === "next") continue;
    if (result.kind === "wait" && Date.parse(result.until) - now <= 5_000) {
      const ms = Math.max(0, Date.parse(result.until) - now);
      now += ms; // the sandbox and the engine share this clock
      await sleep(ms + 5);
      continue;
    }
    return result;
  }
  throw new Error("too many steps");
}

describe("publishing to YouTube within the daily quota", () => {
  it("uploads once; the next video waits for the Pacific midnight (quota_wait), then goes out", async () => {
    const first = await planned(`Vídeo um ${Date.now()}`);
    expect(await drive(first)).toEqual({ kind: "done", status: "PUBLISHED" });
    const published = await db.publication.findUniqueOrThrow({ where: { id: first.publicationId } });
    expect(published.externalId).toBeTruthy();
    const day = providerQuotaDay(new Date(now), "America/Los_Angeles");
    const usage = await db.providerQuotaUsage.findUniqueOrThrow({ where: { provider_day: { provider: "YOUTUBE", day: new Date(`${day.day}T00:00:00Z`) } } });
    expect(usage.units).toBe(1_600);

    const second = await planned(`Vídeo dois ${Date.now()}`);
    expect(await drive(second)).toMatchObject({ kind: "wait", why: "quota", until: day.resetsAt.toISOString() });
    const waiting = await db.publication.findUniqueOrThrow({ where: { id: second.publicationId } });
    expect(waiting).toMatchObject({ status: "DISPATCHED", failureCode: "quota_wait", nextAttemptAt: day.resetsAt });
    expect(waiting.lastError).toContain("YouTube");

    now = day.resetsAt.getTime() + 60_000;
    expect(await drive(second)).toEqual({ kind: "done", status: "PUBLISHED" });
    const posts = sandbox.posts();
    expect(posts.map((p) => p.publishCount)).toEqual([1, 1]);
  });
});
