/**
 * The action queue through the `actions` router on a real PostgreSQL: listing and filters,
 * approval rules (edit-then-approve, refusals with reasons, double approval), rejection, bulk
 * approval, regenerating copy with the local generator, retry rules, roles and tenancy, and the
 * measured effects (back-dated applied actions with metric snapshots, measured by the cron's
 * service).
 */
import { beforeAll, describe, expect, it } from "vitest";

import type { Prisma } from "~/generated/prisma/client";
import type { ActionStatus, ActionType } from "~/generated/prisma/enums";
import { insertAction } from "~/server/repositories/actions";
import { stuckApprovals } from "~/server/services/actions/actions";
import { measureDueEffects } from "~/server/services/actions/effects";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture } from "./helpers/fixtures";

let fx: OrgFixture;
let other: OrgFixture;
const DAY = 86_400_000;

async function newListing(org: OrgFixture, data: { title?: string; provider?: "MERCADOLIVRE" | "SHOPEE"; soldQuantity?: number; status?: "ACTIVE" | "PAUSED"; healthScore?: number } = {}) {
  const n = Math.random().toString(36).slice(2, 10);
  const connection = await db.connection.findFirstOrThrow({ where: { organizationId: org.organizationId } });
  return db.listing.create({
    data: {
      organizationId: org.organizationId,
      connectionId: connection.id,
      provider: data.provider ?? "MERCADOLIVRE",
      externalId: `MLB9${n}`,
      title: data.title ?? `Anúncio ${n}`,
      priceCents: 5_000,
      soldQuantity: data.soldQuantity ?? 0,
      status: data.status ?? "ACTIVE",
      healthScore: data.healthScore ?? null,
    },
  });
}

const TITLE = (title: string, previousTitle = "Antigo") => ({ title, previousTitle, maxLength: 60, generator: "local", notes: [] });

async function action(org: OrgFixture, type: ActionType, payload: Record<string, unknown>, extra: { listingId?: string; status?: ActionStatus; expectedGain?: number } = {}) {
  const listingId = extra.listingId ?? (await newListing(org)).id;
  const { id } = await insertAction(db, org.organizationId, { listingId, type, payload: payload as Prisma.InputJsonObject, reason: "test_reason", expectedGain: extra.expectedGain ?? 3, status: extra.status });
  return { id, listingId };
}

beforeAll(async () => {
  fx = await createOrgFixture("queue");
  other = await createOrgFixture("outro");
});

describe("list", () => {
  it("shows pending actions by default with their listing, and filters by type, marketplace, gain, listing and title", async () => {
    const fone = await newListing(fx, { title: "Fone de ouvido azul", healthScore: 41 });
    const a = await action(fx, "REWRITE_TITLE", TITLE("Fone de Ouvido Bluetooth Azul"), { listingId: fone.id, expectedGain: 9 });
    const b = await action(fx, "ADJUST_PRICE", { fromCents: 5000, toCents: 4500, referenceCents: 4500 }, { expectedGain: 2 });
    const shopee = await newListing(fx, { provider: "SHOPEE" });
    const c = await action(fx, "RESTOCK_ALERT", { currentStock: 1, daysOfCover: 2, suggestedStock: 30 }, { listingId: shopee.id, expectedGain: 4 });
    await action(fx, "ADJUST_PRICE", { fromCents: 5000, toCents: 4500, referenceCents: 4500 }, { status: "APPLIED" });

    const viewer = await callerFor(fx.users.VIEWER.userId);
    const all = await viewer.actions.list({ limit: 100 });
    expect(all.items.every((i) => i.status === "PENDING")).toBe(true);
    expect(all.items.map((i) => i.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    const first = all.items.find((i) => i.id === a.id)!;
    expect(first).toMatchObject({ type: "REWRITE_TITLE", reason: "test_reason", expectedGain: 9, source: "RULE", listing: { id: fone.id, title: "Fone de ouvido azul", provider: "MERCADOLIVRE", healthScore: 41 } });
    expect(first.payload).toMatchObject({ title: "Fone de Ouvido Bluetooth Azul" });

    expect((await viewer.actions.list({ limit: 100, type: "ADJUST_PRICE" })).items.map((i) => i.id)).toEqual([b.id]);
    expect((await viewer.actions.list({ limit: 100, provider: "SHOPEE" })).items.map((i) => i.id)).toEqual([c.id]);
    expect((await viewer.actions.list({ limit: 100, minExpectedGain: 4 })).items.map((i) => i.id).sort()).toEqual([a.id, c.id].sort());
    expect((await viewer.actions.list({ limit: 100, listingId: fone.id })).items.map((i) => i.id)).toEqual([a.id]);
    expect((await viewer.actions.list({ limit: 100, search: "OUVIDO" })).items.map((i) => i.id)).toEqual([a.id]);
    expect((await viewer.actions.list({ limit: 100, status: "APPLIED" })).items).toHaveLength(1);

    // Biggest expected gain first by default (what to do first); newest first on request.
    const gains = (await viewer.actions.list({ limit: 100 })).items.map((i) => i.expectedGain);
    expect(gains).toEqual([...gains].sort((x, y) => y - x));
    expect((await viewer.actions.list({ limit: 100 })).items.slice(0, 1).map((i) => i.id)).toEqual([a.id]);
    const newest = (await viewer.actions.list({ limit: 100, sort: "newest" })).items;
    expect(newest.map((i) => i.createdAt.getTime())).toEqual(newest.map((i) => i.createdAt.getTime()).sort((x, y) => y - x));
  });

  it("pages with a cursor without repeating rows", async () => {
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await viewer.actions.list({ limit: 2, cursor });
      seen.push(...page.items.map((r) => r.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const total = await db.action.count({ where: { organizationId: fx.organizationId, status: "PENDING" } });
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    // Another organization's id as a cursor starts nowhere.
    expect((await viewer.actions.list({ limit: 2, cursor: other.actionId })).items).toEqual([]);
  });
});

describe("approve", () => {
  it("refuses what is still only a suggestion, with a clear reason", async () => {
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const photos = await action(fx, "ADD_PHOTOS", { currentCount: 1, targetCount: 3, pictureUrls: [] });
    await expect(operator.actions.approve({ id: photos.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", cause: { reason: "actionPhotosMissing" } });
    const attrs = await action(fx, "COMPLETE_ATTRIBUTES", { attributes: [{ id: "BRAND", name: "Marca", value: null }] });
    await expect(operator.actions.approve({ id: attrs.id })).rejects.toMatchObject({ cause: { reason: "actionAttributesMissing" } });
    const title = await action(fx, "REWRITE_TITLE", TITLE("Novo título"));
    await expect(operator.actions.approve({ id: title.id, payload: { title: "x" } })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { reason: "actionPayloadInvalid" } });
    await expect(operator.actions.approve({ id: title.id, payload: { ...TITLE("T".repeat(61)), maxLength: 60 } })).rejects.toMatchObject({ cause: { reason: "actionTitleTooLong" } });
    expect((await db.action.findUniqueOrThrow({ where: { id: title.id } })).status).toBe("PENDING");

    // Filled in by the seller: approved.
    expect(await operator.actions.approve({ id: attrs.id, payload: { attributes: [{ id: "BRAND", name: "Marca", value: "Acme" }] } })).toEqual({ id: attrs.id, status: "APPROVED" });
  });

  it("re-runs applicability: a title is not changed on a Mercado Livre item that has sold", async () => {
    const sold = await newListing(fx, { soldQuantity: 3 });
    const { id } = await action(fx, "REWRITE_TITLE", TITLE("Título novo e melhor"), { listingId: sold.id });
    const operator = await callerFor(fx.users.OPERATOR.userId);
    await expect(operator.actions.approve({ id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED", cause: { reason: "actionNotApplicable", details: { rule: "title_locked_after_sales" } } });
  });

  it("keeps the generated payload when a person edits it, and a second approval is a CONFLICT", async () => {
    const { id } = await action(fx, "REWRITE_TITLE", TITLE("Sugestão gerada"));
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const manager = await callerFor(fx.users.MANAGER.userId);
    await operator.actions.approve({ id, payload: TITLE("Título escrito pela pessoa") });
    const row = await db.action.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "APPROVED", approvedById: fx.users.OPERATOR.userId, editedById: fx.users.OPERATOR.userId });
    expect(row.suggestedPayload).toMatchObject({ title: "Sugestão gerada" });
    expect(row.payload).toMatchObject({ title: "Título escrito pela pessoa" });
    await expect(manager.actions.approve({ id })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "actionAlreadyApproved" } });
    await expect(manager.actions.reject({ id })).rejects.toMatchObject({ code: "CONFLICT" });
    const audit = await db.auditLog.findMany({ where: { targetId: id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((e) => e.action)).toEqual(["action.edited", "action.approved"]);
  });

  it("lets only one of two simultaneous approvals win", async () => {
    const { id } = await action(fx, "ENABLE_FREE_SHIPPING", {});
    const [owner, manager] = await Promise.all([callerFor(fx.users.OWNER.userId), callerFor(fx.users.MANAGER.userId)]);
    const results = await Promise.all([outcome(() => owner.actions.approve({ id })), outcome(() => manager.actions.approve({ id }))]);
    expect(results.sort()).toEqual(["CONFLICT", "OK"]);
    expect(await db.auditLog.count({ where: { targetId: id, action: "action.approved" } })).toBe(1);
  });

  it("is refused to viewers and hides other organizations' actions", async () => {
    const { id } = await action(fx, "ENABLE_FREE_SHIPPING", {});
    expect(await outcome(async () => (await callerFor(fx.users.VIEWER.userId)).actions.approve({ id }))).toBe("FORBIDDEN");
    expect(await outcome(async () => (await callerFor(other.users.OWNER.userId)).actions.approve({ id }))).toBe("NOT_FOUND");
    expect(await outcome(async () => (await callerFor(other.users.OWNER.userId)).actions.get({ id }))).toBe("NOT_FOUND");
    expect((await db.action.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING");
  });
});

describe("reject, bulk approve, regenerate, retry", () => {
  it("rejects with a note: closed (open key freed), audited", async () => {
    const { id, listingId } = await action(fx, "PAUSE_LISTING", { daysWithoutSales: 90, visits30d: 2 });
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect(await operator.actions.reject({ id, note: "Produto sazonal" })).toEqual({ id, status: "REJECTED" });
    expect(await db.action.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "REJECTED", openKey: null, rejectedById: fx.users.OPERATOR.userId });
    // A new suggestion of the same type may open for the listing now.
    await insertAction(db, fx.organizationId, { listingId, type: "PAUSE_LISTING", payload: { daysWithoutSales: 91, visits30d: 2 }, reason: "dead_listing" });
    const detail = await operator.actions.get({ id });
    expect(detail.timeline.at(-1)).toMatchObject({ event: "rejected", note: "Produto sazonal", actor: { id: fx.users.OPERATOR.userId } });
  });

  it("bulk-approves what it can and says why it skipped the rest, one audit entry per action", async () => {
    const ok1 = await action(fx, "ENABLE_FREE_SHIPPING", {});
    const ok2 = await action(fx, "RESTOCK_ALERT", { currentStock: 0, daysOfCover: 0, suggestedStock: 10 });
    const noPhotos = await action(fx, "ADD_PHOTOS", { currentCount: 0, targetCount: 3, pictureUrls: [] });
    const done = await action(fx, "ENABLE_FREE_SHIPPING", {}, { status: "APPLIED" });
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const result = await operator.actions.bulkApprove({ ids: [ok1.id, ok2.id, noPhotos.id, done.id] });
    expect(result).toMatchObject({ approved: 2, skipped: 2 });
    expect(result.results).toEqual([
      { id: ok1.id, outcome: "approved" },
      { id: ok2.id, outcome: "approved" },
      { id: noPhotos.id, outcome: "skipped", reason: "actionPhotosMissing" },
      { id: done.id, outcome: "skipped", reason: "actionAlreadyApproved" },
    ]);
    expect(await db.auditLog.count({ where: { targetId: { in: [ok1.id, ok2.id] }, action: "action.approved" } })).toBe(2);
    // Mixing in another organization's id: NOT_FOUND, nothing approved.
    const pending = await action(fx, "ENABLE_FREE_SHIPPING", {});
    expect(await outcome(() => operator.actions.bulkApprove({ ids: [pending.id, other.actionId] }))).toBe("NOT_FOUND");
    expect((await db.action.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("PENDING");
  });

  it("regenerates a title with the local generator (no AI configured), metered, and only for copy actions", async () => {
    const listing = await newListing(fx, { title: "fone" });
    await db.listing.update({
      where: { id: listing.id },
      data: { categoryId: "MLB1234", attributes: [{ id: "BRAND", name: "Marca", value: "Acme" }, { id: "MODEL", name: "Modelo", value: "X200" }, { id: "COLOR", name: "Cor", value: "Preto" }] },
    });
    const { id } = await action(fx, "REWRITE_TITLE", TITLE("fone Acme", "fone"), { listingId: listing.id });
    const operator = await callerFor(fx.users.OPERATOR.userId);
    const usageBefore = await db.aiUsage.count({ where: { organizationId: fx.organizationId } });
    const result = await operator.actions.regenerateCopy({ id });
    expect(result.source).toBe("LOCAL_GENERATOR");
    expect(result.payload).toMatchObject({ generator: "local", previousTitle: "fone", maxLength: 60 });
    const title = (result.payload as { title: string }).title;
    expect(title.length).toBeGreaterThan(3);
    expect(title.length).toBeLessThanOrEqual(60);
    expect(await db.aiUsage.count({ where: { organizationId: fx.organizationId } })).toBe(usageBefore + 1);
    expect((await db.action.findUniqueOrThrow({ where: { id } })).payload).toMatchObject({ title });

    const price = await action(fx, "ADJUST_PRICE", { fromCents: 5000, toCents: 4500, referenceCents: 4500 });
    await expect(operator.actions.regenerateCopy({ id: price.id })).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { reason: "actionNotCopy" } });
  });

  it("retries only failed applies whose cause can go away", async () => {
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect(await operator.actions.retry({ id: fx.failedActionId })).toEqual({ id: fx.failedActionId, status: "APPROVED" });
    await expect(operator.actions.retry({ id: fx.failedActionId })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "actionNotFailed" } });
    const refused = await action(fx, "ENABLE_FREE_SHIPPING", {}, { status: "FAILED" });
    await db.action.update({ where: { id: refused.id }, data: { failureCode: "item.shipping.not_modifiable", failureReason: "no" } });
    await expect(operator.actions.retry({ id: refused.id })).rejects.toMatchObject({ cause: { reason: "actionNotRetryable" } });

    // Meanwhile the engine suggested the same kind of change again: that newer suggestion wins.
    const outage = await action(fx, "ADJUST_PRICE", { fromCents: 5000, toCents: 4700, referenceCents: 4700 }, { status: "FAILED" });
    await db.action.update({ where: { id: outage.id }, data: { failureCode: "retries_exhausted", failureReason: "503" } });
    await insertAction(db, fx.organizationId, { listingId: outage.listingId, type: "ADJUST_PRICE", payload: { fromCents: 5000, toCents: 4600, referenceCents: 4600 }, reason: "price_above_reference" });
    await expect(operator.actions.retry({ id: outage.id })).rejects.toMatchObject({ code: "CONFLICT", cause: { reason: "actionSuperseded" } });
    expect((await db.action.findUniqueOrThrow({ where: { id: outage.id } })).status).toBe("FAILED");
  });
});

describe("lost apply events", () => {
  it("lists approvals still waiting after ten minutes, with a fresh event id per requeue slot", async () => {
    const old = await action(fx, "ENABLE_FREE_SHIPPING", {});
    const fresh = await action(fx, "ENABLE_FREE_SHIPPING", {});
    const operator = await callerFor(fx.users.OPERATOR.userId);
    await operator.actions.approve({ id: old.id });
    await operator.actions.approve({ id: fresh.id });
    await db.action.update({ where: { id: old.id }, data: { approvedAt: new Date(Date.now() - 20 * 60_000) } });
    const now = new Date();
    const stuck = (await stuckApprovals(db, now)).filter((s) => s.organizationId === fx.organizationId);
    expect(stuck).toEqual([{ actionId: old.id, organizationId: fx.organizationId, userId: fx.users.OPERATOR.userId, eventId: expect.stringMatching(new RegExp(`^apply-${old.id}-0-requeue-\\d+$`)) }]);
    const later = (await stuckApprovals(db, new Date(now.getTime() + 10 * 60_000))).find((s) => s.actionId === old.id)!;
    expect(later.eventId).not.toBe(stuck[0]!.eventId);
  });
});

describe("effects", () => {
  it("measures applied actions at 7 and 30 days against the baseline, once each, and summarises per type", async () => {
    const org = await createOrgFixture("effects");
    const listing = await newListing(org, { healthScore: 72 });
    const now = new Date();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const appliedAt = new Date(today - 35 * DAY + 10 * 3_600_000);
    const appliedDay = today - 35 * DAY;
    // 30 days before: 10 visits and 1 sale a day; 30 days after: 20 visits and 3 sales a day.
    const snapshots = [];
    for (let d = 1; d <= 30; d++) snapshots.push({ date: new Date(appliedDay - d * DAY), visits: 10, sales: 1 });
    for (let d = 1; d <= 30; d++) snapshots.push({ date: new Date(appliedDay + d * DAY), visits: 20, sales: 3 });
    await db.listingMetricSnapshot.createMany({
      data: snapshots.map((s) => ({ organizationId: org.organizationId, listingId: listing.id, date: s.date, visits: s.visits, sales: s.sales, priceCents: 5000, stock: 10 })),
    });
    const { id } = await insertAction(db, org.organizationId, { listingId: listing.id, type: "REWRITE_TITLE", payload: TITLE("Título novo"), reason: "r", status: "APPLIED" });
    await db.action.update({ where: { id }, data: { appliedAt, baseline: { score: 55, visitsPerDay: 10, salesPerDay: 1, priceCents: 5000, at: appliedAt.toISOString() } } });
    // Applied 3 days ago: nothing is due yet.
    const recent = await insertAction(db, org.organizationId, { listingId: listing.id, type: "ADJUST_PRICE", payload: { fromCents: 5000, toCents: 4800, referenceCents: 4800 }, reason: "r", status: "APPLIED" });
    await db.action.update({ where: { id: recent.id }, data: { appliedAt: new Date(today - 3 * DAY), baseline: { score: 60 } } });

    // Applied 8 days ago: the week is over, but its last visits may still be on their way (48 h).
    const settling = await insertAction(db, org.organizationId, { listingId: listing.id, type: "RESTOCK_ALERT", payload: { currentStock: 0, daysOfCover: 0, suggestedStock: 9 }, reason: "r", status: "APPLIED" });
    await db.action.update({ where: { id: settling.id }, data: { appliedAt: new Date(today - 8 * DAY), baseline: { score: 60 } } });

    const viewer = await callerFor(org.users.VIEWER.userId);
    expect(await viewer.actions.effectsSummary()).toEqual([]);

    await measureDueEffects(db, now);
    await measureDueEffects(db, now); // a rerun measures nothing twice
    const effects = await db.actionEffect.findMany({ where: { organizationId: org.organizationId }, orderBy: { horizonDays: "asc" } });
    expect(effects.map((e) => [e.actionId, e.horizonDays])).toEqual([
      [id, 7],
      [id, 30],
    ]);
    expect(effects[0]).toMatchObject({ type: "REWRITE_TITLE", scoreBefore: 55, scoreAfter: 72, visitsPerDayBefore100: 1000, visitsPerDayAfter100: 2000, salesPerDayBefore100: 100, salesPerDayAfter100: 300 });
    expect(effects[1]).toMatchObject({ visitsPerDayBefore100: 1000, visitsPerDayAfter100: 2000 });

    expect(await viewer.actions.effectsSummary()).toEqual([
      { type: "REWRITE_TITLE", horizonDays: 7, count: 1, avgScoreChange: 17, avgVisitsPerDayChange: 10, avgSalesPerDayChange: 2 },
      { type: "REWRITE_TITLE", horizonDays: 30, count: 1, avgScoreChange: 17, avgVisitsPerDayChange: 10, avgSalesPerDayChange: 2 },
    ]);
    const detail = await viewer.actions.get({ id });
    expect(detail.effects).toHaveLength(2);
    expect(detail.effects[0]).toMatchObject({ horizonDays: 7, scoreBefore: 55, scoreAfter: 72, visitsPerDayBefore: 10, visitsPerDayAfter: 20 });
    // Two days later the settling action's week is measured too.
    await measureDueEffects(db, new Date(now.getTime() + 2 * DAY));
    expect(await db.actionEffect.findMany({ where: { actionId: settling.id }, select: { horizonDays: true } })).toEqual([{ horizonDays: 7 }]);
    // Another organization sees none of it.
    expect(await (await callerFor(other.users.OWNER.userId)).actions.effectsSummary()).toEqual([]);
  });
});
