/**
 * The soft-delete purge against real rows: through the real function (event sent with
 * `inngest.send`, executed by the local runner) and through the service directly (the daily cron's
 * system-wide pass, organizations and users included).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { INNGEST_APP_ID, inngest } from "~/server/jobs/client";
import { purgeRequested } from "~/server/jobs/events";
import { functions } from "~/server/jobs/functions";
import { startLocalRunner, type LocalRunner } from "~/server/jobs/local/runner";
import { PURGE_AUDIT_ACTION, purgeSoftDeletedRows } from "~/server/services/jobs/purge";
import { createOrgFixture, createUser, db, type OrgFixture } from "./helpers/fixtures";

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function seedRows(fx: OrgFixture, label: string) {
  const listing = (externalId: string, deletedAt: Date | null, connectionId = fx.connectionId) =>
    db.listing.create({
      data: { organizationId: fx.organizationId, connectionId, provider: "MERCADOLIVRE", externalId: `${label}-${externalId}`, title: externalId, priceCents: 100, deletedAt },
      select: { id: true },
    });
  const oldListing = await listing("old", daysAgo(40));
  const recentListing = await listing("recent", daysAgo(5));
  const liveListing = await listing("live", null);
  const oldContent = await db.content.create({ data: { organizationId: fx.organizationId, title: "old", deletedAt: daysAgo(31) }, select: { id: true } });
  const oldCampaign = await db.campaign.create({ data: { organizationId: fx.organizationId, name: "old", deletedAt: daysAgo(60) }, select: { id: true } });
  // An old deleted connection that still has a live listing: deleting it would cascade to that listing.
  const busyConnection = await db.connection.create({
    data: { organizationId: fx.organizationId, provider: "SHOPEE", kind: "MARKETPLACE", externalAccountId: `${label}-busy`, deletedAt: daysAgo(90) },
    select: { id: true },
  });
  const busyListing = await listing("busy-live", null, busyConnection.id);
  return { oldListing, recentListing, liveListing, oldContent, oldCampaign, busyConnection, busyListing };
}

const exists = {
  listing: (id: string) => db.listing.count({ where: { id } }).then(Boolean),
  content: (id: string) => db.content.count({ where: { id } }).then(Boolean),
  campaign: (id: string) => db.campaign.count({ where: { id } }).then(Boolean),
  connection: (id: string) => db.connection.count({ where: { id } }).then(Boolean),
};

describe("purge of soft-deleted rows", () => {
  let runner: LocalRunner;
  let a: OrgFixture;
  let b: OrgFixture;

  beforeAll(async () => {
    a = await createOrgFixture("purga");
    b = await createOrgFixture("purgb");
    runner = await startLocalRunner({ functions, cron: false, pollIntervalMs: 100, retryDelay: () => 150 });
    await runner.ready;
  });
  afterAll(() => runner.stop());

  it("runs for one organization when requested through inngest.send: old soft-deleted rows go, the rest stays, audited", async () => {
    const rowsA = await seedRows(a, "a");
    const rowsB = await seedRows(b, "b");
    const correlationId = `purge-${Date.now()}`;
    await inngest.send(purgeRequested.create({ organizationId: a.organizationId, userId: a.users.OWNER.userId, correlationId }));

    const fnId = `${INNGEST_APP_ID}-purge-soft-deleted`;
    let run = await db.jobRun.findFirst({ where: { functionId: fnId, organizationId: a.organizationId } });
    // The runner first drains runs other test files left queued in this shared database, so the
    // wait is generous: this checks what the purge does, not how fast the queue gets to it.
    for (let i = 0; i < 600 && run?.status !== "COMPLETED"; i++) {
      await sleep(100);
      run = await db.jobRun.findFirst({ where: { functionId: fnId, organizationId: a.organizationId } });
    }
    expect(run).toMatchObject({ status: "COMPLETED", userId: a.users.OWNER.userId, correlationId });

    expect(await exists.listing(rowsA.oldListing.id)).toBe(false);
    expect(await exists.content(rowsA.oldContent.id)).toBe(false);
    expect(await exists.campaign(rowsA.oldCampaign.id)).toBe(false);
    expect(await exists.listing(rowsA.recentListing.id)).toBe(true);
    expect(await exists.listing(rowsA.liveListing.id)).toBe(true);
    expect(await exists.listing(a.listingId)).toBe(true);
    expect(await exists.connection(rowsA.busyConnection.id)).toBe(true);
    expect(await exists.listing(rowsA.busyListing.id)).toBe(true);
    // Another organization is untouched by a scoped purge.
    expect(await exists.listing(rowsB.oldListing.id)).toBe(true);

    const entry = await db.auditLog.findFirst({ where: { organizationId: a.organizationId, action: PURGE_AUDIT_ACTION } });
    expect(entry).toMatchObject({ actorUserId: a.users.OWNER.userId, correlationId });
    expect((entry!.metadata as { counts: Record<string, number> }).counts).toEqual({ listings: 1, contents: 1, campaigns: 1 });
  }, 90_000);

  it("system-wide pass: organizations and users deleted long ago go too, with a system audit entry", async () => {
    const rowsB = await seedRows(b, "b2");
    const gone = await createOrgFixture("gone");
    await db.organization.update({ where: { id: gone.organizationId }, data: { deletedAt: daysAgo(45) } });
    const oldUser = await createUser("Old Person");
    await db.user.update({ where: { id: oldUser.userId }, data: { deletedAt: daysAgo(45) } });
    const recentUser = await createUser("Recent Person");
    await db.user.update({ where: { id: recentUser.userId }, data: { deletedAt: daysAgo(2) } });
    // Still the author of a pending invitation in B: kept, and reported as blocked.
    await db.user.update({ where: { id: b.users.MANAGER.userId }, data: { deletedAt: daysAgo(45) } });
    await db.invitation.create({
      data: { organizationId: b.organizationId, email: `x-${Date.now()}@example.test`, role: "VIEWER", tokenHash: `h-${Date.now()}`, invitedById: b.users.MANAGER.userId, expiresAt: new Date(Date.now() + DAY) },
    });

    const summary = await purgeSoftDeletedRows(db);
    expect(summary.byOrganization[b.organizationId]).toMatchObject({ listings: 2, contents: 2, campaigns: 2 });
    expect(summary.purgedOrganizations).toBeGreaterThanOrEqual(1);
    expect(summary.purgedUsers).toBeGreaterThanOrEqual(1);
    expect(summary.blockedUsers).toBeGreaterThanOrEqual(1);

    expect(await db.organization.count({ where: { id: gone.organizationId } })).toBe(0);
    expect(await db.listing.count({ where: { organizationId: gone.organizationId } })).toBe(0);
    expect(await db.user.count({ where: { id: oldUser.userId } })).toBe(0);
    expect(await db.user.count({ where: { id: recentUser.userId } })).toBe(1);
    expect(await db.user.count({ where: { id: b.users.MANAGER.userId } })).toBe(1);
    expect(await exists.listing(rowsB.recentListing.id)).toBe(true);
    expect(await exists.listing(rowsB.liveListing.id)).toBe(true);

    const system = await db.auditLog.findFirst({
      where: { organizationId: null, action: PURGE_AUDIT_ACTION },
      orderBy: { createdAt: "desc" },
    });
    expect((system!.metadata as { organizationIds: string[] }).organizationIds).toContain(gone.organizationId);
    expect(JSON.stringify(system!.metadata)).not.toContain("@example.test");

    // Idempotent: a second pass finds nothing of B's left to remove and audits nothing new for it.
    const again = await purgeSoftDeletedRows(db);
    expect(again.byOrganization[b.organizationId]).toBeUndefined();
    expect(await db.auditLog.count({ where: { organizationId: b.organizationId, action: PURGE_AUDIT_ACTION } })).toBe(1);
  });
});
