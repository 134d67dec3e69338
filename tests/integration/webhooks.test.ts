/**
 * Outbound webhooks against a real PostgreSQL and a real HTTP receiver (serveFetch): endpoints
 * through the router, deliveries written by emitWebhookEvent and by the real business code paths
 * (score recompute, action apply, publishing against the Instagram sandbox, comment intake, token
 * refresh), sent by the same function the background jobs call, with time advanced by passing a
 * later `now` to the claim.
 */
import { createHmac } from "node:crypto";

import { Ajv2020 } from "ajv/dist/2020";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createInstagramSandbox, type InstagramSandbox } from "~/server/connectors/sandbox/instagram";
import { createInstagramConnector } from "~/server/connectors/social/instagram";
import { setSocialConnector } from "~/server/connectors/social/registry";
import type { PublishMedia } from "~/server/connectors/social/types";
import { getOpenApiDocument } from "~/server/api/openapi/document";
import { INNGEST_APP_ID } from "~/server/jobs/client";
import { webhookFunctions } from "~/server/jobs/functions/webhooks";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { encrypt } from "~/server/lib/secrets";
import { logger } from "~/server/lib/logger";
import { applyAction, failAfterRetries } from "~/server/services/actions/apply";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { refreshConnectionToken } from "~/server/services/connectors/tokens";
import { deliverDue, pruneDeliveries } from "~/server/services/developer/webhooks/deliver";
import { emitWebhookEvent } from "~/server/services/developer/webhooks/emit";
import { SUBSCRIBABLE_EVENTS } from "~/server/services/developer/webhooks/events";
import { storeComments } from "~/server/services/engagement/inbound";
import { startSync, syncNextPage } from "~/server/services/listings/sync";
import { dispatchDue } from "~/server/services/publishing/dispatch";
import { publishStep } from "~/server/services/publishing/engine";
import { setPublishMediaOpener } from "~/server/services/publishing/media";
import * as publications from "~/server/services/publishing/publications";
import { insertAction } from "~/server/repositories/actions";
import { recomputeScores } from "~/server/services/scores/recompute";
import { jpegBytes, servedMedia, type ServedMedia } from "../helpers/media-fixtures";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, db, type OrgFixture, tenantCtxOf } from "./helpers/fixtures";
import { connectSandboxSeller, serveMercadoLivreSandbox, type ServedSandbox } from "./helpers/mercadolivre-sandbox";

type Received = { path: string; headers: Record<string, string>; body: string };
const received: Received[] = [];
/** Status answers per receiver path, consumed in order; the last one repeats. */
const script = new Map<string, number[]>();
let receiver: ServedFetch;
let fx: OrgFixture;
let other: OrgFixture;

const DELAYS_S = [60, 300, 1800, 7200, 21600, 43200, 86400];
const HOUR = 3_600_000;

async function outcome<T>(promise: Promise<T>) {
  try {
    return { code: "OK", value: await promise };
  } catch (error) {
    return { code: (error as { code?: string }).code ?? "THREW", reason: (error as { cause?: { reason?: string } }).cause?.reason, error };
  }
}

const receivedAt = (path: string) => received.filter((r) => r.path === path);
const deliveriesOf = (endpointId: string) => db.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });

async function createEndpoint(path: string, events: string[] = ["action.applied"], as: OrgFixture = fx) {
  const manager = await callerFor(as.users.MANAGER.userId);
  return manager.webhooks.create({ url: `${receiver.url}${path}`, description: `receiver ${path}`, events: events as never });
}

/** Sends what is due for the organization at `now` (what the cron and the event function do). */
const deliver = (now = new Date(), organizationId = fx.organizationId) => deliverDue(db, { organizationId, now });

beforeAll(async () => {
  receiver = await serveFetch(async (request) => {
    const path = new URL(request.url).pathname;
    received.push({ path, headers: Object.fromEntries(request.headers.entries()), body: await request.text() });
    const answers = script.get(path) ?? [200];
    const status = answers.length > 1 ? answers.shift()! : answers[0]!;
    return new Response(status >= 400 ? "receiver says no" : "ok", { status });
  });
  fx = await createOrgFixture("webhooks");
  other = await createOrgFixture("outra");
});

afterAll(async () => {
  await receiver?.close();
});

describe("endpoints", () => {
  it("creates an endpoint: the secret is returned once, stored encrypted, and lists show only its hint", async () => {
    const { endpoint, secret } = await createEndpoint("/created", ["action.applied", "action.failed"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(endpoint).toMatchObject({ state: "active", enabled: true, events: ["action.applied", "action.failed"], secretHint: `${secret.slice(0, 10)}…` });
    const row = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row.secretEnc).not.toContain(secret);
    const manager = await callerFor(fx.users.MANAGER.userId);
    expect(JSON.stringify(await manager.webhooks.list())).not.toContain(secret);
    const audit = await db.auditLog.findFirst({ where: { organizationId: fx.organizationId, action: "webhook.endpointCreated", targetId: endpoint.id } });
    expect(audit?.actorUserId).toBe(fx.users.MANAGER.userId);
    expect(JSON.stringify(audit?.metadata)).not.toContain(secret);
  });

  it("refuses a non-http URL and an empty event list", async () => {
    const manager = await callerFor(fx.users.MANAGER.userId);
    expect((await outcome(manager.webhooks.create({ url: "ftp://example.com/x", events: ["action.applied"] }))).code).toBe("BAD_REQUEST");
    expect((await outcome(manager.webhooks.create({ url: "https://example.com/x", events: [] }))).code).toBe("BAD_REQUEST");
  });

  it("allows at most 10 endpoints per organization (CONFLICT webhookEndpointLimit)", async () => {
    const own = await createOrgFixture("limite");
    for (let i = 0; i < 10; i++) await createEndpoint(`/limit-${i}`, ["action.applied"], own);
    const eleventh = await outcome(createEndpoint("/limit-10", ["action.applied"], own));
    expect(eleventh).toMatchObject({ code: "CONFLICT", reason: "webhookEndpointLimit" });
    // A deleted endpoint frees its place.
    const manager = await callerFor(own.users.MANAGER.userId);
    const [first] = await manager.webhooks.list();
    await manager.webhooks.delete({ id: first!.id });
    expect((await outcome(createEndpoint("/limit-11", ["action.applied"], own))).code).toBe("OK");
  });

  it("rotates the secret (the new one signs from then on) and updates url, events and description", async () => {
    const { endpoint, secret } = await createEndpoint("/rotate", ["action.applied"]);
    const manager = await callerFor(fx.users.MANAGER.userId);
    const rotated = await manager.webhooks.rotateSecret({ id: endpoint.id });
    expect(rotated.secret).not.toBe(secret);
    const updated = await manager.webhooks.update({ id: endpoint.id, url: `${receiver.url}/rotated`, events: ["action.failed"], description: "ERP" });
    expect(updated).toMatchObject({ url: `${receiver.url}/rotated`, events: ["action.failed"], description: "ERP" });
    await emitWebhookEvent(db, fx.organizationId, "action.failed", { actionId: "act_1", listingId: null, type: "ADJUST_PRICE", code: "x", reason: "y", failedAt: new Date().toISOString() });
    await deliver();
    const [request] = receivedAt("/rotated");
    expect(request).toBeDefined();
    const ts = request!.headers["x-superseller-timestamp"]!;
    expect(request!.headers["x-superseller-signature"]).toBe(`v1=${createHmac("sha256", rotated.secret).update(`${ts}.${request!.body}`).digest("hex")}`);
  });
});

describe("delivery", () => {
  // A fresh organization per block: each creates several endpoints, and the limit is 10.
  beforeAll(async () => {
    fx = await createOrgFixture("entregas");
  });

  it("emits one delivery per subscribed endpoint (same event id) and sends it signed, with the documented headers and body", async () => {
    const subscribed = await createEndpoint("/signed", ["listing.score_changed"]);
    const second = await createEndpoint("/signed-2", ["listing.score_changed", "action.applied"]);
    const unsubscribed = await createEndpoint("/not-subscribed", ["action.applied"]);
    const before = received.length;
    const payload = { listingId: fx.listingId, previousScore: 40, score: 55, computedAt: new Date().toISOString() };
    const eventId = await emitWebhookEvent(db, fx.organizationId, "listing.score_changed", payload);
    expect(eventId).toMatch(/^evt_/);
    const rows = [...(await deliveriesOf(subscribed.endpoint.id)), ...(await deliveriesOf(second.endpoint.id))];
    expect(rows.map((r) => [r.eventId, r.status])).toEqual([[eventId, "PENDING"], [eventId, "PENDING"]]);
    expect(await deliveriesOf(unsubscribed.endpoint.id)).toEqual([]);

    await deliver();
    const [request] = receivedAt("/signed").filter((_, i) => i >= 0);
    expect(received.length - before).toBe(2);
    const h = request!.headers;
    expect(h["content-type"]).toBe("application/json");
    expect(h["user-agent"]).toBe("SuperSeller-Webhooks/1");
    expect(h["x-superseller-event"]).toBe("listing.score_changed");
    expect(h["x-superseller-event-id"]).toBe(eventId);
    expect(h["x-superseller-delivery"]).toBe(rows[0]!.id);
    expect(Math.abs(Number(h["x-superseller-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    const expected = createHmac("sha256", subscribed.secret).update(`${h["x-superseller-timestamp"]}.${request!.body}`).digest("hex");
    expect(h["x-superseller-signature"]).toBe(`v1=${expected}`);
    // Signed with this endpoint's secret, not another's.
    expect(h["x-superseller-signature"]).not.toBe(`v1=${createHmac("sha256", second.secret).update(`${h["x-superseller-timestamp"]}.${request!.body}`).digest("hex")}`);
    const body = JSON.parse(request!.body) as Record<string, unknown>;
    expect(body).toEqual({ id: eventId, type: "listing.score_changed", createdAt: expect.any(String), organizationId: fx.organizationId, data: payload });

    const sent = await db.webhookDelivery.findUniqueOrThrow({ where: { id: rows[0]!.id } });
    expect(sent).toMatchObject({ status: "SUCCEEDED", attempts: 1, responseCode: 200, lastError: null, nextAttemptAt: null });
    expect(sent.latencyMs).toBeGreaterThanOrEqual(0);
    expect(sent.deliveredAt).toBeInstanceOf(Date);
    // Nothing is sent twice.
    expect((await deliver()).claimed).toBe(0);
  });

  it("retries a failing receiver with backoff and records codes, latency and attempts; a success ends the failing streak", async () => {
    script.set("/flaky", [503, 500, 200]);
    const { endpoint } = await createEndpoint("/flaky", ["action.applied"]);
    await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_flaky", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });
    const t0 = new Date();
    await deliver(t0);
    let [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, responseCode: 503 });
    expect(row!.lastError).toContain("HTTP 503");
    expect(row!.latencyMs).toBeGreaterThanOrEqual(0);
    const first = row!.nextAttemptAt!.getTime() - t0.getTime();
    expect(first).toBeGreaterThanOrEqual(60_000);
    expect(first).toBeLessThanOrEqual(66_000);
    const failing = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(failing.failingSince?.getTime()).toBe(t0.getTime());
    const manager = await callerFor(fx.users.MANAGER.userId);
    expect((await manager.webhooks.get({ id: endpoint.id })).state).toBe("failing");

    // Not due yet: nothing is claimed.
    expect((await deliverDue(db, { organizationId: fx.organizationId, now: new Date(t0.getTime() + 30_000), deliveryIds: [row!.id] })).claimed).toBe(0);
    const t1 = new Date(t0.getTime() + 67_000);
    await deliver(t1);
    [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "PENDING", attempts: 2, responseCode: 500 });
    const second = row!.nextAttemptAt!.getTime() - t1.getTime();
    expect(second).toBeGreaterThanOrEqual(300_000);
    expect(second).toBeLessThanOrEqual(330_000);
    // The streak started at the first failure and stays there.
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince?.getTime()).toBe(t0.getTime());

    await deliver(new Date(t1.getTime() + 331_000));
    [row] = await deliveriesOf(endpoint.id);
    expect(row).toMatchObject({ status: "SUCCEEDED", attempts: 3, responseCode: 200, lastError: null, nextAttemptAt: null });
    expect(receivedAt("/flaky")).toHaveLength(3);
    // Retries carry the same event id and the same body.
    expect(new Set(receivedAt("/flaky").map((r) => r.headers["x-superseller-event-id"])).size).toBe(1);
    expect(new Set(receivedAt("/flaky").map((r) => r.body)).size).toBe(1);
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).toBeNull();
  });

  it("gives up after the last delay: FAILED with the last error, and can be replayed as a new delivery with the same event id", async () => {
    script.set("/down", [500]);
    const { endpoint } = await createEndpoint("/down", ["action.applied"]);
    const eventId = await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_down", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });
    let now = Date.now();
    for (let attempt = 1; attempt <= DELAYS_S.length + 1; attempt++) {
      await deliver(new Date(now));
      const [row] = await deliveriesOf(endpoint.id);
      expect(row!.attempts).toBe(attempt);
      if (attempt <= DELAYS_S.length) {
        expect(row!.status).toBe("PENDING");
        now = row!.nextAttemptAt!.getTime() + 1;
      } else {
        expect(row).toMatchObject({ status: "FAILED", nextAttemptAt: null, responseCode: 500 });
      }
    }
    expect(receivedAt("/down")).toHaveLength(8);
    // 44.6 hours of retries stay under the 72-hour threshold: the endpoint is failing, not disabled.
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).enabled).toBe(true);

    script.set("/down", [200]);
    const [failed] = await deliveriesOf(endpoint.id);
    const manager = await callerFor(fx.users.MANAGER.userId);
    const { deliveryId } = await manager.webhooks.replay({ deliveryId: failed!.id });
    expect(deliveryId).not.toBe(failed!.id);
    await deliverDue(db, { deliveryIds: [deliveryId] });
    const replay = await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(replay).toMatchObject({ eventId, replayOfId: failed!.id, status: "SUCCEEDED", attempts: 1, responseCode: 200 });
    const last = receivedAt("/down").at(-1)!;
    expect(last.headers["x-superseller-event-id"]).toBe(eventId);
    expect(last.headers["x-superseller-delivery"]).toBe(deliveryId);
    expect(last.body).toBe(receivedAt("/down")[0]!.body);
    // The log shows both, newest first, and filters by status.
    const log = await manager.webhooks.deliveries({ endpointId: endpoint.id, limit: 10 });
    expect(log.items.map((d) => d.id)).toEqual([deliveryId, failed!.id]);
    const onlyFailed = await manager.webhooks.deliveries({ endpointId: endpoint.id, limit: 10, status: "FAILED" });
    expect(onlyFailed.items.map((d) => d.id)).toEqual([failed!.id]);
    const page = await manager.webhooks.deliveries({ endpointId: endpoint.id, limit: 1 });
    expect(page.nextCursor).toBe(deliveryId);
    expect((await manager.webhooks.deliveries({ endpointId: endpoint.id, limit: 1, cursor: page.nextCursor! })).items.map((d) => d.id)).toEqual([failed!.id]);
  });

  it("disables an endpoint failing for longer than the threshold: pending deliveries stop, owners and managers are told, nothing more is sent", async () => {
    script.set("/dead", [502]);
    const { endpoint } = await createEndpoint("/dead", ["action.applied"]);
    const now = new Date();
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince: new Date(now.getTime() - 73 * HOUR) } });
    await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_dead_1", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: now.toISOString() }, now);
    // A second delivery not yet due: it must be stopped too.
    await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_dead_2", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: now.toISOString() }, new Date(now.getTime() + 3_600_000));
    const result = await deliverDue(db, { organizationId: fx.organizationId, now });
    expect(result.results.find((r) => r.endpointDisabled)).toBeDefined();

    const disabled = await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled).toMatchObject({ enabled: false, disabledReason: "failing" });
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((r) => r.status)).toEqual(["FAILED", "FAILED"]);
    const notes = await db.notification.findMany({ where: { organizationId: fx.organizationId, kind: "webhooks.endpointDisabled", params: { path: ["endpointId"], equals: endpoint.id } } });
    expect(notes.map((n) => n.userId).sort()).toEqual([fx.users.OWNER.userId, fx.users.MANAGER.userId].sort());
    expect(notes[0]!.link).toBe(`/settings/webhooks/${endpoint.id}`);
    expect(await db.auditLog.count({ where: { organizationId: fx.organizationId, action: "webhook.endpointDisabled", targetId: endpoint.id } })).toBe(1);

    const sent = receivedAt("/dead").length;
    expect(sent).toBe(1);
    await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_dead_3", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: now.toISOString() });
    await deliver(new Date(now.getTime() + 10 * 86_400_000));
    expect(receivedAt("/dead")).toHaveLength(sent);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(2);
    const manager = await callerFor(fx.users.MANAGER.userId);
    expect((await manager.webhooks.get({ id: endpoint.id })).state).toBe("disabled");
    // Test events and replays wait for it to be enabled again…
    expect(await outcome(manager.webhooks.sendTest({ id: endpoint.id }))).toMatchObject({ code: "CONFLICT", reason: "webhookEndpointDisabled" });
    // …which clears the streak and the reason.
    const enabled = await manager.webhooks.update({ id: endpoint.id, enabled: true });
    expect(enabled).toMatchObject({ enabled: true, state: "active", failingSince: null, disabledAt: null, disabledReason: null });
  });

  it("sends a test event to one endpoint on request", async () => {
    const { endpoint } = await createEndpoint("/test-event", ["comment.received"]);
    const manager = await callerFor(fx.users.MANAGER.userId);
    const { deliveryId } = await manager.webhooks.sendTest({ id: endpoint.id });
    await deliverDue(db, { deliveryIds: [deliveryId] });
    const [request] = receivedAt("/test-event");
    expect(request!.headers["x-superseller-event"]).toBe("webhook.test");
    expect(JSON.parse(request!.body)).toMatchObject({ type: "webhook.test", organizationId: fx.organizationId, data: { endpointId: endpoint.id } });
    expect(await db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({ status: "SUCCEEDED", event: "webhook.test" });
  });

  it("deleting an endpoint stops its pending deliveries and hides it", async () => {
    script.set("/deleted", [500]);
    const { endpoint } = await createEndpoint("/deleted", ["action.applied"]);
    await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_del", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });
    const manager = await callerFor(fx.users.MANAGER.userId);
    await manager.webhooks.delete({ id: endpoint.id });
    expect((await manager.webhooks.list()).map((e) => e.id)).not.toContain(endpoint.id);
    expect((await deliveriesOf(endpoint.id)).map((d) => d.status)).toEqual(["FAILED"]);
    await deliver();
    expect(receivedAt("/deleted")).toHaveLength(0);
    expect((await outcome(manager.webhooks.get({ id: endpoint.id }))).code).toBe("NOT_FOUND");
  });
});

describe("tenancy", () => {
  beforeAll(async () => {
    fx = await createOrgFixture("inquilino");
  });

  it("another organization's endpoint and delivery ids are NOT_FOUND, and its events reach only its own endpoints", async () => {
    const { endpoint } = await createEndpoint("/tenant-a", ["action.applied"]);
    await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_t", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });
    const [delivery] = await deliveriesOf(endpoint.id);
    const stranger = await callerFor(other.users.OWNER.userId);
    const calls: (() => Promise<unknown>)[] = [
      () => stranger.webhooks.get({ id: endpoint.id }),
      () => stranger.webhooks.update({ id: endpoint.id, description: "x" }),
      () => stranger.webhooks.rotateSecret({ id: endpoint.id }),
      () => stranger.webhooks.delete({ id: endpoint.id }),
      () => stranger.webhooks.sendTest({ id: endpoint.id }),
      () => stranger.webhooks.deliveries({ endpointId: endpoint.id, limit: 10 }),
      () => stranger.webhooks.replay({ deliveryId: delivery!.id }),
    ];
    for (const call of calls) {
      expect((await outcome(call())).code).toBe("NOT_FOUND");
    }
    expect(await stranger.webhooks.list()).toEqual([]);
    // The other organization's own endpoint gets none of these events.
    const theirs = await createEndpoint("/tenant-b", ["action.applied"], other);
    await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_t2", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });
    expect(await deliveriesOf(theirs.endpoint.id)).toEqual([]);
    // A viewer of the organization cannot manage webhooks.
    const viewer = await callerFor(fx.users.VIEWER.userId);
    expect((await outcome(viewer.webhooks.list())).code).toBe("FORBIDDEN");
  });
});

describe("events from the real code paths", () => {
  let all: { endpoint: { id: string } };
  let ml: ServedSandbox;
  let instagram: InstagramSandbox;
  let igServed: ServedFetch;
  let restoreSocial: () => void;
  let restoreMedia: () => void;
  let files: ServedMedia;

  const eventsOf = async (event: string) =>
    (await db.webhookDelivery.findMany({ where: { endpointId: all.endpoint.id, event }, orderBy: { createdAt: "asc" } })).map((d) => (d.payload as { data: Record<string, unknown> }).data);

  beforeAll(async () => {
    fx = await createOrgFixture("caminhos");
    all = await createEndpoint("/all-events", [...SUBSCRIBABLE_EVENTS]);
    ml = await serveMercadoLivreSandbox({ catalogSize: 8, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "webhooks-test" });
    instagram = createInstagramSandbox({ imageProcessingMs: 10, webhookUrl: null });
    igServed = await serveFetch(instagram.handler);
    files = await servedMedia({ "good.jpg": await jpegBytes({ width: 1080, height: 1080 }) });
    restoreSocial = setSocialConnector(
      createInstagramConnector({ graphUrl: igServed.url, apiUrl: igServed.url, authUrl: igServed.url, clientId: instagram.clientId, clientSecret: instagram.clientSecret, isSandbox: true, timeoutMs: 2_000, pollIntervalMs: 10 }),
    );
    restoreMedia = setPublishMediaOpener(async (_db, _org, rows) =>
      rows.map((row): PublishMedia => ({ kind: "IMAGE", mimeType: "image/jpeg", sizeBytes: Number(row.sizeBytes), width: row.width, height: row.height, durationMs: null, url: files.url("good.jpg"), read: async () => new Uint8Array() })),
    );
  }, 60_000);

  afterAll(async () => {
    restoreSocial?.();
    restoreMedia?.();
    await ml?.close();
    await igServed?.close();
    await files?.close();
  });

  it("listing.score_changed: a recompute that moves a known score emits it (a first score does not)", async () => {
    const listing = await db.listing.create({
      data: { organizationId: fx.organizationId, connectionId: fx.connectionId, provider: "MERCADOLIVRE", externalId: `MLB9${Date.now()}`, title: "Fone", priceCents: 5000 },
    });
    await recomputeScores(db, fx.organizationId, { listingIds: [listing.id] });
    expect((await eventsOf("listing.score_changed")).filter((d) => d.listingId === listing.id)).toEqual([]);
    const scored = await db.listing.findUniqueOrThrow({ where: { id: listing.id } });
    const previous = scored.healthScore === 3 ? 4 : 3;
    await db.listing.update({ where: { id: listing.id }, data: { healthScore: previous } });
    await recomputeScores(db, fx.organizationId, { listingIds: [listing.id] });
    expect((await eventsOf("listing.score_changed")).filter((d) => d.listingId === listing.id)).toEqual([
      { listingId: listing.id, previousScore: previous, score: scored.healthScore, computedAt: expect.any(String) },
    ]);
  });

  it("action.applied and action.failed: from the apply path (Mercado Livre sandbox) and after the retries", async () => {
    const connection = await connectSandboxSeller(tenantCtxOf(fx), 310_000_077);
    const job = jobTenantCtx(db, { organizationId: fx.organizationId });
    const { generation } = await startSync(job, { connectionId: connection.id, mode: "full" });
    for (let i = 0; i < 10 && !(await syncNextPage(job, { connectionId: connection.id, generation })).done; i++);
    const listing = await db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, connectionId: connection.id, status: "ACTIVE", soldQuantity: 0, hasVariations: false, catalogListing: false } });
    const payload = { title: "Fone Bluetooth Sem Fio Preto Com Estojo", previousTitle: listing.title, maxLength: 60, generator: "local", notes: [] };
    const { id } = await insertAction(db, fx.organizationId, { listingId: listing.id, type: "REWRITE_TITLE", payload, reason: "title_too_short", expectedGain: 5 });
    await (await callerFor(fx.users.OPERATOR.userId)).actions.approve({ id });
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId, userId: fx.users.OPERATOR.userId });
    expect(await applyAction(ctx, { actionId: id })).toMatchObject({ status: "APPLIED" });
    expect(await eventsOf("action.applied")).toContainEqual({ actionId: id, listingId: listing.id, type: "REWRITE_TITLE", appliedAt: expect.any(String) });

    // Refused by the apply path: the listing is gone.
    const gone = await insertAction(db, fx.organizationId, { listingId: listing.id, type: "REWRITE_TITLE", payload: { ...payload, title: "Outro Título Para O Fone Bluetooth Preto" }, reason: "title_too_short", expectedGain: 5 });
    await (await callerFor(fx.users.OPERATOR.userId)).actions.approve({ id: gone.id });
    await db.listing.update({ where: { id: listing.id }, data: { deletedAt: new Date() } });
    expect(await applyAction(ctx, { actionId: gone.id })).toMatchObject({ status: "FAILED", code: "listing.missing" });
    // After its retries ran out.
    await db.action.update({ where: { id: fx.failedActionId }, data: { status: "APPROVED" } });
    expect(await failAfterRetries(ctx, { actionId: fx.failedActionId, error: "503" })).toMatchObject({ status: "FAILED" });
    const failed = await eventsOf("action.failed");
    expect(failed).toContainEqual(expect.objectContaining({ actionId: gone.id, listingId: listing.id, code: "listing.missing" }));
    expect(failed).toContainEqual(expect.objectContaining({ actionId: fx.failedActionId, listingId: fx.listingId, code: "retries_exhausted" }));
  }, 60_000);

  async function igAccount() {
    const externalAccountId = `1784150${Date.now().toString().slice(-6)}${Math.floor(Math.random() * 1e4)}`;
    const token = instagram.issueToken(externalAccountId, Date.now());
    const c = await db.connection.create({
      data: { organizationId: fx.organizationId, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId, accountName: "@hooks", accessTokenEnc: encrypt(token.accessToken), expiresAt: new Date(token.expiresAt) },
    });
    return c.id;
  }

  async function publish(caption: string, connectionId: string, options: { reconnectFirst?: boolean } = {}) {
    const c = await db.content.create({ data: { organizationId: fx.organizationId, title: `Post ${caption}`, baseCaption: caption, status: "APPROVED", createdById: fx.users.OPERATOR.userId } });
    await db.contentVariant.create({ data: { organizationId: fx.organizationId, contentId: c.id, network: "INSTAGRAM", caption, hashtags: [] } });
    await db.media.create({
      data: { organizationId: fx.organizationId, contentId: c.id, storageKey: `${fx.organizationId}/${c.id}.jpg`, fileName: "a.jpg", mimeType: "image/jpeg", sizeBytes: 4096n, checksumSha256: "2".repeat(64), width: 1080, height: 1080, status: "READY" },
    });
    const [row] = await publications.schedule(tenantCtxOf(fx, "OPERATOR"), { contentId: c.id, targets: [{ connectionId, scheduledAt: new Date() }] }, new Date());
    const sent: { data: { publicationId: string; version: number } }[] = [];
    await dispatchDue(db, new Date(), { organizationId: fx.organizationId, send: async (events) => void sent.push(...(events as typeof sent)) });
    const input = sent.find((e) => e.data.publicationId === row!.id)!.data;
    // The account's authorization broke between scheduling and the run.
    if (options.reconnectFirst) await db.connection.update({ where: { id: connectionId }, data: { status: "NEEDS_RECONNECT" } });
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    ctx.log = logger;
    for (let i = 0; i < 100; i++) {
      const result = await publishStep(ctx, input, new Date());
      if (result.kind === "next") continue;
      if (result.kind === "wait") {
        await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(result.until) - Date.now()) + 5));
        continue;
      }
      return { publicationId: row!.id, contentId: c.id, result };
    }
    throw new Error("too many steps");
  }

  it("publication.published and publication.failed: from publish runs against the Instagram sandbox", async () => {
    const connectionId = await igAccount();
    const ok = await publish(`Webhook ${Date.now()}`, connectionId);
    const published = await db.publication.findUniqueOrThrow({ where: { id: ok.publicationId } });
    expect(ok.result, `${published.failureCode}: ${published.lastError}`).toEqual({ kind: "done", status: "PUBLISHED" });
    expect(ok.result).toEqual({ kind: "done", status: "PUBLISHED" });
    const row = await db.publication.findUniqueOrThrow({ where: { id: ok.publicationId } });
    expect(await eventsOf("publication.published")).toContainEqual({
      publicationId: ok.publicationId, contentId: ok.contentId, connectionId, network: "INSTAGRAM", externalId: row.externalId, permalink: row.permalink, publishedAt: expect.any(String),
    });

    const reconnect = await igAccount();
    const bad = await publish(`Webhook falha ${Date.now()}`, reconnect, { reconnectFirst: true });
    expect(bad.result).toEqual({ kind: "done", status: "FAILED" });
    expect(await eventsOf("publication.failed")).toContainEqual(expect.objectContaining({ publicationId: bad.publicationId, connectionId: reconnect, code: "needs_reconnect" }));
  }, 60_000);

  it("comment.received: only for comments stored for the first time, and not for the account's own", async () => {
    const owner = { organizationId: fx.organizationId, connectionId: fx.social.socialConnectionId, externalAccountId: "me" };
    const comment = { externalId: `c-${Date.now()}`, postExternalId: "post-1", parentExternalId: null, authorExternalId: "fan-1", authorName: "Fã", text: "Tem no azul?", createdAt: new Date(), hidden: false };
    const own = { ...comment, externalId: `${comment.externalId}-own`, parentExternalId: comment.externalId, authorExternalId: "me", authorName: "Loja", text: "Tem sim!" };
    const ids = await storeComments(db, owner, [comment, own]);
    expect(ids).toHaveLength(2);
    await storeComments(db, owner, [comment]); // seen again (webhook + poll): not new
    const events = (await eventsOf("comment.received")).filter((d) => String(d.externalId).startsWith(comment.externalId));
    expect(events).toEqual([
      { commentId: expect.any(String), connectionId: owner.connectionId, externalId: comment.externalId, postExternalId: "post-1", publicationId: null, parentExternalId: null, authorName: "Fã", text: "Tem no azul?", receivedAt: comment.createdAt.toISOString() },
    ]);
  });

  it("connection.needs_reconnect: when a token refresh finds nothing to refresh with", async () => {
    const c = await db.connection.create({
      data: { organizationId: fx.organizationId, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: `ml-rc-${Date.now()}`, accountName: "Conta RC", accessTokenEnc: encrypt("old-token"), expiresAt: new Date(Date.now() - 1000) },
    });
    const result = await refreshConnectionToken(jobTenantCtx(db, { organizationId: fx.organizationId }), c.id, { force: true });
    expect(result).toMatchObject({ ok: false, reason: "needs_reconnect" });
    expect(await eventsOf("connection.needs_reconnect")).toContainEqual({ connectionId: c.id, provider: "MERCADOLIVRE", accountName: "Conta RC", since: expect.any(String) });
  });

  it("every event emitted above is delivered to the endpoint subscribed to all of them", async () => {
    await deliver(new Date(Date.now() + 5_000));
    const rows = await db.webhookDelivery.findMany({ where: { endpointId: all.endpoint.id } });
    expect(new Set(rows.map((r) => r.event))).toEqual(new Set(SUBSCRIBABLE_EVENTS));
    expect(rows.every((r) => r.status === "SUCCEEDED")).toBe(true);
    expect(new Set(receivedAt("/all-events").map((r) => r.headers["x-superseller-event"]))).toEqual(new Set(SUBSCRIBABLE_EVENTS));
  });
});

describe("background functions", () => {
  it("a new event is sent right away by the event-triggered function (local runner)", async () => {
    fx = await createOrgFixture("executor");
    const { endpoint } = await createEndpoint("/runner", ["action.applied"]);
    const runner = await startLocalRunner({ functions: webhookFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 2 });
    try {
      await runner.ready;
      const eventId = await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: "act_runner", listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });
      const deadline = Date.now() + 20_000;
      while (receivedAt("/runner").length === 0) {
        if (Date.now() > deadline) throw new Error("the delivery was never sent");
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(receivedAt("/runner")[0]!.headers["x-superseller-event-id"]).toBe(eventId);
      // The receiver has the request before the runner records the answer: wait for the row to settle.
      let [row] = await deliveriesOf(endpoint.id);
      while (row?.status !== "SUCCEEDED" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        [row] = await deliveriesOf(endpoint.id);
      }
      expect(row).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
      const run = () => db.jobRun.findFirst({ where: { organizationId: fx.organizationId, functionId: `${INNGEST_APP_ID}-webhooks-deliver`, status: "COMPLETED" } });
      while (!(await run())) {
        if (Date.now() > deadline) throw new Error("the webhooks-deliver run never completed");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await runner.stop();
    }
  }, 40_000);

  it("the daily clean-up removes settled deliveries older than 30 days and keeps pending and recent ones", async () => {
    script.set("/prune-down", [500]);
    const ok = await createEndpoint("/prune", ["action.applied"]);
    const down = await createEndpoint("/prune-down", ["action.applied"]);
    for (const n of [1, 2]) await emitWebhookEvent(db, fx.organizationId, "action.applied", { actionId: `act_prune_${n}`, listingId: fx.listingId, type: "ADJUST_PRICE", appliedAt: new Date().toISOString() });
    await deliver();
    const [oldOk, recentOk] = await deliveriesOf(ok.endpoint.id);
    const [oldPending] = await deliveriesOf(down.endpoint.id);
    expect([oldOk!.status, recentOk!.status, oldPending!.status]).toEqual(["SUCCEEDED", "SUCCEEDED", "PENDING"]);
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    await db.webhookDelivery.updateMany({ where: { id: { in: [oldOk!.id, oldPending!.id] } }, data: { createdAt: longAgo } });
    const { deleted } = await pruneDeliveries(db);
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect((await deliveriesOf(ok.endpoint.id)).map((d) => d.id)).toEqual([recentOk!.id]);
    expect((await deliveriesOf(down.endpoint.id)).map((d) => d.id)).toContain(oldPending!.id);
  });

  it("an endpoint whose secret cannot be read fails its attempt (nothing unsigned is sent) without stopping the others", async () => {
    const broken = await createEndpoint("/broken-secret", ["action.failed"]);
    await createEndpoint("/fine", ["action.failed"]);
    await db.webhookEndpoint.update({ where: { id: broken.endpoint.id }, data: { secretEnc: "v1:not-a-real-ciphertext" } });
    await emitWebhookEvent(db, fx.organizationId, "action.failed", { actionId: "act_secret", listingId: null, type: "ADJUST_PRICE", code: "x", reason: "y", failedAt: new Date().toISOString() });
    await deliver();
    expect(receivedAt("/broken-secret")).toHaveLength(0);
    expect(receivedAt("/fine")).toHaveLength(1);
    const [row] = await deliveriesOf(broken.endpoint.id);
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, responseCode: null });
    expect(row!.lastError).toContain("signing secret could not be read");
  });

  // Runs last: every body the receiver got in this file, of every event type, against the
  // OpenAPI document's `webhooks` section (what /api/v1/docs shows developers).
  it("every delivered body matches its event's schema in the OpenAPI document", () => {
    const document = getOpenApiDocument();
    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    const types = new Set<string>();
    for (const request of received) {
      const body = JSON.parse(request.body) as { type: string };
      const operation = (document.webhooks as Record<string, { post: { requestBody: { content: { "application/json": { schema: object } } } } }>)[body.type];
      expect(operation, `no webhook ${body.type} in the document`).toBeDefined();
      const validate = ajv.compile(operation!.post.requestBody.content["application/json"].schema);
      expect(validate(body), `${body.type}: ${JSON.stringify(validate.errors)}`).toBe(true);
      types.add(body.type);
    }
    // The file's real code paths reach every subscribable event.
    expect([...types].sort()).toEqual(expect.arrayContaining([...SUBSCRIBABLE_EVENTS].sort()));
  });
});
