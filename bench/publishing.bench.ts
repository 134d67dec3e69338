/**
 * On-time publishing: N publications (default 10 000) due in the same minute, dispatched by the
 * dispatcher and published by the publish function through the local jobs runner (per-account
 * concurrency of 1, step sleeps) against the Instagram sandbox served over HTTP on 127.0.0.1.
 * Accounts: ceil(N / 50) — Instagram allows 50 posts per account per 24 h, so every post fits.
 *
 * Figures (no assertions):
 *   - start lateness = the run's first network call (phase_data.run.startedAt) − scheduledAt:
 *     what "on time" means for us (the network's own processing comes after it);
 *   - publish lateness = publishedAt − scheduledAt (includes the network's container processing);
 *   - duplicates = posts the sandbox published more than once for one caption (must be 0);
 *   - lost = publications not PUBLISHED when the run ends (must be 0).
 * The dispatcher is called at the due time; in production the cron fires at :00 of each minute,
 * which adds the local runner's cron tick (≤ 15 s) on top.
 * Settings: BENCH_PUBLICATIONS (10 000), BENCH_PUBLISH_CONCURRENCY (jobs at once, default 25),
 * BENCH_PUBLISH_TIMEOUT_S (1 800).
 */
import { it } from "vitest";

import { createInstagramSandbox } from "~/server/connectors/sandbox/instagram";
import { createInstagramConnector } from "~/server/connectors/social/instagram";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { PublishMedia } from "~/server/connectors/social/types";
import { publishPublication } from "~/server/jobs/functions/publishing";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { encrypt } from "~/server/lib/secrets";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { dispatchDue } from "~/server/services/publishing/dispatch";
import { setPublishMediaOpener } from "~/server/services/publishing/media";
import { jpegBytes, servedMedia } from "../tests/helpers/media-fixtures";
import { serveFetch } from "../tests/helpers/serve-fetch";
import { db } from "../tests/integration/helpers/fixtures";
import { record, summarize } from "./helpers";

const N = Number(process.env.BENCH_PUBLICATIONS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_PUBLISH_CONCURRENCY ?? 25);
const TIMEOUT_MS = Number(process.env.BENCH_PUBLISH_TIMEOUT_S ?? 1_800) * 1000;
const PER_ACCOUNT = 50;
const CHUNK = 2_000;

it(`publishes ${N} posts due in the same minute`, { timeout: TIMEOUT_MS + 300_000 }, async () => {
  const sandbox = createInstagramSandbox({ imageProcessingMs: 200, webhookUrl: null });
  const served = await serveFetch(sandbox.handler);
  const files = await servedMedia({ "post.jpg": await jpegBytes({ width: 1080, height: 1080 }) });
  setSocialConnector(
    createInstagramConnector({ graphUrl: served.url, apiUrl: served.url, authUrl: served.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, isSandbox: true, timeoutMs: 20_000, pollIntervalMs: 500 }),
  );
  setPublishMediaOpener(async (_db, _org, rows) =>
    rows.map((row): PublishMedia => ({ kind: "IMAGE", mimeType: "image/jpeg", sizeBytes: Number(row.sizeBytes), width: 1080, height: 1080, durationMs: null, url: files.url("post.jpg"), read: async () => new Uint8Array() })),
  );
  // The sandbox enforces Instagram's per-account limits itself; the app-wide default pacing against
  // sandboxes (10 req/s) is meant for the marketplaces' per-app limits.
  setPacingRate("INSTAGRAM", 5_000);

  const tag = `bench-pub-${Date.now().toString(36)}`;
  const org = await db.organization.create({ data: { name: "Bench publishing", slug: tag } });
  const accounts = Math.ceil(N / PER_ACCOUNT);
  const connectionIds: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const externalAccountId = `17842${String(Date.now()).slice(-6)}${String(i).padStart(6, "0")}`;
    const token = sandbox.issueToken(externalAccountId);
    const c = await db.connection.create({
      data: { organizationId: org.id, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId, accountName: `@bench${i}`, accessTokenEnc: encrypt(token.accessToken), expiresAt: new Date(token.expiresAt) },
    });
    connectionIds.push(c.id);
  }
  const seedStarted = performance.now();
  const scheduledAt = new Date(Date.now() + 5_000);
  for (let start = 0; start < N; start += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, N - start) }, (_, k) => start + k);
    const contents = ids.map((i) => ({ id: `${tag}-${i}`, organizationId: org.id, title: `Post ${i}`, baseCaption: `${tag} post ${i}`, status: "APPROVED" as const }));
    await db.content.createMany({ data: contents });
    await db.contentVariant.createMany({ data: contents.map((c) => ({ organizationId: org.id, contentId: c.id, network: "INSTAGRAM" as const, caption: c.baseCaption, hashtags: [] })) });
    await db.media.createMany({
      data: contents.map((c) => ({ organizationId: org.id, contentId: c.id, storageKey: `${org.id}/${c.id}.jpg`, fileName: "p.jpg", mimeType: "image/jpeg", sizeBytes: 4096n, checksumSha256: "4".repeat(64), width: 1080, height: 1080, status: "READY" as const })),
    });
    await db.publication.createMany({ data: contents.map((c, k) => ({ organizationId: org.id, contentId: c.id, connectionId: connectionIds[(start + k) % accounts]!, scheduledAt })) });
  }
  const seedMs = performance.now() - seedStarted;

  const runner = await startLocalRunner({ functions: [publishPublication], cron: false, pollIntervalMs: 200, concurrency: CONCURRENCY });
  await runner.ready;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, scheduledAt.getTime() - Date.now())));
  const started = performance.now();
  const dispatch = await dispatchDue(db, new Date(), { organizationId: org.id });
  const dispatchMs = performance.now() - started;

  const deadline = Date.now() + TIMEOUT_MS;
  let published = 0;
  while (Date.now() < deadline) {
    published = await db.publication.count({ where: { organizationId: org.id, status: "PUBLISHED" } });
    const settled = await db.publication.count({ where: { organizationId: org.id, status: { in: ["PUBLISHED", "FAILED", "UNCONFIRMED", "CANCELED"] } } });
    if (settled === N) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const wallMs = performance.now() - started;
  await runner.stop();

  const rows = await db.publication.findMany({ where: { organizationId: org.id }, select: { status: true, scheduledAt: true, publishedAt: true, phaseData: true, failureCode: true } });
  const startLateness = rows
    .map((r) => (r.phaseData as { run?: { startedAt?: string } }).run?.startedAt)
    .filter((s): s is string => !!s)
    .map((s) => Date.parse(s) - scheduledAt.getTime());
  const publishLateness = rows.filter((r) => r.publishedAt).map((r) => r.publishedAt!.getTime() - scheduledAt.getTime());
  const posts = sandbox.posts().filter((p) => p.caption.startsWith(tag));
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const failures: Record<string, number> = {};
  for (const r of rows) if (r.failureCode) failures[r.failureCode] = (failures[r.failureCode] ?? 0) + 1;

  record("publishing", {
    settings: { publications: N, accounts, perAccount: PER_ACCOUNT, runnerConcurrency: CONCURRENCY, network: "INSTAGRAM (sandbox over HTTP)", imageProcessingMs: 200 },
    seedSeconds: Math.round(seedMs / 100) / 10,
    dispatch: { ...dispatch, seconds: Math.round(dispatchMs / 100) / 10 },
    wallSeconds: Math.round(wallMs / 100) / 10,
    startLatenessMs: summarize(startLateness),
    publishLatenessMs: summarize(publishLateness),
    published,
    statuses: byStatus,
    failureCodes: failures,
    duplicates: posts.filter((p) => p.publishCount > 1).length,
    networkPosts: posts.length,
    lost: N - published,
  });
  await served.close();
  await files.close();
});
