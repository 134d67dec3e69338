import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { Prisma } from "~/generated/prisma/client";
import type { AiProviderConfig } from "~/server/ai";
import { generateRecommendationsFn } from "~/server/jobs/functions/actions-generate";
import { functions } from "~/server/jobs/functions";
import { generateRecommendations, upgradeCopyWithAi } from "~/server/services/actions/generate";
import { ZActionPayloads, type ActionTypeName } from "~/server/services/actions/payloads";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../helpers/openai-compatible-server";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const NOW = new Date();
const DAY_MS = 86_400_000;

const GOOD_DESCRIPTION =
  "Produto original com nota fiscal e garantia do fabricante. Embalagem lacrada, pronta entrega a partir do nosso estoque, " +
  "com envio no mesmo dia útil para compras aprovadas até as 14h.";

let counter = 0;

/** A Mercado Livre listing with nothing to fix; each test changes the facts it is about. */
async function listing(fx: OrgFixture, overrides: Partial<Prisma.ListingUncheckedCreateInput> = {}) {
  counter++;
  const row = await db.listing.create({
    data: {
      organizationId: fx.organizationId,
      connectionId: fx.connectionId,
      provider: "MERCADOLIVRE",
      externalId: `MLBGEN${counter}${Math.random().toString(36).slice(2, 8)}`,
      title: "Fone de Ouvido Bluetooth JBL Tune 510BT Preto Dobrável",
      categoryId: "MLB196208",
      status: "ACTIVE",
      priceCents: 19_990,
      suggestedPriceCents: 19_990,
      stock: 50,
      soldQuantity: 0,
      listingType: "gold_special",
      freeShipping: true,
      pictureCount: 6,
      gtin: "7891234567895",
      description: GOOD_DESCRIPTION,
      attributes: [
        { id: "BRAND", name: "Marca", value: "JBL" },
        { id: "MODEL", name: "Modelo", value: "Tune 510BT" },
        { id: "GTIN", name: "Código universal de produto", value: "7891234567895" },
      ],
      ...overrides,
    },
  });
  return row.id;
}

/** Daily snapshots for the last `days` days (today included). */
async function snapshots(fx: OrgFixture, listingId: string, days: number, perDay: { visits: number; sales: number }) {
  await db.listingMetricSnapshot.createMany({
    data: Array.from({ length: days }, (_, i) => ({
      organizationId: fx.organizationId,
      listingId,
      date: new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate()) - i * DAY_MS),
      visits: perDay.visits,
      sales: perDay.sales,
      priceCents: 19_990,
      stock: 10,
    })),
  });
  // As a sync leaves it: visits known from the first snapshot on (when sales are known is each
  // test's own concern: listings.sales_since).
  const first = new Date(Date.UTC(NOW.getUTCFullYear(), NOW.getUTCMonth(), NOW.getUTCDate()) - (days - 1) * DAY_MS);
  await db.listing.update({ where: { id: listingId }, data: { visitsSince: first } });
}

async function openActions(organizationId: string, listingId?: string) {
  return db.action.findMany({
    where: { organizationId, status: { in: ["PENDING", "APPROVED", "APPLYING"] }, ...(listingId ? { listingId } : {}) },
    select: { id: true, listingId: true, type: true, status: true, source: true, payload: true, reason: true, expectedGain: true, openKey: true },
  });
}

async function typesOf(organizationId: string, listingId: string) {
  return (await openActions(organizationId, listingId)).map((a) => a.type).sort();
}

describe("generateRecommendations", () => {
  let fx: OrgFixture;
  const ids = {} as Record<
    | "healthy" | "shortTitle" | "shortTitleSold" | "photosPrice" | "variations" | "noFreeShipping" | "noGtin"
    | "noDescription" | "lowStock" | "dead" | "deadUnknown" | "catalog" | "closed" | "soldOutPaused" | "marketRule" | "shopee",
    string
  >;

  beforeAll(async () => {
    fx = await createOrgFixture("gen");
    ids.healthy = await listing(fx);
    ids.shortTitle = await listing(fx, { title: "Fone JBL" });
    ids.shortTitleSold = await listing(fx, { title: "Fone JBL", soldQuantity: 12 });
    ids.photosPrice = await listing(fx, { pictureCount: 1, priceCents: 15_000, suggestedPriceCents: 10_000 });
    ids.variations = await listing(fx, { hasVariations: true, priceCents: 15_000, suggestedPriceCents: 10_000 });
    ids.noFreeShipping = await listing(fx, { freeShipping: false });
    ids.noGtin = await listing(fx, {
      gtin: null,
      attributes: [
        { id: "BRAND", name: "Marca", value: "JBL" },
        { id: "MODEL", name: "Modelo", value: "Tune 510BT" },
        { id: "GTIN", name: "Código universal de produto", value: null },
      ],
    });
    ids.noDescription = await listing(fx, { description: null });
    // Sales known for 60 days (a backfill from the orders API moved sales_since back).
    const salesSince = new Date(NOW.getTime() - 60 * DAY_MS);
    ids.lowStock = await listing(fx, { stock: 2, salesSince });
    await snapshots(fx, ids.lowStock, 30, { visits: 40, sales: 1 });
    ids.dead = await listing(fx, { stock: 10, salesSince });
    await snapshots(fx, ids.dead, 45, { visits: 5, sales: 0 });
    // The same metrics, but sales only known since today's first sync: not a dead listing.
    ids.deadUnknown = await listing(fx, { stock: 10 });
    await snapshots(fx, ids.deadUnknown, 45, { visits: 5, sales: 0 });
    ids.catalog = await listing(fx, { catalogListing: true, title: "Fone JBL", pictureCount: 1 });
    ids.closed = await listing(fx, { status: "CLOSED", freeShipping: false, pictureCount: 1 });
    ids.soldOutPaused = await listing(fx, { status: "PAUSED", stock: 0, soldQuantity: 30 });
    ids.marketRule = await listing(fx, {
      qualityScore: 70,
      qualityRules: [{ key: "PICTURES_QUANTITY", mode: "OPPORTUNITY", status: "PENDING", progress: 0.6 }],
    });
    const shop = await db.connection.create({
      data: { organizationId: fx.organizationId, provider: "SHOPEE", kind: "MARKETPLACE", externalAccountId: `shop-${fx.organizationId}` },
    });
    ids.shopee = await listing(fx, {
      connectionId: shop.id,
      provider: "SHOPEE",
      categoryId: "100013",
      suggestedPriceCents: null,
      title: "Fone JBL",
      soldQuantity: 40,
      freeShipping: false,
      pictureCount: 1,
    });
  });

  it("creates the expected PENDING actions with valid payloads, ruling out what the marketplace would refuse", async () => {
    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW });

    expect(await typesOf(fx.organizationId, ids.healthy)).toEqual([]);
    expect(await typesOf(fx.organizationId, ids.shortTitle)).toEqual(["REWRITE_TITLE"]);
    // Mercado Livre locks the title of an item with sales.
    expect(await typesOf(fx.organizationId, ids.shortTitleSold)).toEqual([]);
    expect(await typesOf(fx.organizationId, ids.photosPrice)).toEqual(["ADD_PHOTOS", "ADJUST_PRICE"]);
    // Variations go as a full set we do not hold.
    expect(await typesOf(fx.organizationId, ids.variations)).toEqual([]);
    expect(await typesOf(fx.organizationId, ids.noFreeShipping)).toEqual(["ENABLE_FREE_SHIPPING"]);
    expect(await typesOf(fx.organizationId, ids.noGtin)).toEqual(["COMPLETE_ATTRIBUTES"]);
    expect(await typesOf(fx.organizationId, ids.noDescription)).toEqual(["REWRITE_DESCRIPTION"]);
    expect(await typesOf(fx.organizationId, ids.lowStock)).toEqual(["RESTOCK_ALERT"]);
    expect(await typesOf(fx.organizationId, ids.dead)).toEqual(["PAUSE_LISTING"]);
    expect(await typesOf(fx.organizationId, ids.deadUnknown)).toEqual([]);
    // Catalog listings: title and photos are edited at family level.
    expect(await typesOf(fx.organizationId, ids.catalog)).toEqual([]);
    expect(await typesOf(fx.organizationId, ids.closed)).toEqual([]);
    // A paused, sold-out listing can still be restocked (that reactivates it).
    expect(await typesOf(fx.organizationId, ids.soldOutPaused)).toEqual(["RESTOCK_ALERT"]);
    expect(await typesOf(fx.organizationId, ids.marketRule)).toEqual(["ADD_PHOTOS"]);
    // Shopee: the title may change after sales; no free shipping per item, no pictures by URL.
    expect(await typesOf(fx.organizationId, ids.shopee)).toEqual(["REWRITE_TITLE"]);

    const all = await openActions(fx.organizationId);
    for (const action of all) {
      expect(action.status).toBe("PENDING");
      if (action.openKey) expect(action.openKey).toBe(`${action.listingId}:${action.type}`);
      if (action.reason.startsWith("fixture")) continue;
      expect(() => ZActionPayloads[action.type as ActionTypeName].parse(action.payload)).not.toThrow();
      expect(action.expectedGain).toBeGreaterThanOrEqual(0);
    }

    const [title] = await openActions(fx.organizationId, ids.shortTitle);
    expect(title!.source).toBe("LOCAL_GENERATOR");
    expect(title!.reason).toBe("title_too_short");
    expect((title!.payload as { title: string }).title).toContain("Tune 510BT");
    expect(title!.expectedGain).toBeGreaterThan(0);

    const [price] = (await openActions(fx.organizationId, ids.photosPrice)).filter((a) => a.type === "ADJUST_PRICE");
    expect(price!.payload).toEqual({ fromCents: 15_000, toCents: 12_000, referenceCents: 10_000 });
    expect(price!.source).toBe("RULE");

    const [restock] = await openActions(fx.organizationId, ids.lowStock);
    expect(restock!.payload).toEqual({ currentStock: 2, daysOfCover: 2, suggestedStock: 30 });
    const [pause] = await openActions(fx.organizationId, ids.dead);
    expect((pause!.payload as { daysWithoutSales: number }).daysWithoutSales).toBeGreaterThanOrEqual(30);

    const created = await db.action.count({ where: { organizationId: fx.organizationId, openKey: { not: null } } });
    expect(counts.created).toBe(created);
    expect(counts.notApplicable).toBeGreaterThanOrEqual(8);
    expect(counts.retired).toBe(0);
    expect(counts.aiSuggestions).toBe(0);

    // Local suggestions are metered (0 tokens, 0 cost) like every copy call.
    const usage = await db.aiUsage.count({ where: { organizationId: fx.organizationId, provider: "local" } });
    expect(usage).toBeGreaterThanOrEqual(2);
  });

  it("a second run creates no duplicate, also where an open action predates open keys", async () => {
    const before = await db.action.count({ where: { organizationId: fx.organizationId } });
    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW });
    expect(counts.created).toBe(0);
    expect(counts.skippedDuplicate).toBeGreaterThan(0);
    expect(counts.retired).toBe(0);
    expect(await db.action.count({ where: { organizationId: fx.organizationId } })).toBe(before);
    // The fixture's listing has an open REWRITE_TITLE without open key: still only one.
    const fixtureTitles = await db.action.count({
      where: { organizationId: fx.organizationId, listingId: fx.listingId, type: "REWRITE_TITLE", status: "PENDING" },
    });
    expect(fixtureTitles).toBe(1);
  });

  it("a pending rule suggestion follows its inputs; one a person edited does not change under them", async () => {
    const [price] = (await openActions(fx.organizationId, ids.photosPrice)).filter((a) => a.type === "ADJUST_PRICE");
    expect(price!.payload).toMatchObject({ fromCents: 15_000, referenceCents: 10_000 });
    // The marketplace's price reference moved: the suggestion is recomputed, same row, still PENDING.
    await db.listing.update({ where: { id: ids.photosPrice }, data: { suggestedPriceCents: 13_000 } });
    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW });
    expect(counts.refreshed).toBe(1);
    expect(counts.created).toBe(0);
    const refreshed = await db.action.findUniqueOrThrow({ where: { id: price!.id } });
    expect(refreshed).toMatchObject({ status: "PENDING", payload: { fromCents: 15_000, toCents: 13_000, referenceCents: 13_000 } });
    // Reaching the reference in one step (13 000 is within the 20 % cut) is worth more than stopping short.
    expect(refreshed.expectedGain).toBeGreaterThan(price!.expectedGain);

    // A person edited it: a later move of the reference leaves their figure alone.
    await db.action.update({ where: { id: price!.id }, data: { editedAt: NOW, payload: { fromCents: 15_000, toCents: 14_000, referenceCents: 13_000 } } });
    await db.listing.update({ where: { id: ids.photosPrice }, data: { suggestedPriceCents: 12_000 } });
    expect((await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW })).refreshed).toBe(0);
    expect((await db.action.findUniqueOrThrow({ where: { id: price!.id } })).payload).toMatchObject({ toCents: 14_000 });
    // Back to the reference the other tests expect.
    await db.listing.update({ where: { id: ids.photosPrice }, data: { suggestedPriceCents: 10_000 } });
    await db.action.update({ where: { id: price!.id }, data: { editedAt: null, payload: price!.payload as object } });
  });

  it("retires PENDING actions no longer recommended, leaves approved ones alone", async () => {
    const [shipping] = await openActions(fx.organizationId, ids.noFreeShipping);
    const photos = (await openActions(fx.organizationId, ids.photosPrice)).find((a) => a.type === "ADD_PHOTOS")!;
    await db.action.update({ where: { id: photos.id }, data: { status: "APPROVED", approvedAt: new Date() } });
    // Fixed elsewhere (on the marketplace), picked up by a sync.
    await db.listing.update({ where: { id: ids.noFreeShipping }, data: { freeShipping: true } });
    await db.listing.update({ where: { id: ids.photosPrice }, data: { pictureCount: 8 } });
    // A sale turns the title lock on: the pending title suggestion is no longer applicable.
    await db.listing.update({ where: { id: ids.shortTitle }, data: { soldQuantity: 1 } });

    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW });
    expect(counts.retired).toBe(2);
    const retired = await db.action.findUniqueOrThrow({ where: { id: shipping!.id } });
    expect(retired).toMatchObject({ status: "REJECTED", failureCode: "obsolete", openKey: null, rejectedById: null });
    expect(retired.rejectedAt).not.toBeNull();
    expect(await typesOf(fx.organizationId, ids.shortTitle)).toEqual([]);
    expect((await db.action.findUniqueOrThrow({ where: { id: photos.id } })).status).toBe("APPROVED");
    const entry = await db.auditLog.findFirst({ where: { organizationId: fx.organizationId, action: "actions.retired" }, orderBy: { createdAt: "desc" } });
    expect(entry).toMatchObject({ actorUserId: null, metadata: { count: 2, reason: "obsolete" } });

    // A recurring problem comes back as a new PENDING action: the retired one released its key.
    await db.listing.update({ where: { id: ids.noFreeShipping }, data: { freeShipping: false } });
    const again = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW, listingIds: [ids.noFreeShipping] });
    expect(again).toMatchObject({ listings: 1, created: 1, retired: 0 });
  });

  it("does not suggest again what a person rejected, or what was applied or failed, until the cool-down passes", async () => {
    const [restock] = await openActions(fx.organizationId, ids.lowStock);
    await db.action.update({
      where: { id: restock!.id },
      data: { status: "REJECTED", rejectedAt: new Date(), rejectedById: fx.users.OPERATOR.userId, openKey: null },
    });
    const [pause] = await openActions(fx.organizationId, ids.dead);
    await db.action.update({ where: { id: pause!.id }, data: { status: "APPLIED", appliedAt: new Date(), openKey: null } });

    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW, listingIds: [ids.lowStock, ids.dead] });
    expect(counts).toMatchObject({ listings: 2, created: 0, suppressed: 2, retired: 0 });
    expect(await typesOf(fx.organizationId, ids.lowStock)).toEqual([]);
    expect(await typesOf(fx.organizationId, ids.dead)).toEqual([]);

    // 31 days after the rejection the problem is suggested again.
    await db.action.update({ where: { id: restock!.id }, data: { rejectedAt: new Date(NOW.getTime() - 31 * DAY_MS) } });
    const later = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW, listingIds: [ids.lowStock] });
    expect(later).toMatchObject({ created: 1, suppressed: 0 });
  });

  it("retires the PENDING actions of a listing removed from the catalog", async () => {
    const [action] = await openActions(fx.organizationId, ids.noDescription);
    await db.listing.update({ where: { id: ids.noDescription }, data: { deletedAt: new Date() } });
    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: null, now: NOW });
    expect(counts.retired).toBe(1);
    expect(await db.action.findUniqueOrThrow({ where: { id: action!.id } })).toMatchObject({ status: "REJECTED", failureCode: "obsolete", openKey: null });
  });
});

describe("generateRecommendations: concurrency and tenants", () => {
  it("two concurrent runs create each action once", async () => {
    const fx = await createOrgFixture("gen-concurrent");
    for (let i = 0; i < 30; i++) await listing(fx, { title: "Fone JBL", freeShipping: i % 2 === 0, pictureCount: 1 + (i % 4) });
    const [a, b] = await Promise.all([
      generateRecommendations(db, fx.organizationId, { aiProvider: null, batchSize: 7 }),
      generateRecommendations(db, fx.organizationId, { aiProvider: null, batchSize: 11 }),
    ]);
    const open = await openActions(fx.organizationId);
    const keys = open.map((o) => `${o.listingId}:${o.type}`);
    expect(new Set(keys).size).toBe(keys.length);
    const generated = open.filter((o) => o.openKey !== null).length;
    expect(a.created + b.created).toBe(generated);
    expect(a.created + a.skippedDuplicate).toBe(b.created + b.skippedDuplicate);
  });

  it("a run for one organization never touches another's listings or actions", async () => {
    const a = await createOrgFixture("gen-tenant-a");
    const b = await createOrgFixture("gen-tenant-b");
    const bListing = await listing(b, { title: "Fone JBL", freeShipping: false });
    await listing(a, { freeShipping: false });
    const bActionsBefore = await db.action.findMany({ where: { organizationId: b.organizationId }, orderBy: { id: "asc" } });

    await generateRecommendations(db, a.organizationId, { aiProvider: null });
    // Even when asked for the other organization's listing ids.
    const crossed = await generateRecommendations(db, a.organizationId, { aiProvider: null, listingIds: [bListing, b.listingId] });
    expect(crossed).toMatchObject({ listings: 0, created: 0, retired: 0 });

    expect(await db.action.findMany({ where: { organizationId: b.organizationId }, orderBy: { id: "asc" } })).toEqual(bActionsBefore);
    const aActions = await db.action.findMany({ where: { organizationId: a.organizationId }, select: { listingId: true } });
    const bListings = new Set((await db.listing.findMany({ where: { organizationId: b.organizationId }, select: { id: true } })).map((l) => l.id));
    expect(aActions.some((x) => x.listingId && bListings.has(x.listingId))).toBe(false);
  });
});

describe("generateRecommendations with an LLM", () => {
  let server: OpenAiCompatibleServer;
  let provider: AiProviderConfig;

  beforeAll(async () => {
    server = await startOpenAiCompatibleServer();
    provider = { baseURL: server.baseURL, model: "test-model", apiKey: "test-key", timeoutMs: 5_000 };
  });
  afterAll(async () => server.close());
  beforeEach(() => server.reset());

  it("the LLM rewrites at most the limit, best expected gain first; the rest keep local copy", async () => {
    const fx = await createOrgFixture("gen-ai");
    // Missing brand and model and very short: the bigger gain, rewritten by the LLM.
    const best = await listing(fx, { title: "Fone" });
    const other = await listing(fx, { title: "Fone de Ouvido Bluetooth JBL Preto Dobrável Leve" });
    server.script({ kind: "content", content: { text: "Fone de Ouvido Bluetooth JBL Tune 510BT", notes: ["added model"] } });

    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: provider, aiLimit: 1 });
    expect(counts.aiSuggestions).toBe(1);
    expect(server.received).toHaveLength(1);

    const [ai] = await openActions(fx.organizationId, best);
    expect(ai).toMatchObject({ type: "REWRITE_TITLE", source: "AI" });
    expect(ai!.payload).toMatchObject({ title: "Fone de Ouvido Bluetooth JBL Tune 510BT", generator: "ai", previousTitle: "Fone" });
    const [local] = await openActions(fx.organizationId, other);
    expect(local).toMatchObject({ type: "REWRITE_TITLE", source: "LOCAL_GENERATOR" });
    expect(await db.aiUsage.count({ where: { organizationId: fx.organizationId, provider: "openai-compatible", outcome: "ok" } })).toBe(1);
  });

  it("a failing provider leaves the local suggestions in place, and the run stops asking after two failures", async () => {
    const fx = await createOrgFixture("gen-ai-down");
    const ids = [await listing(fx, { title: "Fone JBL" }), await listing(fx, { title: "Fone" }), await listing(fx, { description: null })];
    // Nothing scripted: the test server answers 500 to every call.
    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: provider, aiLimit: 5 });
    expect(counts.aiSuggestions).toBe(0);
    expect(server.received).toHaveLength(2);
    for (const id of ids) {
      const [action] = await openActions(fx.organizationId, id);
      expect(action!.source).toBe("LOCAL_GENERATOR");
    }
  });

  it("deferred: the run hands back the candidates and upgradeCopyWithAi rewrites them later", async () => {
    const fx = await createOrgFixture("gen-ai-defer");
    const id = await listing(fx, { title: "Fone JBL" });
    const counts = await generateRecommendations(db, fx.organizationId, { aiProvider: provider, aiLimit: 5, deferAi: true });
    const key = `${id}:REWRITE_TITLE`;
    expect(counts.aiCandidates).toContain(key);
    expect(server.received).toHaveLength(0);

    server.script({ kind: "content", content: { text: "Fone de Ouvido Bluetooth JBL Tune 510BT Preto", notes: [] } });
    expect(await upgradeCopyWithAi(db, fx.organizationId, { openKeys: [key], aiProvider: provider })).toBe(1);
    const [action] = await openActions(fx.organizationId, id);
    expect(action).toMatchObject({ source: "AI", payload: { title: "Fone de Ouvido Bluetooth JBL Tune 510BT Preto", generator: "ai" } });
    // Already rewritten (no longer local copy): a second call asks nothing.
    expect(await upgradeCopyWithAi(db, fx.organizationId, { openKeys: [key], aiProvider: provider })).toBe(0);
    expect(server.received).toHaveLength(1);
    // Another organization's keys are not found.
    const other = await createOrgFixture("gen-ai-defer-other");
    expect(await upgradeCopyWithAi(db, other.organizationId, { openKeys: [key], aiProvider: provider })).toBe(0);
    expect(server.received).toHaveLength(1);
  });
});

describe("generate-recommendations function", () => {
  it("runs after each score recompute, one run per organization at a time, and is registered", () => {
    expect(generateRecommendationsFn.opts.triggers).toEqual([expect.objectContaining({ name: "scores/recomputed" })]);
    expect(generateRecommendationsFn.opts.concurrency).toEqual({ limit: 1, key: "event.data.organizationId" });
    expect(functions).toContain(generateRecommendationsFn);
  });

  it("generates for the listings named in the event, on the real database", async () => {
    const fx = await createOrgFixture("gen-fn");
    const named = await listing(fx, { freeShipping: false });
    const other = await listing(fx, { freeShipping: false });
    const t = new InngestTestEngine({
      function: generateRecommendationsFn,
      events: [{ name: "scores/recomputed", data: { organizationId: fx.organizationId, listingIds: [named], correlationId: "corr-gen" } }],
    });
    const { result, ctx } = await t.execute();
    expect(result).toMatchObject({ listings: 1, created: 1 });
    expect(ctx.step.run).toHaveBeenCalledWith("generate", expect.any(Function));
    expect(await typesOf(fx.organizationId, named)).toEqual(["ENABLE_FREE_SHIPPING"]);
    expect(await typesOf(fx.organizationId, other)).toEqual([]);
  });
});
