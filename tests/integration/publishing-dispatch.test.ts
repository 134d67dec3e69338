/**
 * 1 000 publications due in the same minute, through the real pieces: the dispatcher's claims,
 * events sent with the app's `inngest.send`, the local jobs runner executing the publish function
 * (per-account concurrency of 1, step sleeps), the Instagram client and its sandbox over HTTP.
 * 25 accounts × 40 posts keeps every account under Instagram's 50 posts per 24 h.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createInstagramSandbox, type InstagramSandbox } from "~/server/connectors/sandbox/instagram";
import { createInstagramConnector } from "~/server/connectors/social/instagram";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { PublishMedia } from "~/server/connectors/social/types";
import { inngest } from "~/server/jobs/client";
import { publishPublication } from "~/server/jobs/functions/publishing";
import { startLocalRunner, type LocalRunner } from "~/server/jobs/local/runner";
import { encrypt } from "~/server/lib/secrets";
import { resetPacing, setPacingRate } from "~/server/services/connectors/pacing";
import { dispatchDue, publishEventOf, type SendEvents } from "~/server/services/publishing/dispatch";
import { setPublishMediaOpener } from "~/server/services/publishing/media";
import { jpegBytes, servedMedia, type ServedMedia } from "../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const POSTS = 1_000;
const ACCOUNTS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sandbox: InstagramSandbox;
let served: ServedFetch;
let files: ServedMedia;
let runner: LocalRunner | null = null;
let restore: Array<() => void> = [];
let fx: OrgFixture;

beforeAll(async () => {
  sandbox = createInstagramSandbox({ imageProcessingMs: 20, webhookUrl: null });
  served = await serveFetch(sandbox.handler);
  files = await servedMedia({ "post.jpg": await jpegBytes({ width: 1080, height: 1080 }) });
  restore = [
    setSocialConnector(createInstagramConnector({ graphUrl: served.url, apiUrl: served.url, authUrl: served.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, isSandbox: true, timeoutMs: 5_000, pollIntervalMs: 20 })),
    setPublishMediaOpener(async (_db, _org, rows) =>
      rows.map((row): PublishMedia => ({ kind: "IMAGE", mimeType: "image/jpeg", sizeBytes: Number(row.sizeBytes), width: 1080, height: 1080, durationMs: null, url: files.url("post.jpg"), read: async () => new Uint8Array() })),
    ),
  ];
  // The sandbox's own per-account limits apply; the app-wide pacing default (10 req/s against
  // sandboxes) would stretch 1 000 posts over minutes.
  setPacingRate("INSTAGRAM", 2_000);
  fx = await createOrgFixture("dispatch-1000");
}, 120_000);

afterAll(async () => {
  await runner?.stop();
  for (const r of restore) r();
  resetPacing();
  await served?.close();
  await files?.close();
});

async function seed(scheduledAt: Date) {
  const org = fx.organizationId;
  const accounts: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const externalAccountId = `178416${Date.now().toString().slice(-7)}${String(i).padStart(4, "0")}`;
    const token = sandbox.issueToken(externalAccountId);
    const c = await db.connection.create({
      data: { organizationId: org, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId, accountName: `@conta${i}`, accessTokenEnc: encrypt(token.accessToken), expiresAt: new Date(token.expiresAt) },
    });
    accounts.push(c.id);
  }
  const contents = Array.from({ length: POSTS }, (_, i) => ({ id: `c1k-${org.slice(-8)}-${i}`, organizationId: org, title: `Post ${i}`, baseCaption: `Post número ${i} ${org}`, status: "APPROVED" as const }));
  await db.content.createMany({ data: contents });
  await db.contentVariant.createMany({ data: contents.map((c) => ({ organizationId: org, contentId: c.id, network: "INSTAGRAM" as const, caption: c.baseCaption, hashtags: [] })) });
  await db.media.createMany({
    data: contents.map((c) => ({ organizationId: org, contentId: c.id, storageKey: `${org}/${c.id}.jpg`, fileName: "p.jpg", mimeType: "image/jpeg", sizeBytes: 4096n, checksumSha256: "3".repeat(64), width: 1080, height: 1080, status: "READY" as const })),
  });
  await db.publication.createMany({
    data: contents.map((c, i) => ({ organizationId: org, contentId: c.id, connectionId: accounts[i % ACCOUNTS]!, scheduledAt })),
  });
  return contents;
}

describe("1 000 publications due in the same minute", () => {
  it("are each dispatched exactly once (concurrent dispatchers claim disjoint sets) and all published exactly once through the local runner", async () => {
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const contents = await seed(minute);

    // Three dispatchers at once: every row is claimed by exactly one of them.
    const batches: Parameters<SendEvents>[0][] = [[], [], []];
    const results = await Promise.all(
      batches.map((batch) => dispatchDue(db, new Date(minute.getTime() + 30_000), { organizationId: fx.organizationId, send: async (events) => void batch.push(...events) })),
    );
    const ids = batches.flat().map((e) => e.data.publicationId);
    expect(results.reduce((n, r) => n + r.dispatched, 0)).toBe(POSTS);
    expect(ids).toHaveLength(POSTS);
    expect(new Set(ids).size).toBe(POSTS);
    // Nothing is left to claim.
    expect((await dispatchDue(db, new Date(minute.getTime() + 45_000), { organizationId: fx.organizationId, send: async () => undefined })).dispatched).toBe(0);

    // The events go out through the app's client (a second send of the same ids is dropped).
    const events = batches.flat();
    for (let i = 0; i < events.length; i += 250) await inngest.send(events.slice(i, i + 250));
    await inngest.send(events.slice(0, 100));
    const claimed = await db.publication.findMany({ where: { organizationId: fx.organizationId, contentId: { in: contents.map((c) => c.id) } }, select: { id: true, connectionId: true, version: true } });
    expect(events.map((e) => e.id).sort()).toEqual(claimed.map((c) => publishEventOf({ ...c, organizationId: fx.organizationId, createdById: null }).id).sort());

    runner = await startLocalRunner({ functions: [publishPublication], cron: false, pollIntervalMs: 50, concurrency: 25, retryDelay: () => 200 });
    await runner.ready;

    const deadline = Date.now() + 520_000;
    let published = 0;
    while (Date.now() < deadline) {
      published = await db.publication.count({ where: { organizationId: fx.organizationId, contentId: { in: contents.map((c) => c.id) }, status: "PUBLISHED" } });
      if (published === POSTS) break;
      await sleep(500);
    }
    const byStatus = await db.publication.groupBy({ by: ["status"], where: { organizationId: fx.organizationId, contentId: { in: contents.map((c) => c.id) } }, _count: { _all: true } });
    expect(byStatus.map((s) => [s.status, s._count._all])).toEqual([["PUBLISHED", POSTS]]);

    // Exactly once at the network: one post per caption, each published once.
    const captions = new Set(contents.map((c) => c.baseCaption));
    const posts = sandbox.posts().filter((p) => captions.has(p.caption));
    expect(posts).toHaveLength(POSTS);
    expect(posts.every((p) => p.publishCount === 1)).toBe(true);
    // One run per publication: the duplicated sends started nothing.
    expect(await db.jobRun.count({ where: { functionId: { endsWith: "publish-publication" }, organizationId: fx.organizationId } })).toBe(POSTS);
  }, 580_000);
});
