/**
 * Health Score storage and API on a real PostgreSQL: the set-based recompute (scores, the history
 * rule, weights), the `scores` router (summary with bands, worst and movers; one listing with its
 * components; tenancy) and the background chain recompute.requested → scores → recomputed run by
 * the local jobs runner with the real function definitions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { inngest, INNGEST_APP_ID } from "~/server/jobs/client";
import { scoresRecomputed, scoresRecomputeRequested } from "~/server/jobs/events";
import { scoreFunctions } from "~/server/jobs/functions/scores";
import { startLocalRunner, type LocalRunner } from "~/server/jobs/local/runner";
import { upsertDailyVisits, upsertIngestedItems } from "~/server/repositories/listings";
import { toIngested } from "~/server/services/listings/ingest-mapping";
import { computeHealthScore } from "~/server/services/scores/engine";
import { recomputeScores } from "~/server/services/scores/recompute";
import type { ScoreInput } from "~/server/services/scores/types";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture } from "./helpers/fixtures";

const DAY = 86_400_000;
const utcDay = (ms: number) => new Date(new Date(ms).toISOString().slice(0, 10) + "T00:00:00.000Z");

type ListingSpec = {
  title: string;
  status?: "ACTIVE" | "PAUSED" | "UNDER_REVIEW";
  priceCents?: number;
  suggestedPriceCents?: number | null;
  qualityScore?: number | null;
  stock?: number;
  pictureCount?: number;
  tags?: string[];
  /** Daily visits and sales over the last `days` days (none = no snapshots). */
  daily?: { days: number; visits: number; sales: number };
};

const ATTRIBUTES = [
  { id: "BRAND", name: "Marca", value: "Acme" },
  { id: "MODEL", name: "Modelo", value: null },
];

async function createListing(fx: OrgFixture, spec: ListingSpec, now = Date.now()) {
  const listing = await db.listing.create({
    data: {
      organizationId: fx.organizationId,
      connectionId: fx.connectionId,
      provider: "MERCADOLIVRE",
      externalId: `MLB-${Math.random().toString(36).slice(2)}`,
      title: spec.title,
      status: spec.status ?? "ACTIVE",
      priceCents: spec.priceCents ?? 10_000,
      suggestedPriceCents: spec.suggestedPriceCents === undefined ? 10_000 : spec.suggestedPriceCents,
      qualityScore: spec.qualityScore === undefined ? 80 : spec.qualityScore,
      qualityRules: [],
      stock: spec.stock ?? 50,
      pictureCount: spec.pictureCount ?? 4,
      freeShipping: true,
      listingType: "gold_special",
      gtin: "7891234567895",
      description: "d".repeat(120),
      attributes: ATTRIBUTES,
      tags: spec.tags ?? [],
      // As a sync leaves it: visits and sales known from the first day of the metric history.
      ...(spec.daily ? { visitsSince: utcDay(now - (spec.daily.days - 1) * DAY), salesSince: utcDay(now - (spec.daily.days - 1) * DAY) } : {}),
    },
  });
  if (spec.daily) {
    await db.listingMetricSnapshot.createMany({
      data: Array.from({ length: spec.daily.days }, (_, d) => ({
        organizationId: fx.organizationId,
        listingId: listing.id,
        date: utcDay(now - d * DAY),
        visits: spec.daily!.visits,
        sales: spec.daily!.sales,
        priceCents: spec.priceCents ?? 10_000,
        stock: spec.stock ?? 50,
      })),
    });
  }
  return listing;
}

/** The engine's input for a listing made by createListing (what the service must have read). */
function inputOf(spec: ListingSpec, median: number | null): ScoreInput {
  const days = spec.daily ? Math.min(spec.daily.days, 30) : 0;
  return {
    provider: "MERCADOLIVRE",
    status: spec.status ?? "ACTIVE",
    title: spec.title,
    titleMaxLength: 60,
    description: "d".repeat(120),
    attributes: ATTRIBUTES,
    gtin: "7891234567895",
    pictureCount: spec.pictureCount ?? 4,
    tags: spec.tags ?? [],
    priceCents: spec.priceCents ?? 10_000,
    suggestedPriceCents: spec.suggestedPriceCents === undefined ? 10_000 : spec.suggestedPriceCents,
    freeShipping: true,
    listingType: "gold_special",
    qualityScore: spec.qualityScore === undefined ? 80 : spec.qualityScore,
    qualityRules: [],
    stock: spec.stock ?? 50,
    // 30-day equivalents over the known days (at least MIN_KNOWN_DAYS): a day's figures × 30.
    visits30d: spec.daily && days >= 7 ? spec.daily.visits * 30 : null,
    sales30d: spec.daily && days >= 7 ? spec.daily.sales * 30 : null,
    sellerMedianConversion: median,
    claimsRate: null,
    cancellationRate: null,
  };
}

function historyOf(organizationId: string, listingId?: string) {
  return db.healthScore.findMany({ where: { organizationId, ...(listingId ? { listingId } : {}) }, orderBy: { computedAt: "asc" } });
}

describe("ingestion of the score's inputs", () => {
  it("stores description, variations, catalog status and tags; keeps the description when a connector did not read it", async () => {
    const fx = await createOrgFixture("ingest-inputs");
    const scope = { organizationId: fx.organizationId, connectionId: fx.connectionId, provider: "MERCADOLIVRE" as const };
    const item = {
      externalId: "MLB900001",
      title: "Garrafa térmica 1 litro",
      categoryId: "MLB1234",
      status: "ACTIVE" as const,
      priceCents: 8_990,
      currency: "BRL",
      stock: 12,
      soldQuantity: 3,
      listingType: "gold_special",
      freeShipping: true,
      pictureCount: 4,
      gtin: null,
      permalink: null,
      thumbnailUrl: null,
      attributes: [],
      hasVariations: true,
      catalogListing: false,
    };
    const upsert = (fields: Partial<Parameters<typeof toIngested>[0]>) =>
      db.$transaction((tx) => upsertIngestedItems(tx, scope, [toIngested({ ...item, ...fields })], new Date(), new Date()));
    await upsert({ description: "Mantém a bebida quente por 12 horas.", tags: ["poor_quality_picture"] });
    const read = () => db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, externalId: "MLB900001" } });
    expect(await read()).toMatchObject({ description: "Mantém a bebida quente por 12 horas.", hasVariations: true, catalogListing: false, tags: ["poor_quality_picture"] });
    // A connector that reads neither description nor tags: the description stays, no flag means none.
    await upsert({ catalogListing: true });
    expect(await read()).toMatchObject({ description: "Mantém a bebida quente por 12 horas.", catalogListing: true, tags: [] });
    // An explicit null is "no description".
    await upsert({ description: null });
    expect((await read()).description).toBeNull();
  });
});

describe("when visits and sales are known", () => {
  it("daily visits mark visits known from the earliest day reported; lifetime views from the second sync; sales from the first ingestion", async () => {
    const fx = await createOrgFixture("known-days");
    const scope = { organizationId: fx.organizationId, connectionId: fx.connectionId, provider: "SHOPEE" as const };
    const base = {
      title: "Garrafa térmica 1 litro", categoryId: null, status: "ACTIVE" as const, priceCents: 8_990, currency: "BRL", stock: 12,
      soldQuantity: 3, listingType: null, freeShipping: false, pictureCount: 4, gtin: null, permalink: null, thumbnailUrl: null,
      attributes: [], hasVariations: false, catalogListing: false,
    };
    const today = utcDay(Date.now());
    const yesterday = utcDay(Date.now() - DAY);
    const ingest = (externalId: string, visitsLifetime: number, at: Date) =>
      db.$transaction((tx) => upsertIngestedItems(tx, scope, [{ ...toIngested({ ...base, externalId }), visitsLifetime }], at, at));
    const read = (externalId: string) => db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, externalId } });

    // Lifetime views: the first sync has no total to grow from (visits unknown); the next one does.
    await ingest("SHP-1", 100, yesterday);
    expect(await read("SHP-1")).toMatchObject({ visitsSince: null });
    expect((await read("SHP-1")).salesSince).not.toBeNull();
    await ingest("SHP-1", 130, today);
    expect(await read("SHP-1")).toMatchObject({ visitsSince: today });

    // Daily visits (Mercado Livre): known from the earliest day written, never moved forward.
    await ingest("MLB-1", 0, today);
    const listing = await read("MLB-1");
    const day = (n: number) => ({ listingId: listing.id, date: utcDay(Date.now() - n * DAY), visits: 10, priceCents: 8_990, stock: 12 });
    await upsertDailyVisits(db, fx.organizationId, [day(2), day(6), day(4)]);
    expect((await read("MLB-1")).visitsSince).toEqual(utcDay(Date.now() - 6 * DAY));
    await upsertDailyVisits(db, fx.organizationId, [day(1)]);
    expect((await read("MLB-1")).visitsSince).toEqual(utcDay(Date.now() - 6 * DAY));
  });
});

describe("recompute", () => {
  let fx: OrgFixture;
  const specs = {
    // Conversions 2 %, 1 % and 3 % → the seller's median is 2 % (the fixture's own listing has no visits).
    steady: { title: "Fone de ouvido bluetooth com cancelamento de ruído", daily: { days: 40, visits: 50, sales: 1 } },
    slow: { title: "Cabo USB-C", daily: { days: 30, visits: 100, sales: 1 }, priceCents: 12_000 },
    star: { title: "Carregador portátil 20000 mAh com carga rápida", daily: { days: 10, visits: 100, sales: 3 }, stock: 5 },
    review: { title: "Suporte de celular veicular magnético", status: "UNDER_REVIEW" as const, daily: { days: 30, visits: 0, sales: 0 } },
    fresh: { title: "Capa de silicone", qualityScore: null, suggestedPriceCents: null },
  } satisfies Record<string, ListingSpec>;
  const ids: Record<keyof typeof specs, string> = {} as never;

  beforeAll(async () => {
    fx = await createOrgFixture("scores");
    for (const [key, spec] of Object.entries(specs)) ids[key as keyof typeof specs] = (await createListing(fx, spec)).id;
  });

  it("scores every listing of the organization, reading 30 days of metrics and the seller's median", async () => {
    const result = await recomputeScores(db, fx.organizationId, { batchSize: 2 });
    // 5 listings here + the fixture's own; batches of 2 exercise the keyset.
    expect(result).toEqual({ scored: 6, changedScores: 6, historyRows: 6 });
    for (const [key, spec] of Object.entries(specs)) {
      const listing = await db.listing.findUniqueOrThrow({ where: { id: ids[key as keyof typeof specs] } });
      // 40 days of snapshots: only the last 30 count.
      const expected = computeHealthScore(inputOf(spec, 0.02));
      expect(listing.healthScore, key).toBe(expected.score);
      expect(listing.healthScoredAt).not.toBeNull();
      const [row] = await historyOf(fx.organizationId, listing.id);
      expect(row!.score).toBe(expected.score);
      expect(row!.confidence).toBeCloseTo(expected.confidence);
      expect(row!.missingInputs).toEqual(expected.missingInputs);
      expect(row!.components).toEqual(JSON.parse(JSON.stringify(expected.components)));
    }
    const review = await db.listing.findUniqueOrThrow({ where: { id: ids.review } });
    expect(review.healthScore).toBe(40);
    const fresh = (await historyOf(fx.organizationId, ids.fresh))[0]!;
    expect(fresh.missingInputs).toEqual(["qualityScore", "priceReference", "metrics", "claims", "cancellations"]);
  });

  it("writes history only when a score changes, or once a day when it does not", async () => {
    const before = (await historyOf(fx.organizationId)).length;
    // Nothing changed: every listing is scored again, no history row is added.
    expect(await recomputeScores(db, fx.organizationId)).toEqual({ scored: 6, changedScores: 0, historyRows: 0 });
    expect(await historyOf(fx.organizationId)).toHaveLength(before);
    // One listing's price moves 20 % above the reference: only its score, and history, move.
    const old = (await db.listing.findUniqueOrThrow({ where: { id: ids.steady } })).healthScore!;
    await db.listing.update({ where: { id: ids.steady }, data: { priceCents: 12_000 } });
    expect(await recomputeScores(db, fx.organizationId)).toEqual({ scored: 6, changedScores: 1, historyRows: 1 });
    const steady = await historyOf(fx.organizationId, ids.steady);
    expect(steady).toHaveLength(2);
    expect(steady[1]!.score).toBeLessThan(old);
    // A day later every listing gets its daily point even though nothing changed.
    expect(await recomputeScores(db, fx.organizationId, { now: new Date(Date.now() + 25 * 3_600_000) })).toMatchObject({ historyRows: 6 });
  });

  it("recomputes only the given listings", async () => {
    await db.listing.update({ where: { id: ids.slow }, data: { stock: 0 } });
    await db.listing.update({ where: { id: ids.star }, data: { stock: 0 } });
    const result = await recomputeScores(db, fx.organizationId, { listingIds: [ids.slow] });
    expect(result.scored).toBe(1);
    const [slow, star] = await Promise.all([
      db.listing.findUniqueOrThrow({ where: { id: ids.slow } }),
      db.listing.findUniqueOrThrow({ where: { id: ids.star } }),
    ]);
    expect(slow.healthScore).toBe(computeHealthScore({ ...inputOf(specs.slow, 0.02), stock: 0 }).score);
    expect(star.healthScore).toBe(computeHealthScore(inputOf(specs.star, 0.02)).score);
    await db.listing.update({ where: { id: ids.star }, data: { stock: 5 } });
    await db.listing.update({ where: { id: ids.slow }, data: { stock: 50 } });
  });

  it("a run for a few listings compares with the medians stored by the last whole-organization run", async () => {
    const own = await createOrgFixture("scores-medians");
    const a = await createListing(own, { title: "Caneca térmica", daily: { days: 30, visits: 100, sales: 1 } });
    await createListing(own, { title: "Garrafa", daily: { days: 30, visits: 100, sales: 3 } });
    await createListing(own, { title: "Copo", daily: { days: 30, visits: 100, sales: 5 } });
    // Conversions 1 %, 3 %, 5 %: median 3 %.
    await recomputeScores(db, own.organizationId);
    const settings = (await db.organization.findUniqueOrThrow({ where: { id: own.organizationId } })).settings as Record<string, unknown>;
    expect(settings.scoreMedians).toEqual({ [own.connectionId]: 0.03 });
    // The others stop selling; a run for "a" alone still compares with the stored 3 %.
    await db.listingMetricSnapshot.updateMany({ where: { organizationId: own.organizationId, listingId: { not: a.id } }, data: { sales: 0 } });
    await db.listing.update({ where: { id: a.id }, data: { stock: 49 } });
    await recomputeScores(db, own.organizationId, { listingIds: [a.id] });
    const spec = { title: "Caneca térmica", stock: 49, daily: { days: 30, visits: 100, sales: 1 } };
    expect(computeHealthScore(inputOf(spec, 0.03)).score).not.toBe(computeHealthScore(inputOf(spec, 0)).score);
    expect((await db.listing.findUniqueOrThrow({ where: { id: a.id } })).healthScore).toBe(computeHealthScore(inputOf(spec, 0.03)).score);
    // The next whole-organization run takes the new median (0 % → no baseline).
    await recomputeScores(db, own.organizationId);
    expect((await db.listing.findUniqueOrThrow({ where: { id: a.id } })).healthScore).toBe(computeHealthScore(inputOf(spec, 0)).score);
  });

  it("uses the organization's weights, stored through scores.setWeights with an audit entry", async () => {
    const manager = await callerFor(fx.users.MANAGER.userId);
    const weights = { marketplaceQuality: 0, contentCompleteness: 0, images: 0, offerCompetitiveness: 0, conversion: 0, stockHealth: 1, purchaseExperience: 0 };
    await manager.scores.setWeights({ weights });
    expect(await manager.scores.weights()).toMatchObject({ weights, defaults: { marketplaceQuality: 20 } });
    const entry = await db.auditLog.findFirst({ where: { organizationId: fx.organizationId, action: "scores.weights.updated" } });
    expect(entry).toMatchObject({ actorUserId: fx.users.MANAGER.userId, metadata: { after: weights } });
    // An all-zero set is refused; an operator may not change weights.
    expect(await outcome(() => manager.scores.setWeights({ weights: { ...weights, stockHealth: 0 } }))).toBe("BAD_REQUEST");
    expect(await outcome(async () => (await callerFor(fx.users.OPERATOR.userId)).scores.setWeights({ weights }))).toBe("FORBIDDEN");

    await recomputeScores(db, fx.organizationId);
    // Only stock health counts: "star" sold 3 a day over its 10 known days (30 units, 90 as a
    // 30-day equivalent) and has 5 left → 5·30/90 ≈ 1.7 days of cover → 100·1.67/15 = 11. Counting
    // the 20 days before its sales were known as days without sales would say 5 days and 33.
    const star = await db.listing.findUniqueOrThrow({ where: { id: ids.star } });
    expect(star.healthScore).toBe(11);
  });
});

describe("scores router", () => {
  let fx: OrgFixture;
  let other: OrgFixture;
  const now = Date.now();
  const ids: string[] = [];

  beforeAll(async () => {
    fx = await createOrgFixture("summary");
    other = await createOrgFixture("summary-other");
    // Twelve active listings whose quality score spreads them over the bands, one paused.
    for (let i = 0; i < 12; i++) {
      const listing = await createListing(fx, { title: `Produto ${i}`, qualityScore: i * 8, pictureCount: i % 4, suggestedPriceCents: i < 4 ? 5_000 : 10_000 });
      ids.push(listing.id);
    }
    ids.push((await createListing(fx, { title: "Pausado", status: "PAUSED", pictureCount: 0, qualityScore: 0, suggestedPriceCents: 5_000 })).id);
    // Seven and a half days ago: the first scores. Then two listings change: one for the better, one worse.
    await recomputeScores(db, fx.organizationId, { now: new Date(now - 7.5 * DAY) });
    await db.listing.update({ where: { id: ids[0]! }, data: { qualityScore: 100, pictureCount: 6, suggestedPriceCents: 10_000 } });
    await db.listing.update({ where: { id: ids[11]! }, data: { stock: 0, pictureCount: 0 } });
    await recomputeScores(db, fx.organizationId, { now: new Date(now) });
  });

  it("summarises bands, average and confidence, the worst active listings and the week's movers", async () => {
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const summary = await viewer.scores.summary();
    const listings = await db.listing.findMany({ where: { organizationId: fx.organizationId }, select: { id: true, healthScore: true, status: true, title: true } });
    const scores = listings.map((l) => l.healthScore!);
    expect(summary.total).toBe(listings.length);
    expect(summary.bands).toEqual({
      poor: scores.filter((s) => s < 40).length,
      fair: scores.filter((s) => s >= 40 && s < 70).length,
      good: scores.filter((s) => s >= 70).length,
      unscored: 0,
    });
    expect(summary.average).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / scores.length, 1);
    expect(summary.averageConfidence).toBeGreaterThan(0);
    expect(summary.averageConfidence).toBeLessThanOrEqual(1);
    expect(summary.lastScoredAt?.getTime()).toBe(now);

    const active = listings.filter((l) => l.status === "ACTIVE").sort((a, b) => a.healthScore! - b.healthScore! || (a.id < b.id ? -1 : 1));
    expect(summary.worst.map((w) => w.id)).toEqual(active.slice(0, 10).map((l) => l.id));
    expect(summary.worst.some((w) => w.title === "Pausado")).toBe(false);

    const history = await db.healthScore.findMany({ where: { organizationId: fx.organizationId, listingId: { in: [ids[0]!, ids[11]!] } }, orderBy: { computedAt: "asc" } });
    const first = (id: string) => history.find((h) => h.listingId === id)!.score;
    const current = (id: string) => listings.find((l) => l.id === id)!.healthScore!;
    expect(summary.movers.up).toEqual([
      { id: ids[0], title: "Produto 0", provider: "MERCADOLIVRE", score: current(ids[0]!), previous: first(ids[0]!), delta: current(ids[0]!) - first(ids[0]!) },
    ]);
    expect(summary.movers.down.map((m) => m.id)).toEqual([ids[11]]);
    expect(summary.movers.down[0]!.delta).toBeLessThan(0);
  });

  it("serves a listing's score with components and history; another tenant's listing is NOT_FOUND", async () => {
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const score = await viewer.scores.listing({ listingId: ids[0]! });
    expect(score.current).toMatchObject({ score: score.history.at(-1)!.score, penalty: null });
    expect(score.current!.components.map((c) => c.key)).toEqual([
      "marketplaceQuality",
      "contentCompleteness",
      "images",
      "offerCompetitiveness",
      "conversion",
      "stockHealth",
      "purchaseExperience",
    ]);
    // No snapshots: conversion and stock read as missing, not as zero.
    expect(score.current!.missingInputs).toEqual(["metrics", "claims", "cancellations"]);
    expect(score.current!.confidence).toBeCloseTo(0.65);
    expect(score.history).toHaveLength(2);
    expect(score.history[0]!.computedAt.getTime()).toBeLessThan(score.history[1]!.computedAt.getTime());

    const stranger = await callerFor(other.users.OWNER.userId);
    expect(await outcome(() => stranger.scores.listing({ listingId: ids[0]! }))).toBe("NOT_FOUND");
    expect(await outcome(() => stranger.scores.recompute({ listingId: ids[0]! }))).toBe("NOT_FOUND");
    // A listing never scored answers with no current score.
    expect(await stranger.scores.listing({ listingId: other.listingId })).toEqual({ listingId: other.listingId, current: null, history: [] });
  });

  it("shows the penalty of a listing under review", async () => {
    const review = await createListing(fx, { title: "Em revisão", status: "UNDER_REVIEW" });
    await recomputeScores(db, fx.organizationId, { listingIds: [review.id] });
    const score = await (await callerFor(fx.users.VIEWER.userId)).scores.listing({ listingId: review.id });
    expect(score.current).toMatchObject({ score: 40, penalty: "under_review" });
  });
});

describe("background functions", () => {
  let runner: LocalRunner;
  const recomputed: { organizationId: string; listingIds?: string[] }[] = [];
  // Stands in for the action engine: records each "scores/recomputed" it receives.
  const listener = inngest.createFunction({ id: "test-scores-recomputed", triggers: [scoresRecomputed], retries: 0 }, async ({ event }) => {
    recomputed.push({ organizationId: event.data.organizationId, listingIds: event.data.listingIds });
  });

  beforeAll(async () => {
    runner = await startLocalRunner({ functions: [...scoreFunctions, listener], cron: false, pollIntervalMs: 100, retryDelay: () => 200, concurrency: 3 });
    await runner.ready;
  });

  afterAll(async () => {
    await runner?.stop();
  });

  it("recompute.requested → scores written → recomputed sent with the same listing ids", async () => {
    const fx = await createOrgFixture("scores-chain");
    const listing = await createListing(fx, { title: "Mochila impermeável para notebook", daily: { days: 30, visits: 40, sales: 1 } });
    await inngest.send(scoresRecomputeRequested.create({ organizationId: fx.organizationId, listingIds: [listing.id] }));
    const deadline = Date.now() + 30_000;
    while (!recomputed.some((r) => r.organizationId === fx.organizationId)) {
      if (Date.now() > deadline) throw new Error("scores/recomputed never arrived");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(recomputed.find((r) => r.organizationId === fx.organizationId)).toEqual({ organizationId: fx.organizationId, listingIds: [listing.id] });
    const scored = await db.listing.findUniqueOrThrow({ where: { id: listing.id } });
    expect(scored.healthScore).toBe(computeHealthScore(inputOf({ title: "Mochila impermeável para notebook", daily: { days: 30, visits: 40, sales: 1 } }, 0.025)).score);
    // Only the listing asked for: the fixture's own listing stays unscored.
    expect((await db.listing.findUniqueOrThrow({ where: { id: fx.listingId } })).healthScore).toBeNull();
    const run = await db.jobRun.findFirst({ where: { organizationId: fx.organizationId, functionId: `${INNGEST_APP_ID}-recompute-health-scores` } });
    expect(run?.status).toBe("COMPLETED");

    // scores.recompute (an operator's button) goes through the same chain, for the whole organization.
    await (await callerFor(fx.users.OPERATOR.userId)).scores.recompute();
    while (!recomputed.some((r) => r.organizationId === fx.organizationId && r.listingIds === undefined)) {
      if (Date.now() > deadline) throw new Error("the organization-wide recompute never finished");
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await db.listing.findUniqueOrThrow({ where: { id: fx.listingId } })).healthScore).not.toBeNull();
  }, 40_000);
});
