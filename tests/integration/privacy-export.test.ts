/**
 * The LGPD data export against a real PostgreSQL: every category is present, no secret field or
 * value appears anywhere in the document, another person's data is absent, the export is audited.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";

import { logger } from "~/server/lib/logger";
import { EXPORT_SCHEMA_VERSION, exportFileName, exportMyData } from "~/server/services/privacy/export";
import { createOrgFixture, db } from "./helpers/fixtures";

const SECRET_KEYS = ["passwordHash", "twoFactorSecretEnc", "codeHash", "keyHash", "tokenHash", "accessTokenEnc", "refreshTokenEnc"];

describe("privacy export", () => {
  it("has every category of the person's data, no secrets, and nobody else's data", async () => {
    const fx = await createOrgFixture("export");
    const other = await createOrgFixture("export-other");
    const userId = fx.users.MANAGER.userId;
    const tag = randomUUID();
    const secret = `SECRET-${tag}`;
    await db.user.update({ where: { id: userId }, data: { passwordHash: `hash-${secret}`, twoFactorSecretEnc: `2fa-${secret}` } });
    await db.recoveryCode.create({ data: { userId, codeHash: `code-${secret}` } });
    await db.apiKey.create({ data: { organizationId: fx.organizationId, name: `Chave ${tag}`, prefix: "ss_live_ab", keyHash: `key-${secret}`, scopes: ["listings:read"], createdById: userId } });
    await db.userSession.create({ data: { userId, expiresAt: new Date(Date.now() + 86_400_000), userAgent: `agent-${tag}` } });
    await db.consentRecord.create({ data: { organizationId: fx.organizationId, userId, provider: "MERCADOLIVRE", version: "mercadolivre-2026-11", action: "GRANTED" } });
    await db.auditLog.create({ data: { organizationId: fx.organizationId, actorUserId: userId, action: `test.export.${tag}` } });
    await db.notification.create({ data: { organizationId: fx.organizationId, userId, kind: `test-${tag}` } });
    const content = await db.content.create({ data: { organizationId: fx.organizationId, title: `Conteúdo ${tag}`, createdById: userId } });
    await db.contentReviewComment.create({ data: { organizationId: fx.organizationId, contentId: content.id, authorId: userId, body: `Comentário ${tag}` } });
    await db.aiUsage.create({
      data: { organizationId: fx.organizationId, userId, feature: `feature-${tag}`, provider: "test", model: "m", promptTokens: 1, completionTokens: 1, latencyMs: 1 },
    });
    // Someone else's rows in another organization.
    const otherUserId = other.users.MANAGER.userId;
    await db.auditLog.create({ data: { organizationId: other.organizationId, actorUserId: otherUserId, action: `test.export.other.${tag}` } });
    await db.content.create({ data: { organizationId: other.organizationId, title: `Outro ${tag}`, createdById: otherUserId } });

    const now = new Date("2026-11-26T12:00:00Z");
    const doc = await exportMyData({ db, userId, request: { correlationId: "export-test", ip: "203.0.113.10" }, log: logger }, now);
    const json = JSON.stringify(doc);

    expect(doc).toMatchObject({ schemaVersion: EXPORT_SCHEMA_VERSION, generatedAt: now.toISOString(), profile: { id: userId, email: fx.users.MANAGER.email } });
    expect(Object.keys(doc).slice(0, 2)).toEqual(["schemaVersion", "generatedAt"]);
    expect(doc.memberships).toEqual([expect.objectContaining({ organizationId: fx.organizationId, role: "MANAGER" })]);
    expect(doc.sessions.some((s) => s.userAgent === `agent-${tag}`)).toBe(true);
    expect(doc.consents).toHaveLength(1);
    expect(doc.auditEntries.some((a) => a.action === `test.export.${tag}`)).toBe(true);
    expect(doc.notifications.some((n) => n.kind === `test-${tag}`)).toBe(true);
    expect(doc.contents.map((c) => c.title)).toContain(`Conteúdo ${tag}`);
    expect(doc.reviewComments.map((c) => c.body)).toContain(`Comentário ${tag}`);
    expect(doc.aiUsage.map((u) => u.feature)).toContain(`feature-${tag}`);
    expect(doc.apiKeys).toEqual([expect.objectContaining({ name: `Chave ${tag}`, prefix: "ss_live_ab", scopes: ["listings:read"] })]);
    for (const key of ["publications", "actionsApproved", "actionsRejected", "invitationsSent"] as const) expect(Array.isArray(doc[key])).toBe(true);

    // No secret anywhere: neither the values nor the field names.
    expect(json).not.toContain(secret);
    for (const key of SECRET_KEYS) expect(json).not.toContain(`"${key}"`);
    // Nobody else's data.
    expect(json).not.toContain(otherUserId);
    expect(json).not.toContain(`Outro ${tag}`);
    expect(json).not.toContain(`test.export.other.${tag}`);

    expect(await db.auditLog.count({ where: { actorUserId: userId, action: "privacy.exported" } })).toBe(1);
    expect(exportFileName(now)).toBe("super-seller-dados-2026-11-26.json");
  });

  it("is rate-limited per person", async () => {
    const fx = await createOrgFixture("export-limit");
    const ctx = { db, userId: fx.users.VIEWER.userId, request: { correlationId: "export-limit" }, log: logger };
    for (let i = 0; i < 5; i++) await exportMyData(ctx);
    await expect(exportMyData(ctx)).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  });
});
