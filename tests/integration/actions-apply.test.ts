/**
 * Approving and applying actions against a real PostgreSQL and the Mercado Livre sandbox served
 * over HTTP. The seller is connected through the real connect flow and its listings ingested by
 * the real sync; actions are created directly (the generator has its own tests). The apply step is
 * driven exactly as the background function calls it, and once through the local jobs runner.
 * Writes are counted where they arrive: at the sandbox's HTTP edge.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import type { Prisma } from "~/generated/prisma/client";
import type { ActionType } from "~/generated/prisma/enums";
import { setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import { createShopeeConnector } from "~/server/connectors/marketplace/shopee";
import type { MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";
import { createShopeeSandbox } from "~/server/connectors/sandbox/shopee";
import { INNGEST_APP_ID } from "~/server/jobs/client";
import { actionFunctions } from "~/server/jobs/functions/actions-apply";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { logger } from "~/server/lib/logger";
import { insertAction } from "~/server/repositories/actions";
import { applyAction, failAfterRetries } from "~/server/services/actions/apply";
import { beginConnect, completeConnect } from "~/server/services/connectors/connectors";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { freshCredentials } from "~/server/services/connectors/tokens";
import type { TenantCtx } from "~/server/services/context";
import { startSync, syncNextPage } from "~/server/services/listings/sync";
import { serveFetch } from "../helpers/serve-fetch";
import { connectSandboxSeller, serveMercadoLivreSandbox, TEST_APP_URL, type ServedSandbox } from "./helpers/mercadolivre-sandbox";
import { callerFor, createOrgFixture, db, type OrgFixture, tenantCtxOf } from "./helpers/fixtures";

const CATALOG = 60;
const SELLER = 310_000_001;

let sandbox: MercadoLivreSandbox;
let served: ServedSandbox;
/** Every PUT /items/{id} the sandbox accepted (changed the item), by item id. */
const writes = new Map<string, number>();
const writesOf = (externalId: string) => writes.get(externalId) ?? 0;

let fx: OrgFixture;
let connectionId: string;

/** The job context of the apply function: the approver is the event's user. */
const jobCtx = () => jobTenantCtx(db, { organizationId: fx.organizationId, userId: fx.users.OPERATOR.userId, correlationId: "apply-test" });

async function connectAndSync() {
  const connection = await connectSandboxSeller(tenantCtxOf(fx), SELLER);
  const job = jobTenantCtx(db, { organizationId: fx.organizationId });
  const { generation } = await startSync(job, { connectionId: connection.id, mode: "full" });
  for (let i = 0; i < 20; i++) {
    const step = await syncNextPage(job, { connectionId: connection.id, generation });
    if (step.done) break;
  }
  return connection.id;
}

/** Active listings that can take any change (no sales: Mercado Livre locks the title after one). */
let pool: Array<{ id: string; externalId: string; title: string; priceCents: number; stock: number }> = [];
function takeListing() {
  const listing = pool.shift();
  if (!listing) throw new Error("the test catalog ran out of active listings without sales");
  return listing;
}

async function approved(type: ActionType, payload: Record<string, unknown>, listing = takeListing()) {
  const { id } = await insertAction(db, fx.organizationId, { listingId: listing.id, type, payload: payload as Prisma.InputJsonObject, reason: "test", expectedGain: 5 });
  const operator = await callerFor(fx.users.OPERATOR.userId);
  await operator.actions.approve({ id });
  return { id, listing };
}

const actionRow = (id: string) => db.action.findUniqueOrThrow({ where: { id } });
const sandboxItem = async (externalId: string) => (await (await fetch(`${served.url}/items/${externalId}`, { headers: { authorization: `Bearer ${await token()}` } })).json()) as {
  title: string;
  price: number;
  available_quantity: number;
  status: string;
};
async function token() {
  const { decrypt } = await import("~/server/lib/secrets");
  const row = await db.connection.findUniqueOrThrow({ where: { id: connectionId } });
  return decrypt(row.accessTokenEnc!);
}

beforeAll(async () => {
  served = await serveMercadoLivreSandbox(
    { catalogSize: CATALOG, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "actions-apply-test" },
    {
      // Count every PUT /items/{id} the sandbox accepted, where it arrives.
      wrap: (handler) => async (request) => {
        const m = /\/items\/([A-Z]{3}\d+)$/.exec(new URL(request.url).pathname);
        const response = await handler(request);
        if (request.method === "PUT" && m && response.ok) writes.set(m[1]!, writesOf(m[1]!) + 1);
        return response;
      },
    },
  );
  sandbox = served.sandbox;
  fx = await createOrgFixture("apply");
  connectionId = await connectAndSync();
  pool = await db.listing.findMany({
    where: { organizationId: fx.organizationId, connectionId, status: "ACTIVE", soldQuantity: 0, hasVariations: false, catalogListing: false },
    select: { id: true, externalId: true, title: true, priceCents: true, stock: true },
    orderBy: { externalId: "asc" },
  });
}, 60_000);

afterEach(() => sandbox.setFaults({}));

afterAll(async () => {
  await served?.close();
});

describe("apply", () => {
  it("applies an edited title: the sandbox shows it, our listing too, with baseline, audit and actor", async () => {
    const listing = takeListing();
    const { id } = await insertAction(db, fx.organizationId, {
      listingId: listing.id,
      type: "REWRITE_TITLE",
      payload: { title: "Título sugerido pelo gerador local", previousTitle: listing.title, maxLength: 60, generator: "local", notes: [] },
      reason: "title_too_short",
      expectedGain: 6,
      source: "LOCAL_GENERATOR",
    });
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const edited = { title: "Fone Bluetooth Sem Fio com Cancelamento de Ruído Preto", previousTitle: listing.title, maxLength: 60, generator: "local", notes: [] };
    expect(await operator.actions.approve({ id, payload: edited })).toEqual({ id, status: "APPROVED" });

    const before = await actionRow(id);
    expect(before).toMatchObject({ status: "APPROVED", approvedById: fx.users.OPERATOR.userId, editedById: fx.users.OPERATOR.userId });
    expect((before.suggestedPayload as { title: string }).title).toBe("Título sugerido pelo gerador local");
    expect((before.payload as { title: string }).title).toBe(edited.title);

    const outcome = await applyAction(jobCtx(), { actionId: id });
    expect(outcome).toEqual({ status: "APPLIED", wrote: true, listingId: listing.id });
    expect((await sandboxItem(listing.externalId)).title).toBe(edited.title);
    expect(writesOf(listing.externalId)).toBe(1);

    const after = await actionRow(id);
    expect(after).toMatchObject({ status: "APPLIED", openKey: null, attempts: 1, failureCode: null });
    expect(after.appliedAt).toBeInstanceOf(Date);
    expect(after.baseline).toMatchObject({ priceCents: listing.priceCents });
    expect(typeof (after.baseline as { visitsPerDay: number }).visitsPerDay).toBe("number");
    expect((await db.listing.findUniqueOrThrow({ where: { id: listing.id } })).title).toBe(edited.title);

    const entries = await db.auditLog.findMany({ where: { organizationId: fx.organizationId, targetId: id }, orderBy: { createdAt: "asc" } });
    expect(entries.map((e) => e.action)).toEqual(["action.edited", "action.approved", "action.applied"]);
    expect(entries.every((e) => e.actorUserId === fx.users.OPERATOR.userId)).toBe(true);

    const detail = await (await callerFor(fx.users.VIEWER.userId)).actions.get({ id });
    expect(detail.timeline.map((t) => t.event)).toEqual(["created", "edited", "approved", "applying", "applied"]);
    expect(detail.timeline.find((t) => t.event === "approved")?.actor?.id).toBe(fx.users.OPERATOR.userId);
    expect(detail.timeline.find((t) => t.event === "applied")?.actor?.id).toBe(fx.users.OPERATOR.userId);
  });

  it("applies a price, a restock and a pause with absolute values", async () => {
    const priced = takeListing();
    const toCents = priced.priceCents + 1_000;
    const price = await approved("ADJUST_PRICE", { fromCents: priced.priceCents, toCents, referenceCents: toCents }, priced);
    expect((await applyAction(jobCtx(), { actionId: price.id })).status).toBe("APPLIED");
    expect(Math.round((await sandboxItem(priced.externalId)).price * 100)).toBe(toCents);
    expect((await db.listing.findUniqueOrThrow({ where: { id: priced.id } })).priceCents).toBe(toCents);

    const restock = await approved("RESTOCK_ALERT", { currentStock: 1, daysOfCover: 2, suggestedStock: 77 });
    expect((await applyAction(jobCtx(), { actionId: restock.id })).status).toBe("APPLIED");
    expect((await sandboxItem(restock.listing.externalId)).available_quantity).toBe(77);
    expect((await db.listing.findUniqueOrThrow({ where: { id: restock.listing.id } })).stock).toBe(77);

    const pause = await approved("PAUSE_LISTING", { daysWithoutSales: 60, visits30d: 3 });
    expect((await applyAction(jobCtx(), { actionId: pause.id })).status).toBe("APPLIED");
    expect((await sandboxItem(pause.listing.externalId)).status).toBe("paused");
    expect((await db.listing.findUniqueOrThrow({ where: { id: pause.listing.id } })).status).toBe("PAUSED");
  });

  it("adds photos after the current ones, fills attributes, enables free shipping and writes a description", async () => {
    const photos = takeListing();
    const before = sandbox.getItem(photos.externalId)!;
    const currentUrls = before.pictures.map((p) => p.secure_url);
    const added = ["https://images.example.com/extra-1.jpg", "https://images.example.com/extra-2.jpg"];
    const photo = await approved("ADD_PHOTOS", { currentCount: currentUrls.length, targetCount: currentUrls.length + 2, pictureUrls: added }, photos);
    expect((await applyAction(jobCtx(), { actionId: photo.id })).status).toBe("APPLIED");
    expect(sandbox.getItem(photos.externalId)!.pictures.map((p) => p.secure_url)).toEqual([...currentUrls, ...added]);
    expect((await db.listing.findUniqueOrThrow({ where: { id: photos.id } })).pictureCount).toBe(currentUrls.length + 2);

    const attrs = await approved("COMPLETE_ATTRIBUTES", { attributes: [{ id: "MODEL", name: "Modelo", value: "X-200" }] });
    expect((await applyAction(jobCtx(), { actionId: attrs.id })).status).toBe("APPLIED");
    expect(sandbox.getItem(attrs.listing.externalId)!.attributes.find((a) => a.id === "MODEL")?.value_name).toBe("X-200");
    const stored = (await db.listing.findUniqueOrThrow({ where: { id: attrs.listing.id } })).attributes as Array<{ id: string; value: string | null }>;
    expect(stored.find((a) => a.id === "MODEL")?.value).toBe("X-200");

    const shipping = await approved("ENABLE_FREE_SHIPPING", {});
    expect((await applyAction(jobCtx(), { actionId: shipping.id })).status).toBe("APPLIED");
    expect(sandbox.getItem(shipping.listing.externalId)!.shipping.free_shipping).toBe(true);
    expect((await db.listing.findUniqueOrThrow({ where: { id: shipping.listing.id } })).freeShipping).toBe(true);

    const text = "Produto novo, com garantia de 12 meses e nota fiscal. Enviamos em até 24 horas úteis.";
    const description = await approved("REWRITE_DESCRIPTION", { description: text, previousDescription: null, generator: "local", notes: [] });
    expect((await applyAction(jobCtx(), { actionId: description.id })).status).toBe("APPLIED");
    expect(sandbox.writesOf(description.listing.externalId)).toBe(1);
    expect((await db.listing.findUniqueOrThrow({ where: { id: description.listing.id } })).description).toBe(text);
  });

  it("records the marketplace's refusal (item paused on the marketplace before applying) as FAILED with its reason", async () => {
    const listing = takeListing();
    const { id } = await approved("ADJUST_PRICE", { fromCents: listing.priceCents, toCents: listing.priceCents + 500, referenceCents: listing.priceCents + 500 }, listing);
    // The seller pauses the item on Mercado Livre's site; our copy does not know yet.
    const paused = await fetch(`${served.url}/_sandbox/items/${listing.externalId}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "paused" }) });
    expect(paused.status).toBe(200);

    const outcome = await applyAction(jobCtx(), { actionId: id });
    expect(outcome).toMatchObject({ status: "FAILED", code: "item.status.not_active" });
    const row = await actionRow(id);
    expect(row).toMatchObject({ status: "FAILED", failureCode: "item.status.not_active", openKey: null });
    expect(row.failureReason).toMatch(/paused/i);
    expect(row.failedAt).toBeInstanceOf(Date);
    expect(Math.round((await sandboxItem(listing.externalId)).price * 100)).toBe(listing.priceCents);
    expect((await db.listing.findUniqueOrThrow({ where: { id: listing.id } })).priceCents).toBe(listing.priceCents);
    const audit = await db.auditLog.findFirstOrThrow({ where: { targetId: id, action: "action.failed" } });
    expect(audit.metadata).toMatchObject({ code: "item.status.not_active" });

    // A marketplace refusal is not retried by a person either: it would be refused again.
    const operator = await callerFor(fx.users.OPERATOR.userId);
    await expect(operator.actions.retry({ id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const detail = await operator.actions.get({ id });
    expect(detail).toMatchObject({ status: "FAILED", retryable: false, failureCode: "item.status.not_active" });
    expect(detail.timeline.at(-1)).toMatchObject({ event: "failed" });
  });

  it("never writes twice when the database write after the marketplace write failed", async () => {
    const listing = takeListing();
    const title = "Garrafa Térmica Inox 1 Litro Mantém Gelado 24 Horas";
    const { id } = await approved("REWRITE_TITLE", { title, previousTitle: listing.title, maxLength: 60, generator: "local", notes: [] }, listing);

    // Another transaction holds our listing row: recording the outcome fails after the write.
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("SELECT id FROM listings WHERE id = $1 FOR UPDATE", [listing.id]);
      await expect(applyAction(jobCtx(), { actionId: id }, { lockTimeoutMs: 300 })).rejects.toThrow();
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }
    expect(writesOf(listing.externalId)).toBe(1);
    expect((await sandboxItem(listing.externalId)).title).toBe(title);
    const stuck = await actionRow(id);
    expect(stuck).toMatchObject({ status: "APPLYING", attempts: 1 });
    expect((await db.listing.findUniqueOrThrow({ where: { id: listing.id } })).title).toBe(listing.title);

    // The retry reads the item back, sees the change and records it without writing again.
    expect(await applyAction(jobCtx(), { actionId: id })).toEqual({ status: "APPLIED", wrote: false, listingId: listing.id });
    expect(writesOf(listing.externalId)).toBe(1);
    expect(sandbox.writesOf(listing.externalId)).toBe(1);
    expect(await actionRow(id)).toMatchObject({ status: "APPLIED", attempts: 2 });
    expect((await db.listing.findUniqueOrThrow({ where: { id: listing.id } })).title).toBe(title);

    // A late duplicate of the event changes nothing.
    expect(await applyAction(jobCtx(), { actionId: id })).toEqual({ status: "SKIPPED", current: "APPLIED" });
    expect(writesOf(listing.externalId)).toBe(1);
  });

  it("applies once when two attempts run at the same time", async () => {
    const listing = takeListing();
    const { id } = await approved("RESTOCK_ALERT", { currentStock: 0, daysOfCover: 0, suggestedStock: 42 }, listing);
    const outcomes = await Promise.all([applyAction(jobCtx(), { actionId: id }), applyAction(jobCtx(), { actionId: id }), applyAction(jobCtx(), { actionId: id })]);
    expect(outcomes.filter((o) => o.status === "APPLIED")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "SKIPPED")).toHaveLength(2);
    expect(writesOf(listing.externalId)).toBe(1);
    expect(sandbox.writesOf(listing.externalId)).toBe(1);
    expect((await sandboxItem(listing.externalId)).available_quantity).toBe(42);
  });

  it("retries through outages, fails with the last reason when the retries run out, and applies after a person retries", async () => {
    const listing = takeListing();
    const { id } = await approved("ADJUST_PRICE", { fromCents: listing.priceCents, toCents: listing.priceCents + 250, referenceCents: listing.priceCents + 250 }, listing);
    sandbox.setFaults({ serverErrors: 50, serverErrorStatus: 503 });
    await expect(applyAction(jobCtx(), { actionId: id })).rejects.toMatchObject({ kind: "transient" });
    await expect(applyAction(jobCtx(), { actionId: id })).rejects.toMatchObject({ kind: "transient" });
    const retrying = await actionRow(id);
    expect(retrying).toMatchObject({ status: "APPLYING", attempts: 2 });
    expect(retrying.failureReason).toMatch(/transient/);

    expect(await failAfterRetries(jobCtx(), { actionId: id, error: "step failed" })).toMatchObject({ status: "FAILED", code: "retries_exhausted" });
    const failed = await actionRow(id);
    expect(failed).toMatchObject({ status: "FAILED", failureCode: "retries_exhausted", openKey: null });
    expect(failed.failureReason).toMatch(/503/);

    sandbox.setFaults({});
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect(await operator.actions.retry({ id })).toEqual({ id, status: "APPROVED" });
    expect(await actionRow(id)).toMatchObject({ status: "APPROVED", openKey: `${listing.id}:ADJUST_PRICE` });
    expect((await applyAction(jobCtx(), { actionId: id })).status).toBe("APPLIED");
    expect(Math.round((await sandboxItem(listing.externalId)).price * 100)).toBe(listing.priceCents + 250);
    expect(writesOf(listing.externalId)).toBe(1);
  });

  it("runs through the background function: approve → APPLIED", async () => {
    const runner = await startLocalRunner({ functions: actionFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 2 });
    try {
      await runner.ready;
      const listing = takeListing();
      const { id } = await approved("RESTOCK_ALERT", { currentStock: 1, daysOfCover: 1, suggestedStock: 31 }, listing);
      const deadline = Date.now() + 30_000;
      while ((await actionRow(id)).status !== "APPLIED") {
        if (Date.now() > deadline) throw new Error(`not applied: ${JSON.stringify(await actionRow(id))}`);
        await new Promise((r) => setTimeout(r, 150));
      }
      expect((await sandboxItem(listing.externalId)).available_quantity).toBe(31);
      expect(writesOf(listing.externalId)).toBe(1);
      const run = async () =>
        db.jobRun.findFirst({ where: { organizationId: fx.organizationId, functionId: `${INNGEST_APP_ID}-apply-action`, status: "COMPLETED", eventName: "actions/apply.requested" }, orderBy: { createdAt: "desc" } });
      while (!(await run())) {
        if (Date.now() > deadline) throw new Error("the apply-action run never completed");
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await runner.stop();
    }
  }, 45_000);
});

describe("Shopee", () => {
  it("applies a price and a title through the Shopee sandbox, once each", async () => {
    const shopee = createShopeeSandbox({ seed: "actions-apply", catalogSize: 30, rateLimitPerSecond: 0, pushUrl: null });
    const server = await serveFetch((request) => shopee.handler(request));
    const connector = createShopeeConnector({ apiUrl: server.url + "/api/sandbox/shopee", partnerId: shopee.partnerId, partnerKey: shopee.partnerKey, isSandbox: true, timeoutMs: 5_000 });
    const restoreShopee = setMarketplaceConnector(connector);
    setPacingRate("SHOPEE", 500);
    try {
      const org = await createOrgFixture("shopee-apply");
      const userId = org.users.OWNER.userId;
      const ctx: TenantCtx = { db, userId, request: { correlationId: "shopee-apply" }, log: logger, tenant: { organizationId: org.organizationId, userId, role: "OWNER" } };
      const { authorizationUrl, sealedFlow } = await beginConnect(ctx, { provider: "SHOPEE", consentVersion: "shopee-2026-11", appUrl: TEST_APP_URL });
      const html = await (await fetch(authorizationUrl)).text();
      const link = /data-shop-id="\d+" href="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
      const connection = await completeConnect(ctx, { provider: "SHOPEE", sealedFlow, params: Object.fromEntries(new URL(link).searchParams.entries()), appUrl: TEST_APP_URL });
      const job = jobTenantCtx(db, { organizationId: org.organizationId, userId });
      const { generation } = await startSync(job, { connectionId: connection.id, mode: "full" });
      for (let i = 0; i < 10 && !(await syncNextPage(job, { connectionId: connection.id, generation })).done; i++);
      const [priced, titled] = await db.listing.findMany({
        where: { organizationId: org.organizationId, provider: "SHOPEE", status: "ACTIVE", hasVariations: false, catalogListing: false },
        orderBy: { externalId: "asc" },
        take: 2,
      });
      expect(titled).toBeDefined();
      const owner = await callerFor(userId);

      const price = await insertAction(db, org.organizationId, { listingId: priced!.id, type: "ADJUST_PRICE", payload: { fromCents: priced!.priceCents, toCents: priced!.priceCents + 700, referenceCents: priced!.priceCents + 700 }, reason: "price_above_reference" });
      await owner.actions.approve({ id: price.id });
      expect((await applyAction(job, { actionId: price.id })).status).toBe("APPLIED");
      const title = "Garrafa Térmica Inox 1 Litro Acme";
      const rename = await insertAction(db, org.organizationId, { listingId: titled!.id, type: "REWRITE_TITLE", payload: { title, previousTitle: titled!.title, maxLength: 120, generator: "local", notes: [] }, reason: "title_too_short" });
      await owner.actions.approve({ id: rename.id });
      expect((await applyAction(job, { actionId: rename.id })).status).toBe("APPLIED");

      const fresh = await freshCredentials(job, connection.id);
      if (!fresh.ok) throw new Error("no credentials");
      const [afterPrice, afterTitle] = await connector.getItems(fresh.credentials, [priced!.externalId, titled!.externalId]);
      expect(afterPrice!.priceCents).toBe(priced!.priceCents + 700);
      expect(afterTitle!.title).toBe(title);
      expect(shopee.writesOf(priced!.externalId)).toBe(1);
      expect(shopee.writesOf(titled!.externalId)).toBe(1);
      expect((await db.listing.findUniqueOrThrow({ where: { id: titled!.id } })).title).toBe(title);
    } finally {
      restoreShopee();
      await server.close();
    }
  }, 60_000);
});
