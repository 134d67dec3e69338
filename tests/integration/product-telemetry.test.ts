/**
 * Product telemetry against a real PostgreSQL: real procedure calls record ids + a feature name
 * and nothing else; the organization's opt-out stops recording at once and deletes what was
 * recorded; the admin dashboard's numbers for a crafted dataset equal the hand-computed ones;
 * retention, export and the admin-only guard.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { appRouter } from "~/server/api/root";
import { FEATURE_OF_PATH, flushProductEvents, IGNORED_PATHS } from "~/server/services/product-telemetry/record";
import { productDashboard, startOfUtcWeek } from "~/server/services/product-telemetry/dashboard";
import { applyRetentionRule, PRODUCT_EVENT_RETENTION_DAYS, RETENTION_RULES } from "~/server/services/privacy/retention";
import { exportMyData } from "~/server/services/privacy/export";
import { logger } from "~/server/lib/logger";
import { createPlatformAdmin } from "./access/admin";
import { callerFor, createOrgFixture, createUser, db, outcome, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";
import { connectSandboxSeller, serveMercadoLivreSandbox } from "./helpers/mercadolivre-sandbox";

const DAY = 86_400_000;
const HOUR = 3_600_000;

async function eventsOf(organizationId: string) {
  await flushProductEvents();
  return db.productEvent.findMany({ where: { organizationId }, orderBy: { id: "asc" } });
}

describe("recording from real procedure calls", () => {
  let fx: OrgFixture;
  beforeAll(async () => {
    fx = await createOrgFixture("telemetria");
  });

  it("records a successful tenant call as ids + feature, never the input", async () => {
    const owner = await callerFor(fx.users.OWNER.userId);
    const viewer = await callerFor(fx.users.VIEWER.userId);
    const before = Date.now();
    await owner.listings.list({ limit: 5, search: "segredo-do-vendedor" });
    await owner.listings.list({ limit: 7, search: "segredo-do-vendedor" }); // same member, same feature, within a minute: one use
    await viewer.tenants.members.list();
    await owner.tenants.current(); // the shell's own lookup: not usage
    expect(await outcome(() => viewer.tenants.update({ name: "Não pode" }))).toBe("FORBIDDEN"); // refused: not recorded

    const rows = await eventsOf(fx.organizationId);
    expect(rows.map((r) => [r.userId, r.feature])).toEqual([
      [fx.users.OWNER.userId, "listings.view"],
      [fx.users.VIEWER.userId, "tenants.members.list"], // unmapped: recorded by its path
    ]);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(["feature", "id", "occurredAt", "organizationId", "userId"]);
      expect(row.occurredAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    }
    // Nothing typed by the person reaches the table, in any column.
    const raw = await db.$queryRaw<{ j: string }[]>`SELECT row_to_json(e)::text AS j FROM product_events e WHERE organization_id = ${fx.organizationId}`;
    for (const { j } of raw) {
      expect(j).not.toContain("segredo");
      expect(j).not.toContain("@example.test");
    }
  });

  it("an opted-out organization records nothing, and opting out deletes what was recorded", async () => {
    const manager = await callerFor(fx.users.MANAGER.userId);
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect(await manager.productTelemetry.settings()).toEqual({ enabled: true });
    const recorded = (await eventsOf(fx.organizationId)).length;
    expect(recorded).toBeGreaterThan(0);

    expect(await operator.productTelemetry.setEnabled({ enabled: false }).catch((e: { code: string }) => e.code)).toBe("FORBIDDEN");
    const result = await manager.productTelemetry.setEnabled({ enabled: false });
    expect(result.enabled).toBe(false);
    expect(result.deletedEvents).toBeGreaterThanOrEqual(recorded);
    expect(await eventsOf(fx.organizationId)).toEqual([]);
    expect(await operator.productTelemetry.settings()).toEqual({ enabled: false });

    const entry = await db.auditLog.findFirstOrThrow({ where: { organizationId: fx.organizationId, action: "organization.productTelemetryChanged" }, orderBy: { createdAt: "desc" } });
    expect(entry.actorUserId).toBe(fx.users.MANAGER.userId);
    expect(entry.metadata).toMatchObject({ before: true, after: false });

    // Calls right after the opt-out: none recorded.
    await operator.listings.list({ limit: 3 });
    await operator.scores.weights();
    await manager.actions.list({ limit: 3 });
    expect(await eventsOf(fx.organizationId)).toEqual([]);

    // Back on: recording resumes (a feature not used in the last minute, so not deduplicated).
    expect((await manager.productTelemetry.setEnabled({ enabled: true })).enabled).toBe(true);
    await manager.billing.current();
    expect((await eventsOf(fx.organizationId)).map((r) => r.feature)).toEqual(["billing.view"]);
  });

  it("the person's events are in their data export", async () => {
    const doc = await exportMyData({ db, userId: fx.users.MANAGER.userId, request: { correlationId: "test-export" }, log: logger });
    expect(doc.productEvents).toEqual([{ organizationId: fx.organizationId, feature: "billing.view", occurredAt: expect.any(Date) }]);
  });
});

describe("the feature map", () => {
  it("names only procedures that exist (a renamed procedure must update the map)", () => {
    const paths = new Set(Object.keys(appRouter._def.procedures));
    expect([...Object.keys(FEATURE_OF_PATH), ...IGNORED_PATHS].filter((p) => !paths.has(p))).toEqual([]);
  });
});

describe("explicit events", () => {
  it("connecting an account through the OAuth callback records connections.connected", async () => {
    const served = await serveMercadoLivreSandbox({ catalogSize: 3, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "product-telemetry-test" });
    try {
      const fx = await createOrgFixture("telemetria-conexao");
      await connectSandboxSeller(tenantCtxOf(fx, "OWNER"), 7_100_001);
      expect((await eventsOf(fx.organizationId)).map((r) => [r.userId, r.feature])).toEqual([[fx.users.OWNER.userId, "connections.connected"]]);
    } finally {
      await served.close();
    }
  });
});

describe("retention", () => {
  it("the daily retention removes events older than 13 months and keeps younger ones", async () => {
    const fx = await createOrgFixture("telemetria-retencao");
    const now = new Date();
    const rule = RETENTION_RULES.find((r) => r.key === "productEvents")!;
    expect(rule.days).toBe(PRODUCT_EVENT_RETENTION_DAYS);
    const old = await db.productEvent.create({ data: { organizationId: fx.organizationId, feature: "listings.view", occurredAt: new Date(now.getTime() - (rule.days + 1) * DAY) } });
    const young = await db.productEvent.create({ data: { organizationId: fx.organizationId, feature: "listings.view", occurredAt: new Date(now.getTime() - (rule.days - 1) * DAY) } });
    expect(await applyRetentionRule(db, rule, now)).toBeGreaterThanOrEqual(1);
    expect(await db.productEvent.count({ where: { id: old.id } })).toBe(0);
    expect(await db.productEvent.count({ where: { id: young.id } })).toBe(1);
  });
});

describe("admin dashboard", () => {
  // A far-future "now": the dashboard's windows hold only the organizations crafted here, never
  // the fixtures other test files create at the real current time.
  const NOW = new Date("2031-03-05T12:00:00Z"); // a Wednesday
  const W = (k: number) => new Date(startOfUtcWeek(NOW).getTime() - (7 - k) * 7 * DAY); // W(7) = this week's Monday

  beforeAll(async () => {
    expect(W(7).toISOString()).toBe("2031-03-03T00:00:00.000Z");
    const users = await Promise.all(["a1", "a2", "b1", "c1", "d1"].map((n) => createUser(n)));
    const [a1, a2, b1, c1, d1] = users.map((u) => u.userId) as [string, string, string, string, string];
    const org = async (label: string, createdAt: Date, settings: object = {}) =>
      (await db.organization.create({ data: { name: label, slug: `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, createdAt, settings } })).id;
    const A = await org("tel-a", new Date(W(0).getTime() + DAY));
    const B = await org("tel-b", new Date(W(0).getTime() + 2 * DAY));
    const C = await org("tel-c", new Date(W(1).getTime() + HOUR));
    const D = await org("tel-d", new Date(W(1).getTime() + DAY), { productTelemetry: false });
    await org("tel-e", new Date(W(2).getTime() + DAY));
    const ev = (organizationId: string, userId: string, feature: string, at: Date) => ({ organizationId, userId, feature, occurredAt: at });
    await db.productEvent.createMany({
      data: [
        // A: connected, explored and approved within 14 days → activated.
        ev(A, a1, "connections.connected", new Date(W(0).getTime() + DAY + HOUR)),
        ev(A, a2, "listings.view", new Date(W(0).getTime() + 2 * DAY)),
        ev(A, a1, "actions.approve", new Date(W(0).getTime() + 3 * DAY)),
        ev(A, a1, "listings.view", new Date(W(1).getTime() + DAY)),
        ev(A, a1, "listings.view", new Date(W(3).getTime() + 2 * DAY)),
        ev(A, a1, "listings.view", new Date(W(6).getTime() + DAY)),
        ev(A, a2, "listings.view", new Date(W(6).getTime() + DAY)),
        // B: explored and approved early, but connected only 20 days after signing up → not activated.
        ev(B, b1, "listings.view", new Date(W(0).getTime() + 3 * DAY)),
        ev(B, b1, "actions.approve", new Date(W(0).getTime() + 5 * DAY)),
        ev(B, b1, "connections.connected", new Date(W(3).getTime() + DAY)),
        // C: connected and scheduled a post → activated; active again in its 6th week.
        ev(C, c1, "connections.connected", new Date(W(1).getTime() + DAY)),
        ev(C, c1, "publications.schedule", new Date(W(1).getTime() + 2 * DAY)),
        ev(C, c1, "actions.approve", new Date(W(7).getTime() + HOUR)),
        // D opted out: rows left behind (they would be deleted by the opt-out) must not count anywhere.
        ev(D, d1, "connections.connected", new Date(W(1).getTime() + 2 * DAY)),
        ev(D, d1, "actions.approve", new Date(W(1).getTime() + 3 * DAY)),
        ev(D, d1, "listings.view", new Date(W(2).getTime())),
        ev(D, d1, "listings.view", new Date(W(6).getTime() + DAY)),
      ],
    });
  });

  it("activation, weekly actives, retention cohorts and feature usage equal the hand-computed numbers", async () => {
    const adminId = await createPlatformAdmin();
    const d = await productDashboard({ db, userId: adminId, request: { correlationId: "test" }, log: logger }, NOW);

    // Window: organizations A, B, C, E (D opted out).
    expect(d.activation.organizations).toBe(4);
    expect(d.activation.milestones.map((m) => [m.key, m.organizations, m.percent])).toEqual([
      ["connected", 2, 50], // A, C (B connected after 20 days)
      ["explored", 2, 50], // A, B
      ["firstValue", 3, 75], // A, B, C
    ]);
    expect(d.activation.activated).toEqual({ organizations: 2, percent: 50 }); // A, C

    expect(d.weeklyActive.map((w) => [w.week.toISOString().slice(0, 10), w.organizations, w.users])).toEqual([
      ["2031-01-13", 2, 3], // A (a1, a2), B (b1)
      ["2031-01-20", 2, 2], // A (a1), C (c1)
      ["2031-01-27", 0, 0], // only D
      ["2031-02-03", 2, 2], // A (a1), B (b1)
      ["2031-02-10", 0, 0],
      ["2031-02-17", 0, 0],
      ["2031-02-24", 1, 2], // A (a1, a2)
      ["2031-03-03", 1, 1], // C (c1)
    ]);

    const pct = (row: number) => d.retention[row]!.cells.map((c) => (c === null ? null : c.percent));
    expect(d.retention.map((r) => r.organizations)).toEqual([2, 1, 1, 0, 0, 0, 0, 0]);
    expect(pct(0)).toEqual([100, 50, 0, 100, 0, 0, 50, 0]); // A and B, signed up in W0
    expect(pct(1)).toEqual([100, 0, 0, 0, 0, 0, 100, null]); // C (D excluded)
    expect(pct(2)).toEqual([0, 0, 0, 0, 0, 0, null, null]); // E, never active
    expect(pct(7)).toEqual([0, null, null, null, null, null, null, null]);

    // The last 30 days: from W(3) + 12 h.
    expect(d.features.rows).toEqual([
      { feature: "listings.view", events: 3, organizations: 1, users: 2 },
      { feature: "actions.approve", events: 1, organizations: 1, users: 1 },
      { feature: "connections.connected", events: 1, organizations: 1, users: 1 },
    ]);
  });

  it("is for platform admins only, and answers them through the procedure", async () => {
    const fx = await createOrgFixture("telemetria-admin");
    expect(await outcome(async () => (await callerFor(fx.users.OWNER.userId)).productTelemetry.dashboard())).toBe("FORBIDDEN");
    expect(await outcome(async () => (await callerFor(null)).productTelemetry.dashboard())).toBe("UNAUTHORIZED");
    const admin = await callerFor(await createPlatformAdmin());
    const d = await admin.productTelemetry.dashboard();
    expect(d.weeklyActive).toHaveLength(8);
    expect(d.retention).toHaveLength(8);
  });
});
