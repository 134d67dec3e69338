/**
 * The retention rules against a real PostgreSQL: for each rule, a row just past its period is
 * deleted and one just inside it is kept; the run writes one system audit entry with counts.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { env } from "~/env";
import { functions } from "~/server/jobs/functions";
import { privacyRetention } from "~/server/jobs/functions/privacy";
import { applyRetention, RETENTION_AUDIT_ACTION, RETENTION_RULES } from "~/server/services/privacy/retention";
import { createOrgFixture, db } from "./helpers/fixtures";

const DAY_MS = 86_400_000;
const NOW = new Date();
const daysOf = (key: string) => RETENTION_RULES.find((r) => r.key === key)!.days;
/** One day past / one day inside a rule's period. */
const old = (key: string) => new Date(NOW.getTime() - (daysOf(key) + 1) * DAY_MS);
const young = (key: string) => new Date(NOW.getTime() - (daysOf(key) - 1) * DAY_MS);

describe("privacy retention", () => {
  it("each rule removes what is past its period and keeps what is younger", async () => {
    const fx = await createOrgFixture("retention");
    const orgId = fx.organizationId;
    const userId = fx.users.OWNER.userId;
    const tag = randomUUID();

    const auditOld = await db.auditLog.create({ data: { organizationId: orgId, action: `test.retention.${tag}`, createdAt: old("auditLogs") } });
    const auditYoung = await db.auditLog.create({ data: { organizationId: orgId, action: `test.retention.${tag}`, createdAt: young("auditLogs") } });

    const sessionRevokedOld = await db.userSession.create({ data: { userId, expiresAt: new Date(NOW.getTime() + DAY_MS), revokedAt: old("sessions") } });
    const sessionExpiredOld = await db.userSession.create({ data: { userId, expiresAt: old("sessions") } });
    const sessionRevokedYoung = await db.userSession.create({ data: { userId, expiresAt: new Date(NOW.getTime() + DAY_MS), revokedAt: young("sessions") } });
    const sessionActive = await db.userSession.create({ data: { userId, expiresAt: new Date(NOW.getTime() + DAY_MS) } });

    const readOld = await db.notification.create({ data: { organizationId: orgId, userId, kind: "test", reads: { create: { userId, readAt: old("notifications") } } } });
    const readYoung = await db.notification.create({ data: { organizationId: orgId, userId, kind: "test", reads: { create: { userId, readAt: young("notifications") } } } });
    const unreadAncient = await db.notification.create({ data: { organizationId: orgId, userId, kind: "test", createdAt: old("notifications") } });

    const codeUsedOld = await db.recoveryCode.create({ data: { userId, codeHash: `old-${tag}`, usedAt: old("recoveryCodes") } });
    const codeUsedYoung = await db.recoveryCode.create({ data: { userId, codeHash: `young-${tag}`, usedAt: young("recoveryCodes") } });
    const codeUnused = await db.recoveryCode.create({ data: { userId, codeHash: `unused-${tag}`, createdAt: old("recoveryCodes") } });

    const eventOld = await db.processedExternalEvent.create({ data: { source: "test", externalId: `old-${tag}`, processedAt: old("externalEvents") } });
    const eventYoung = await db.processedExternalEvent.create({ data: { source: "test", externalId: `young-${tag}`, processedAt: young("externalEvents") } });

    const invite = (suffix: string, data: { expiresAt: Date; revokedAt?: Date; acceptedAt?: Date }) =>
      db.invitation.create({ data: { organizationId: orgId, email: `${suffix}-${tag}@example.com`, role: "VIEWER", tokenHash: `${suffix}-${tag}`, invitedById: userId, ...data } });
    const inviteExpiredOld = await invite("expired-old", { expiresAt: old("invitations") });
    const inviteRevokedOld = await invite("revoked-old", { expiresAt: new Date(NOW.getTime() + DAY_MS), revokedAt: old("invitations") });
    const inviteExpiredYoung = await invite("expired-young", { expiresAt: young("invitations") });
    const inviteAcceptedOld = await invite("accepted-old", { expiresAt: old("invitations"), acceptedAt: old("invitations") });

    const counts = await applyRetention(db, NOW);

    const exists = async (count: Promise<number>) => (await count) === 1;
    expect(await exists(db.auditLog.count({ where: { id: auditOld.id } }))).toBe(false);
    expect(await exists(db.auditLog.count({ where: { id: auditYoung.id } }))).toBe(true);
    expect(await exists(db.userSession.count({ where: { id: sessionRevokedOld.id } }))).toBe(false);
    expect(await exists(db.userSession.count({ where: { id: sessionExpiredOld.id } }))).toBe(false);
    expect(await exists(db.userSession.count({ where: { id: sessionRevokedYoung.id } }))).toBe(true);
    expect(await exists(db.userSession.count({ where: { id: sessionActive.id } }))).toBe(true);
    expect(await exists(db.notification.count({ where: { id: readOld.id } }))).toBe(false);
    expect(await exists(db.notification.count({ where: { id: readYoung.id } }))).toBe(true);
    expect(await exists(db.notification.count({ where: { id: unreadAncient.id } }))).toBe(true);
    expect(await exists(db.recoveryCode.count({ where: { id: codeUsedOld.id } }))).toBe(false);
    expect(await exists(db.recoveryCode.count({ where: { id: codeUsedYoung.id } }))).toBe(true);
    expect(await exists(db.recoveryCode.count({ where: { id: codeUnused.id } }))).toBe(true);
    expect(await exists(db.processedExternalEvent.count({ where: { id: eventOld.id } }))).toBe(false);
    expect(await exists(db.processedExternalEvent.count({ where: { id: eventYoung.id } }))).toBe(true);
    expect(await exists(db.invitation.count({ where: { id: inviteExpiredOld.id } }))).toBe(false);
    expect(await exists(db.invitation.count({ where: { id: inviteRevokedOld.id } }))).toBe(false);
    expect(await exists(db.invitation.count({ where: { id: inviteExpiredYoung.id } }))).toBe(true);
    expect(await exists(db.invitation.count({ where: { id: inviteAcceptedOld.id } }))).toBe(true);

    for (const key of ["auditLogs", "sessions", "notifications", "recoveryCodes", "externalEvents", "invitations"] as const) {
      expect(counts[key]).toBeGreaterThanOrEqual(key === "sessions" || key === "invitations" ? 2 : 1);
    }
    // One system entry, counts only.
    const entry = await db.auditLog.findFirstOrThrow({ where: { action: RETENTION_AUDIT_ACTION }, orderBy: { createdAt: "desc" } });
    expect(entry).toMatchObject({ organizationId: null, actorUserId: null, ip: null, userAgent: null });
    expect(entry.metadata).toMatchObject({ counts, days: { auditLogs: env.AUDIT_RETENTION_DAYS } });

    // A second run finds nothing of this test's rows left to remove (idempotent).
    await applyRetention(db, NOW);
    expect(await db.auditLog.count({ where: { id: auditYoung.id } })).toBe(1);
  });

  it("the daily function is registered with the app's functions", () => {
    expect(functions).toContain(privacyRetention);
  });

  it("audit rows are append-only outside the rule: a plain delete is refused", async () => {
    const row = await db.auditLog.create({ data: { action: "test.retention.guard", createdAt: new Date(0) } });
    await expect(db.auditLog.delete({ where: { id: row.id } })).rejects.toThrow();
  });
});
