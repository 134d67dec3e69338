/**
 * Platform administration against a real PostgreSQL: suspension (read-only organization, jobs
 * skipped, nothing claimed), bans, maintenance mode, feature flags, metrics and plan rules.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { INNGEST_APP_ID, inngest } from "~/server/jobs/client";
import { startLocalRunner, type LocalRunner } from "~/server/jobs/local/runner";
import { dispatchDue } from "~/server/services/publishing/dispatch";
import { isFeatureEnabled } from "~/server/services/platform/flags";
import { resetMaintenanceCache } from "~/server/services/platform/maintenance";
import { createPlatformAdmin } from "./access/admin";
import { callerFor, createOrgFixture, db, outcome, type OrgFixture } from "./helpers/fixtures";
import { effectFn, effectRequested } from "./helpers/job-functions";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The tRPC error's `data.reason` (what the UI translates), or "OK". */
async function reasonOf(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (error) {
    const e = error as { cause?: { reason?: string }; code?: string };
    return e.cause?.reason ?? e.code ?? "THREW";
  }
}

/** The fixture may already hold a subscription (the free plan): replace it. */
async function subscribe(organizationId: string, data: { planId: string; status: "ACTIVE" | "PAST_DUE"; interval?: "MONTH" | "YEAR"; testMode?: boolean; graceUntil?: Date }) {
  const row = { interval: "MONTH" as const, testMode: false, graceUntil: null, ...data };
  await db.subscription.upsert({ where: { organizationId }, create: { organizationId, ...row }, update: row });
}

let adminId: string;
let admin: Awaited<ReturnType<typeof callerFor>>;

beforeAll(async () => {
  adminId = await createPlatformAdmin();
  admin = await callerFor(adminId);
});

afterAll(async () => {
  // Never leave maintenance on for the files after this one.
  await db.platformSetting.deleteMany({ where: { key: "maintenance" } });
  resetMaintenanceCache();
});

describe("suspension", () => {
  let a: OrgFixture;
  let b: OrgFixture;
  beforeAll(async () => {
    a = await createOrgFixture("suspensa");
    b = await createOrgFixture("vizinha");
  });

  it("makes the organization read-only until reactivated; other organizations are unaffected", async () => {
    const owner = await callerFor(a.users.OWNER.userId);
    const other = await callerFor(b.users.OWNER.userId);

    const suspended = await admin.admin.suspendOrganization({ organizationId: a.organizationId, reason: "Pagamento contestado" });
    expect(suspended).toMatchObject({ status: "SUSPENDED", suspendedReason: "Pagamento contestado" });
    expect(suspended.suspendedAt).toBeInstanceOf(Date);

    expect(await reasonOf(() => owner.tenants.update({ name: "Nome Novo" }))).toBe("organizationSuspended");
    expect(await outcome(() => owner.tenants.update({ name: "Nome Novo" }))).toBe("FORBIDDEN");
    expect(await reasonOf(() => owner.scores.recompute({ listingId: a.listingId }))).toBe("organizationSuspended");
    // Reads keep working, and so do the member's own actions.
    expect(await outcome(() => owner.tenants.current())).toBe("OK");
    expect(await outcome(() => owner.listings.list({ limit: 10 }))).toBe("OK");
    expect(await outcome(() => owner.notifications.markAllRead())).toBe("OK");
    expect(await outcome(() => owner.tenants.switch({ organizationId: a.organizationId }))).toBe("OK");
    // The neighbour writes as usual.
    expect(await outcome(() => other.tenants.update({ name: "Vizinha Ativa" }))).toBe("OK");

    const audit = await db.auditLog.findFirst({ where: { organizationId: a.organizationId, action: "admin.organization.suspended" } });
    expect(audit).toMatchObject({ actorUserId: adminId, metadata: { reason: "Pagamento contestado" } });

    const reactivated = await admin.admin.reactivateOrganization({ organizationId: a.organizationId });
    expect(reactivated).toMatchObject({ status: "ACTIVE", suspendedAt: null, suspendedReason: null });
    expect(await outcome(() => owner.tenants.update({ name: "Nome Novo" }))).toBe("OK");
  });

  it("lets a member leave a suspended organization", async () => {
    const c = await createOrgFixture("saida");
    await admin.admin.suspendOrganization({ organizationId: c.organizationId, reason: "Teste de saída" });
    const viewer = await callerFor(c.users.VIEWER.userId);
    expect(await outcome(() => viewer.tenants.leave())).toBe("OK");
  });

  it("refuses suspending twice and reactivating an active organization", async () => {
    const c = await createOrgFixture("duas-vezes");
    await admin.admin.suspendOrganization({ organizationId: c.organizationId, reason: "Primeira vez" });
    expect(await reasonOf(() => admin.admin.suspendOrganization({ organizationId: c.organizationId, reason: "Segunda vez" }))).toBe("alreadySuspended");
    await admin.admin.reactivateOrganization({ organizationId: c.organizationId });
    expect(await reasonOf(() => admin.admin.reactivateOrganization({ organizationId: c.organizationId }))).toBe("notSuspended");
    expect(await outcome(() => admin.admin.organization({ organizationId: "does-not-exist" }))).toBe("NOT_FOUND");
  });

  it("keeps a suspended organization's due posts scheduled; they are claimed after reactivation", async () => {
    const c = await createOrgFixture("fila");
    const due = new Date(Date.now() - 60_000);
    await db.publication.update({ where: { id: c.social.publicationId }, data: { scheduledAt: due } });
    await admin.admin.suspendOrganization({ organizationId: c.organizationId, reason: "Fila parada" });

    const sent: unknown[] = [];
    const send = async (events: unknown[]) => void sent.push(...events);
    expect(await dispatchDue(db, new Date(), { organizationId: c.organizationId, send })).toEqual({ dispatched: 0, resent: 0 });
    expect(await db.publication.findUniqueOrThrow({ where: { id: c.social.publicationId }, select: { status: true } })).toEqual({ status: "SCHEDULED" });

    await admin.admin.reactivateOrganization({ organizationId: c.organizationId });
    expect((await dispatchDue(db, new Date(), { organizationId: c.organizationId, send })).dispatched).toBe(1);
    expect(sent).toHaveLength(1);
  });

  describe("background functions", () => {
    let runner: LocalRunner;
    beforeAll(async () => {
      runner = await startLocalRunner({ functions: [effectFn], cron: false, pollIntervalMs: 100, retryDelay: () => 150, standbyRetryMs: 200, concurrency: 2 });
      await runner.ready;
    });
    afterAll(async () => {
      await runner?.stop();
    });

    async function finishedRun(marker: string) {
      for (let i = 0; i < 200; i++) {
        const run = await db.jobRun.findFirst({ where: { functionId: `${INNGEST_APP_ID}-test-effect`, event: { path: ["data", "marker"], equals: marker } } });
        if (run && (run.status === "COMPLETED" || run.status === "FAILED")) return run;
        await sleep(100);
      }
      throw new Error(`run for ${marker} did not finish`);
    }

    it("skips a suspended organization's run and runs it normally once reactivated", async () => {
      const c = await createOrgFixture("jobs-suspensos");
      await admin.admin.suspendOrganization({ organizationId: c.organizationId, reason: "Jobs parados" });
      const skippedMarker = `skip-${Date.now().toString(36)}`;
      await inngest.send(effectRequested.create({ organizationId: c.organizationId, marker: skippedMarker }));
      const skipped = await finishedRun(skippedMarker);
      expect(skipped.status).toBe("COMPLETED");
      expect(skipped.output).toEqual({ skipped: "organizationSuspended" });
      expect(await db.auditLog.count({ where: { organizationId: c.organizationId, action: "test.jobs.effect", targetId: skippedMarker } })).toBe(0);

      await admin.admin.reactivateOrganization({ organizationId: c.organizationId });
      const ranMarker = `run-${Date.now().toString(36)}`;
      await inngest.send(effectRequested.create({ organizationId: c.organizationId, marker: ranMarker }));
      const ran = await finishedRun(ranMarker);
      expect(ran.output).toEqual({ marker: ranMarker });
      expect(await db.auditLog.count({ where: { organizationId: c.organizationId, action: "test.jobs.effect", targetId: ranMarker } })).toBe(1);
    });
  });
});

describe("bans", () => {
  it("closes every protected call of a banned user and reopens them on unban", async () => {
    const fx = await createOrgFixture("banido");
    const viewer = await callerFor(fx.users.VIEWER.userId);
    expect(await outcome(() => viewer.tenants.mine())).toBe("OK");
    await admin.admin.banUser({ userId: fx.users.VIEWER.userId, reason: "Spam nos comentários" });
    expect(await outcome(() => viewer.tenants.mine())).toBe("UNAUTHORIZED");
    expect(await outcome(() => viewer.tenants.current())).toBe("UNAUTHORIZED");
    const listed = await admin.admin.users({ limit: 5, search: fx.users.VIEWER.email });
    expect(listed.items).toEqual([expect.objectContaining({ id: fx.users.VIEWER.userId, bannedAt: expect.any(Date), organizations: 1 })]);
    await admin.admin.unbanUser({ userId: fx.users.VIEWER.userId });
    expect(await outcome(() => viewer.tenants.mine())).toBe("OK");
    expect(await db.auditLog.count({ where: { action: { in: ["admin.user.banned", "admin.user.unbanned"] }, targetId: fx.users.VIEWER.userId } })).toBe(2);
  });

  it("cannot ban yourself or another platform admin", async () => {
    const other = await createPlatformAdmin();
    expect(await reasonOf(() => admin.admin.banUser({ userId: adminId, reason: "Eu mesmo" }))).toBe("cannotBanSelf");
    expect(await reasonOf(() => admin.admin.banUser({ userId: other, reason: "Outro admin" }))).toBe("cannotBanAdmin");
    expect(await db.user.count({ where: { id: { in: [adminId, other] }, bannedAt: { not: null } } })).toBe(0);
  });
});

describe("maintenance mode", () => {
  it("refuses writes for everyone but platform admins; reads and the banner data stay available", async () => {
    const fx = await createOrgFixture("manutencao");
    const owner = await callerFor(fx.users.OWNER.userId);
    const on = await admin.admin.setMaintenance({ enabled: true, message: "Atualização do banco até 22h" });
    expect(on).toEqual({ enabled: true, message: "Atualização do banco até 22h" });
    try {
      expect(await outcome(() => owner.tenants.update({ name: "Durante Manutenção" }))).toBe("SERVICE_UNAVAILABLE");
      expect(await reasonOf(() => owner.tenants.create({ name: "Loja Nova" }))).toBe("maintenance");
      expect(await outcome(() => owner.tenants.current())).toBe("OK");
      // What the layouts render the banner from.
      expect(await admin.admin.maintenance()).toEqual({ enabled: true, message: "Atualização do banco até 22h" });
      // A platform admin who is also a member may still write.
      await db.user.update({ where: { id: fx.users.MANAGER.userId }, data: { isPlatformAdmin: true } });
      const adminMember = await callerFor(fx.users.MANAGER.userId);
      expect(await outcome(() => adminMember.tenants.update({ name: "Admin Escreve" }))).toBe("OK");
    } finally {
      await admin.admin.setMaintenance({ enabled: false, message: "" });
    }
    expect(await outcome(() => owner.tenants.update({ name: "Depois da Manutenção" }))).toBe("OK");
  });
});

describe("feature flags", () => {
  it("applies the global value, and an organization's override over it; removing the override falls back", async () => {
    const fx = await createOrgFixture("flags");
    const key = `test.flag-${Date.now().toString(36)}`;
    expect(await isFeatureEnabled(db, key, fx.organizationId)).toBe(false);
    await admin.admin.setFlag({ key, enabled: true, description: "Teste" });
    expect(await isFeatureEnabled(db, key, fx.organizationId)).toBe(true);
    await admin.admin.setFlagOverride({ key, organizationId: fx.organizationId, enabled: false });
    expect(await isFeatureEnabled(db, key, fx.organizationId)).toBe(false);
    expect(await isFeatureEnabled(db, key, null)).toBe(true);
    const flags = await admin.admin.flags();
    expect(flags.find((f) => f.key === key)).toMatchObject({ enabled: true, overrides: 1, known: false });
    expect(flags.find((f) => f.key === "ai.llm")).toMatchObject({ known: true });
    expect(await admin.admin.flagOverrides({ key })).toEqual([expect.objectContaining({ organizationId: fx.organizationId, enabled: false })]);
    await admin.admin.setFlagOverride({ key, organizationId: fx.organizationId, enabled: null });
    expect(await isFeatureEnabled(db, key, fx.organizationId)).toBe(true);
    expect(await admin.admin.flagOverrides({ key })).toEqual([]);
  });
});

describe("metrics", () => {
  it("counts organizations, MRR (live and test apart), connections, publications per day and users", async () => {
    const before = await admin.admin.metrics();
    const monthly = await createOrgFixture("mrr-mensal");
    const yearly = await createOrgFixture("mrr-anual");
    const test = await createOrgFixture("mrr-teste");
    const suspended = await createOrgFixture("mrr-suspensa");
    const plan = (code: string) => db.plan.findUniqueOrThrow({ where: { code } });
    const [pro, agencia] = [await plan("pro"), await plan("agencia")];
    await subscribe(monthly.organizationId, { planId: pro.id, status: "ACTIVE", interval: "MONTH" });
    await subscribe(yearly.organizationId, { planId: agencia.id, status: "ACTIVE", interval: "YEAR" });
    await subscribe(test.organizationId, { planId: pro.id, status: "ACTIVE", interval: "MONTH", testMode: true });
    // Past due beyond its grace: not revenue any more.
    await subscribe(suspended.organizationId, { planId: agencia.id, status: "PAST_DUE", graceUntil: new Date(Date.now() - 86_400_000) });
    await admin.admin.suspendOrganization({ organizationId: suspended.organizationId, reason: "Métricas" });
    await db.publication.update({ where: { id: monthly.social.publicationId }, data: { status: "PUBLISHED", publishedAt: new Date() } });

    const after = await admin.admin.metrics();
    expect(after.organizations.active - before.organizations.active).toBe(3);
    expect(after.organizations.suspended - before.organizations.suspended).toBe(1);
    expect(after.mrr.live.cents - before.mrr.live.cents).toBe(pro.priceMonthlyCents + Math.round(agencia.priceYearlyCents / 12));
    expect(after.mrr.live.subscriptions - before.mrr.live.subscriptions).toBe(2);
    expect(after.mrr.test.cents - before.mrr.test.cents).toBe(pro.priceMonthlyCents);
    expect(after.publishedPerDay).toHaveLength(14);
    expect(after.publishedPerDay.at(-1)!.day).toBe(new Date().toISOString().slice(0, 10));
    expect(after.publishedPerDay.at(-1)!.count - before.publishedPerDay.at(-1)!.count).toBe(1);
    // Each fixture brings one Mercado Livre and two Instagram accounts (all ACTIVE).
    const count = (m: typeof after, p: string) => m.connectionsByProvider.find((c) => c.provider === p)?.count ?? 0;
    expect(count(after, "MERCADOLIVRE") - count(before, "MERCADOLIVRE")).toBe(4);
    // Four roles and an invitee per fixture.
    expect(after.users.total - before.users.total).toBe(20);
  });

  it("lists organizations with plan, usage and status, searchable and paginated", async () => {
    const fx = await createOrgFixture("busca-admin");
    await subscribe(fx.organizationId, { planId: (await db.plan.findUniqueOrThrow({ where: { code: "pro" } })).id, status: "ACTIVE" });
    const page = await admin.admin.organizations({ limit: 5, search: (await db.organization.findUniqueOrThrow({ where: { id: fx.organizationId } })).slug.toUpperCase() });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: fx.organizationId, status: "ACTIVE", members: 4, plan: { code: "pro", basis: "subscription" }, subscriptionStatus: "ACTIVE" });
    expect(page.items[0]!.usage.find((u) => u.key === "marketplaceAccounts")).toEqual({ key: "marketplaceAccounts", used: 1, limit: 3 });

    const first = await admin.admin.organizations({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await admin.admin.organizations({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((o) => o.id)).not.toContain(first.items[0]!.id);
    expect(second.items.map((o) => o.id)).not.toContain(first.items[1]!.id);
  });
});

describe("plans", () => {
  const free = { code: "gratis", name: "Grátis", priceMonthlyCents: 0, priceYearlyCents: 0, limits: { marketplaceAccounts: 1, listings: 200, socialAccounts: 1, postsPerMonth: 20, aiCreditsPerMonth: 50, seats: 2 }, active: true };

  it("keeps the free plan active and free", async () => {
    expect(await reasonOf(() => admin.admin.updatePlan({ ...free, active: false }))).toBe("freePlanMustStayActive");
    expect(await reasonOf(() => admin.admin.updatePlan({ ...free, priceMonthlyCents: 990 }))).toBe("freePlanMustStayFree");
    expect(await outcome(() => admin.admin.updatePlan({ ...free, limits: { ...free.limits, seats: 0 } }))).toBe("BAD_REQUEST");
    const row = await db.plan.findUniqueOrThrow({ where: { code: "gratis" } });
    expect(row).toMatchObject({ active: true, priceMonthlyCents: 0, priceYearlyCents: 0 });
  });

  it("updates a paid plan, keeps its Stripe prices when not given, and lists inactive plans", async () => {
    const code = `plano-${Date.now().toString(36)}`;
    const created = await admin.admin.createPlan({ ...free, code, name: "Plano Teste", priceMonthlyCents: 5000, priceYearlyCents: 50000, stripePriceMonthlyId: "price_teste123", active: true });
    expect(created).toMatchObject({ code, isDefault: false, stripePriceMonthlyId: "price_teste123" });
    expect(await reasonOf(() => admin.admin.createPlan({ ...free, code, name: "De novo", priceMonthlyCents: 1, priceYearlyCents: 1 }))).toBe("planCodeTaken");
    const updated = await admin.admin.updatePlan({ ...free, code, name: "Plano Teste 2", priceMonthlyCents: 6000, priceYearlyCents: 60000, active: false });
    expect(updated).toMatchObject({ name: "Plano Teste 2", priceMonthlyCents: 6000, active: false, stripePriceMonthlyId: "price_teste123" });
    expect((await admin.admin.plans()).find((p) => p.code === code)).toMatchObject({ active: false });
    expect(await reasonOf(() => admin.admin.updatePlan({ ...free, code, priceMonthlyCents: 0, priceYearlyCents: 0, active: true }))).toBe("paidPlanNeedsPrice");
    expect(await outcome(() => admin.admin.updatePlan({ ...free, code: "nao-existe", priceMonthlyCents: 1, priceYearlyCents: 1 }))).toBe("NOT_FOUND");
  });
});
