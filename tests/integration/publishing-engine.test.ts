/**
 * The publish state machine against the Instagram sandbox over real HTTP and a real PostgreSQL:
 * each test drives `publishStep` the way the publish function's steps do (sleeping until each
 * wait's time), so every path is checked without a queue in between. The sandbox's logical clock
 * moves for the quota window; backoff delays are 1 s (PUBLISH_RETRY_DELAYS_S).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.PUBLISH_RETRY_DELAYS_S = "1,1,1";
});

import { createInstagramSandbox, type InstagramSandbox } from "~/server/connectors/sandbox/instagram";
import { createInstagramConnector } from "~/server/connectors/social/instagram";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { PublishMedia } from "~/server/connectors/social/types";
import { encrypt } from "~/server/lib/secrets";
import { logger } from "~/server/lib/logger";
import { deleteAllCircuits } from "~/server/repositories/provider-circuits";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { dispatchDue } from "~/server/services/publishing/dispatch";
import { publishStep, type StepResult } from "~/server/services/publishing/engine";
import { contentChanged } from "~/server/services/publishing/hooks";
import { setPublishMediaOpener } from "~/server/services/publishing/media";
import * as publications from "~/server/services/publishing/publications";
import { configureCircuits, connectionScopeKey } from "~/server/services/resilience/circuit-breaker";
import { jpegBytes, servedMedia, type ServedMedia } from "../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { createOrgFixture, db, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let offset = 0;
const now = () => Date.now() + offset;

let sandbox: InstagramSandbox;
let served: ServedFetch;
let files: ServedMedia;
let restoreConnector: () => void;
let restoreMedia: () => void;
let fx: OrgFixture;
/** Media file each content publishes (by content id); default the good JPEG. */
const mediaOf = new Map<string, string>();
let accountSeq = 0;

beforeAll(async () => {
  sandbox = createInstagramSandbox({ clock: now, imageProcessingMs: 30, webhookUrl: null });
  served = await serveFetch(sandbox.handler);
  files = await servedMedia({ "good.jpg": await jpegBytes({ width: 1080, height: 1080 }), "broken.jpg": Buffer.from("not an image at all") });
  restoreConnector = setSocialConnector(
    createInstagramConnector({ graphUrl: served.url, apiUrl: served.url, authUrl: served.url, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, isSandbox: true, timeoutMs: 2_000, pollIntervalMs: 20 }),
  );
  restoreMedia = setPublishMediaOpener(async (_db, _org, rows) =>
    rows.map((row): PublishMedia => {
      const name = mediaOf.get(row.id) ?? "good.jpg";
      return { kind: "IMAGE", mimeType: "image/jpeg", sizeBytes: Number(row.sizeBytes), width: row.width, height: row.height, durationMs: null, url: files.url(name), read: async () => new Uint8Array() };
    }),
  );
  fx = await createOrgFixture("engine");
});

afterAll(async () => {
  restoreConnector?.();
  restoreMedia?.();
  await served?.close();
  await files?.close();
});

/** A connected Instagram account of the sandbox (a fresh account id each time: its own quota). */
async function account(options: { status?: "ACTIVE" | "NEEDS_RECONNECT" } = {}) {
  const externalAccountId = `1784150${Date.now().toString().slice(-6)}${String(accountSeq++).padStart(4, "0")}`;
  const token = sandbox.issueToken(externalAccountId, now());
  const c = await db.connection.create({
    data: {
      organizationId: fx.organizationId,
      provider: "INSTAGRAM",
      kind: "SOCIAL",
      externalAccountId,
      accountName: "@engine",
      accessTokenEnc: encrypt(token.accessToken),
      expiresAt: new Date(token.expiresAt),
      status: options.status ?? "ACTIVE",
    },
  });
  return c.id;
}

async function content(caption: string, file = "good.jpg") {
  const c = await db.content.create({ data: { organizationId: fx.organizationId, title: `Post ${caption}`, baseCaption: caption, status: "APPROVED", createdById: fx.users.OPERATOR.userId } });
  await db.contentVariant.create({ data: { organizationId: fx.organizationId, contentId: c.id, network: "INSTAGRAM", caption, hashtags: [] } });
  const m = await db.media.create({
    data: { organizationId: fx.organizationId, contentId: c.id, storageKey: `${fx.organizationId}/${c.id}.jpg`, fileName: "a.jpg", mimeType: "image/jpeg", sizeBytes: 4096n, checksumSha256: "2".repeat(64), width: 1080, height: 1080, status: "READY" },
  });
  mediaOf.set(m.id, file);
  return c.id;
}

/** Schedules a content now on an account and dispatches it; returns the planned event's input. */
async function planned(caption: string, options: { file?: string; connectionId?: string } = {}) {
  const contentId = await content(caption, options.file);
  const connectionId = options.connectionId ?? (await account());
  const [row] = await publications.schedule(tenantCtxOf(fx, "OPERATOR"), { contentId, targets: [{ connectionId, scheduledAt: new Date(now()) }] }, new Date(now()));
  return { ...(await dispatchOne(row!.id)), contentId, connectionId };
}

async function dispatchOne(publicationId: string) {
  const sent: { data: { publicationId: string; version: number } }[] = [];
  await dispatchDue(db, new Date(now()), { organizationId: fx.organizationId, send: async (events) => void sent.push(...(events as typeof sent)) });
  const event = sent.find((e) => e.data.publicationId === publicationId);
  expect(event, "dispatched").toBeDefined();
  return { publicationId, version: event!.data.version };
}

/** Runs steps as the publish function does; stops at the end, or at a wait longer than `maxWaitMs`. */
async function drive(input: { publicationId: string; version: number }, maxWaitMs = 5_000) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  ctx.log = logger;
  const results: StepResult[] = [];
  // Bounded by wall time, not by a step count: a circuit breaker's wait is in real time while this
  // file's clock may run ahead, so such a wait looks already due and is asked again until the real
  // reopen time — how many asks that takes depends on the machine's speed.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const result = await publishStep(ctx, input, new Date(now()));
    results.push(result);
    if (result.kind === "next") continue;
    if (result.kind === "wait") {
      const ms = Date.parse(result.until) - now();
      if (ms > maxWaitMs) return { results, last: result };
      await sleep(ms > 0 ? ms + 5 : 25);
      continue;
    }
    return { results, last: result };
  }
  throw new Error("the publication did not settle within 30 s");
}

const row = (id: string) => db.publication.findUniqueOrThrow({ where: { id } });
const postsWith = (caption: string) => sandbox.posts().filter((p) => p.caption === caption);

describe("publish runs against the Instagram sandbox", () => {
  it("publishes a due post once: PUBLISHED with the network's id and permalink, one attempt", async () => {
    const caption = `Olá mundo ${Date.now()}`;
    const input = await planned(caption);
    const { last } = await drive(input);
    expect(last).toEqual({ kind: "done", status: "PUBLISHED" });
    const p = await row(input.publicationId);
    expect(p).toMatchObject({ status: "PUBLISHED", attempts: 1, failureCode: null, lastError: null });
    const [post] = postsWith(caption);
    expect(post).toMatchObject({ publishCount: 1 });
    expect(p.externalId).toBe(post!.id);
    expect(p.permalink).toBe(post!.permalink);
    expect((p.phaseData as { run: { startedAt?: string } }).run.startedAt).toBeTruthy();
    // A duplicate run of the same event finds it settled and calls nothing.
    expect((await drive(input)).last).toEqual({ kind: "stop", reason: "settled" });
    expect(postsWith(caption)).toHaveLength(1);
  });

  it("an edit after dispatch was planned stops the old run; the re-planned run publishes the NEW caption", async () => {
    const caption = `Antes ${Date.now()}`;
    const input = await planned(caption);
    const edited = `Depois ${Date.now()}`;
    await db.contentVariant.updateMany({ where: { contentId: input.contentId }, data: { caption: edited } });
    await contentChanged(db, fx.organizationId, input.contentId);
    expect((await drive(input)).last).toEqual({ kind: "stop", reason: "superseded" });
    expect(await row(input.publicationId)).toMatchObject({ status: "SCHEDULED", version: input.version + 1 });
    const replanned = await dispatchOne(input.publicationId);
    expect(replanned.version).toBe(input.version + 1);
    expect((await drive(replanned)).last).toEqual({ kind: "done", status: "PUBLISHED" });
    expect(postsWith(caption)).toHaveLength(0);
    expect(postsWith(edited)).toHaveLength(1);
  });

  it("a cancel or a content deletion after planning publishes nothing", async () => {
    const caption = `Cancelado ${Date.now()}`;
    const input = await planned(caption);
    await publications.cancel(tenantCtxOf(fx, "OPERATOR"), { id: input.publicationId });
    expect((await drive(input)).last).toMatchObject({ kind: "stop" });
    expect((await row(input.publicationId)).status).toBe("CANCELED");

    const deletedCaption = `Excluído ${Date.now()}`;
    const other = await planned(deletedCaption);
    await db.content.update({ where: { id: other.contentId }, data: { deletedAt: new Date() } });
    expect((await drive(other)).last).toEqual({ kind: "stop", reason: "content_deleted" });
    expect((await row(other.publicationId)).status).toBe("CANCELED");
    expect(postsWith(caption)).toHaveLength(0);
    expect(postsWith(deletedCaption)).toHaveLength(0);
  });

  it("a container in ERROR fails the post with the network's reason and notifies its creator", async () => {
    const caption = `Imagem quebrada ${Date.now()}`;
    const input = await planned(caption, { file: "broken.jpg" });
    expect((await drive(input)).last).toEqual({ kind: "done", status: "FAILED" });
    const p = await row(input.publicationId);
    expect(p.status).toBe("FAILED");
    expect(p.failureCode).toBe("container_error");
    expect(p.lastError).toMatch(/\w+ \w+/);
    const notes = await db.notification.findMany({ where: { organizationId: fx.organizationId, kind: "publication.failed", params: { path: ["publicationId"], equals: p.id } } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ userId: fx.users.OPERATOR.userId, link: "/social/publications?tab=failed" });
    expect(postsWith(caption)).toHaveLength(0);
  });

  it("quota exhausted: the post waits (not dropped) and publishes once the 24 h window frees a slot", async () => {
    sandbox.configure({ publishLimit: 1 });
    try {
      const connectionId = await account();
      const first = await planned(`Primeiro ${Date.now()}`, { connectionId });
      expect((await drive(first)).last).toEqual({ kind: "done", status: "PUBLISHED" });
      const caption = `Segundo ${Date.now()}`;
      const second = await planned(caption, { connectionId });
      const { last } = await drive(second);
      expect(last).toMatchObject({ kind: "wait", why: "quota" });
      const waiting = await row(second.publicationId);
      expect(waiting).toMatchObject({ status: "DISPATCHED", failureCode: "quota_wait" });
      expect(waiting.lastError).toContain("cota do Instagram");
      const freeAt = waiting.nextAttemptAt!.getTime();
      expect(freeAt).toBeGreaterThan(now() + 23 * 3_600_000);
      // Before the window ends another step only sleeps again; after it, the post goes out.
      expect((await publishStep(jobTenantCtx(db, { organizationId: fx.organizationId }), second, new Date(now()))).kind).toBe("wait");
      offset += freeAt - Date.now() + 60_000;
      expect((await drive(second)).last).toEqual({ kind: "done", status: "PUBLISHED" });
      expect(postsWith(caption)).toHaveLength(1);
    } finally {
      sandbox.configure({ publishLimit: 50 });
    }
  });

  it("transient 5xx twice then success: published once, attempts 3", async () => {
    const caption = `Instável ${Date.now()}`;
    const input = await planned(caption);
    sandbox.setFaults({ serverErrors: 2 });
    const { last, results } = await drive(input);
    expect(last).toEqual({ kind: "done", status: "PUBLISHED" });
    expect(results.filter((r) => r.kind === "wait" && r.why === "retry")).toHaveLength(2);
    expect(await row(input.publicationId)).toMatchObject({ status: "PUBLISHED", attempts: 3 });
    expect(postsWith(caption)).toHaveLength(1);
  });

  it("transient errors beyond the last backoff fail the post with retries_exhausted and the last reason", async () => {
    const caption = `Fora do ar ${Date.now()}`;
    const input = await planned(caption);
    sandbox.setFaults({ serverErrors: 10 });
    try {
      expect((await drive(input)).last).toEqual({ kind: "done", status: "FAILED" });
    } finally {
      sandbox.setFaults({});
    }
    const p = await row(input.publicationId);
    expect(p).toMatchObject({ status: "FAILED", failureCode: "retries_exhausted", attempts: 4 });
    expect(p.lastError).toContain("Último erro");
  });

  it("outcome unknown on media_publish: UNCONFIRMED at once, then confirmed PUBLISHED — published exactly once", async () => {
    const caption = `Incerto ${Date.now()}`;
    const input = await planned(caption);
    sandbox.setFaults({ publish: { mode: "drop" } });
    const { results, last } = await drive(input);
    expect(results.some((r) => r.kind === "wait" && r.why === "confirm")).toBe(true);
    expect(last).toEqual({ kind: "done", status: "PUBLISHED" });
    const [post] = postsWith(caption);
    expect(post).toMatchObject({ publishCount: 1 });
    expect(await row(input.publicationId)).toMatchObject({ status: "PUBLISHED", externalId: post!.id });
  });

  it("an unknown outcome that cannot be confirmed stays UNCONFIRMED, asks a person, and is never re-sent", async () => {
    const caption = `Sem resposta ${Date.now()}`;
    const input = await planned(caption);
    // Publish, then lose the answer; then the network fails every call while we try to confirm.
    const statusAfterDrop: string[] = [];
    sandbox.setFaults({ publish: { mode: "drop" } });
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    let result: StepResult;
    do {
      result = await publishStep(ctx, input, new Date(now()));
      if (result.kind === "wait" && result.why === "processing") await sleep(Date.parse(result.until) - now() + 5);
    } while (result.kind === "next" || (result.kind === "wait" && result.why === "processing"));
    expect(result).toMatchObject({ kind: "wait", why: "confirm" });
    statusAfterDrop.push((await row(input.publicationId)).status);
    sandbox.setFaults({ serverErrors: 1000 });
    try {
      const { last } = await drive(input);
      expect(last).toEqual({ kind: "done", status: "UNCONFIRMED" });
    } finally {
      sandbox.setFaults({});
    }
    expect(statusAfterDrop).toEqual(["UNCONFIRMED"]);
    const p = await row(input.publicationId);
    expect(p).toMatchObject({ status: "UNCONFIRMED", failureCode: "unconfirmed_needs_check", nextAttemptAt: null });
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "publication.unconfirmed", params: { path: ["publicationId"], equals: p.id } } })).toBe(1);
    expect(postsWith(caption).map((x) => x.publishCount)).toEqual([1]);
    // A later run (a duplicate event) only asks the network again — and now learns the post is live.
    expect((await drive(input)).last).toEqual({ kind: "done", status: "PUBLISHED" });
    expect(postsWith(caption).map((x) => x.publishCount)).toEqual([1]);
    expect((await row(input.publicationId)).externalId).toBe(postsWith(caption)[0]!.id);
  });

  it("an account that must be reconnected fails the post with 'Reconecte a conta' and a notification", async () => {
    const connectionId = await account();
    const input = await planned(`Sem acesso ${Date.now()}`, { connectionId });
    await db.connection.update({ where: { id: connectionId }, data: { status: "NEEDS_RECONNECT" } });
    expect((await drive(input)).last).toEqual({ kind: "done", status: "FAILED" });
    const p = await row(input.publicationId);
    expect(p.failureCode).toBe("needs_reconnect");
    expect(p.lastError).toContain("Reconecte a conta");
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "publication.failed", params: { path: ["publicationId"], equals: p.id } } })).toBe(1);
  });

  it("a content no longer approved when its time comes fails with a readable reason, without calling the network", async () => {
    const caption = `Reprovado ${Date.now()}`;
    const input = await planned(caption);
    await db.organization.update({ where: { id: fx.organizationId }, data: { settings: { approvalRequired: true } } });
    await db.content.update({ where: { id: input.contentId }, data: { status: "IN_REVIEW" } });
    try {
      expect((await drive(input)).last).toEqual({ kind: "done", status: "FAILED" });
    } finally {
      await db.organization.update({ where: { id: fx.organizationId }, data: { settings: {} } });
    }
    expect(await row(input.publicationId)).toMatchObject({ failureCode: "content_not_approved" });
    expect(postsWith(caption)).toHaveLength(0);
  });
});

describe("circuit breaker (docs/resilience.md)", () => {
  it("an open breaker makes the post wait for the reopen time without spending a retry, then the probe publishes it once", async () => {
    const restore = configureCircuits({ failureThreshold: 2, providerFailureThreshold: 1000, openMs: 1500, maxOpenMs: 1500 });
    try {
      const caption = `Disjuntor ${Date.now()}`;
      const input = await planned(caption);
      // Two failures in a row: the first is a retry (1 s backoff), the second opens the breaker.
      sandbox.setFaults({ serverErrors: 2 });
      const { last, results } = await drive(input);
      expect(last).toEqual({ kind: "done", status: "PUBLISHED" });
      // The breaker keeps real time while this file's clock may run ahead (the quota test), so
      // the drive can ask again before the reopen time: every such step waits for the same instant.
      const waits = new Set(results.flatMap((r) => (r.kind === "wait" && r.why === "retry" ? [r.until] : [])));
      expect(waits.size).toBe(2);
      // Same outcome as "transient 5xx twice then success" (attempts 3) — minus the attempt the
      // breaker's wait did not spend.
      expect(await row(input.publicationId)).toMatchObject({ status: "PUBLISHED", attempts: 2 });
      expect(postsWith(caption).map((p) => p.publishCount)).toEqual([1]);
      expect(await db.providerCircuit.findUnique({ where: { scopeKey: connectionScopeKey(input.connectionId) } })).toMatchObject({ state: "CLOSED", failures: 0 });
    } finally {
      sandbox.setFaults({});
      restore();
      await deleteAllCircuits(db);
    }
  });
});
