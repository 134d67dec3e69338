/**
 * Encryption key rotation against real rows: connection tokens written through the connections
 * repository and read back through the token service, webhook endpoint secrets created and
 * rotated through the webhook service, and an owner's two-factor secret enrolled through the
 * security procedures and checked with the sign-in's verification. The key ring is swapped with setKeyRing (what a deploy with
 * new TOKEN_ENCRYPTION_KEY / TOKEN_ENCRYPTION_PREVIOUS_KEYS does), and reencryptSecrets runs
 * against this test's organizations only, so other files' rows keep the environment's key.
 */
import { randomBytes } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { ciphertextKeyId, encryptSecret, keyId, type KeyRing } from "~/server/lib/crypto";
import { decrypt, encrypt, setKeyRing } from "~/server/lib/secrets";
import { updateConnection } from "~/server/repositories/connections";
import { SEALED_TABLES, type SealedTable } from "~/server/repositories/secrets-at-rest";
import { freshCredentials } from "~/server/services/connectors/tokens";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { createWebhookEndpoint, rotateWebhookSecret } from "~/server/services/developer/webhooks/endpoints";
import { findTwoFactorState } from "~/server/repositories/two-factor";
import { verifySecondFactor } from "~/server/services/accounts/two-factor";
import { totpFor } from "~/server/services/accounts/two-factor-totp";
import { reencryptSecrets } from "~/server/services/ops/reencrypt";
import { callerFor, createOrgFixture, db, type OrgFixture, tenantCtxOf } from "./helpers/fixtures";

const K1 = randomBytes(32);
const K2 = randomBytes(32);
const STRANGER = randomBytes(32);
const id1 = keyId(K1);
const id2 = keyId(K2);

let fx: OrgFixture;
let other: OrgFixture;
let endpointA: string;
let endpointB: string;
let secretA: string;
let secretB: string;
let totpSecret: string;
const DAY = 86_400_000;

/** A TOTP code `offset` periods away (the server accepts ±1 step, each step once). */
const totpAt = (secret: string, offset: number) => totpFor(secret, "x", "x").generate({ timestamp: Date.now() + offset * 30_000 });

async function verifiesTotp(userId: string, offset: number) {
  const user = await findTwoFactorState(db, userId);
  return verifySecondFactor(db, { correlationId: "key-rotation" }, user!, totpAt(totpSecret, offset));
}

async function sealedValues(organizationId: string) {
  const connections = await db.connection.findMany({ where: { organizationId }, select: { id: true, accessTokenEnc: true, refreshTokenEnc: true } });
  const endpoints = await db.webhookEndpoint.findMany({ where: { organizationId }, select: { id: true, secretEnc: true } });
  const users = await db.user.findMany({ where: { memberships: { some: { organizationId } }, twoFactorSecretEnc: { not: null } }, select: { twoFactorSecretEnc: true } });
  return [
    ...connections.flatMap((c) => [c.accessTokenEnc, c.refreshTokenEnc]).filter((v): v is string => v !== null),
    ...endpoints.map((e) => e.secretEnc),
    ...users.map((u) => u.twoFactorSecretEnc!),
  ];
}

const use = (ring: KeyRing) => setKeyRing(ring);

beforeAll(async () => {
  fx = await createOrgFixture("rotation");
  other = await createOrgFixture("rotation-other");
  use({ current: K1, previous: [] });
  // A connected account's tokens, not expiring soon (so freshCredentials decrypts the stored token).
  await updateConnection(db, fx.organizationId, fx.connectionId, {
    accessTokenEnc: encrypt("APP_USR-access-1"),
    refreshTokenEnc: encrypt("TG-refresh-1"),
    expiresAt: new Date(Date.now() + DAY),
    status: "ACTIVE",
  });
  const a = await createWebhookEndpoint(tenantCtxOf(fx), { url: "https://hooks.example.com/a", events: ["action.applied"] });
  const b = await createWebhookEndpoint(tenantCtxOf(fx), { url: "https://hooks.example.com/b", events: ["action.failed"] });
  endpointA = a.endpoint.id;
  secretA = a.secret;
  endpointB = b.endpoint.id;
  secretB = b.secret;
  // The owner turns on two-factor authentication: the secret is stored under K1.
  const owner = await callerFor(fx.users.OWNER.userId);
  const setup = await owner.security.twoFactor.beginSetup();
  totpSecret = setup.secret;
  await owner.security.twoFactor.confirmSetup({ code: totpAt(totpSecret, -1) });
  // Another tenant's row under K1: not touched by a run scoped to fx's organization.
  await updateConnection(db, other.organizationId, other.connectionId, { accessTokenEnc: encrypt("other-access"), expiresAt: new Date(Date.now() + DAY) });
});

afterAll(async () => {
  setKeyRing(null);
  // Leave nothing under this file's throw-away keys for platform-wide jobs of later files.
  for (const f of [fx, other]) {
    if (!f) continue;
    await db.connection.updateMany({ where: { organizationId: f.organizationId }, data: { accessTokenEnc: null, refreshTokenEnc: null, status: "DISCONNECTED" } });
    await db.webhookEndpoint.updateMany({ where: { organizationId: f.organizationId }, data: { enabled: false, deletedAt: new Date() } });
    await db.user.updateMany({ where: { memberships: { some: { organizationId: f.organizationId } } }, data: { twoFactorSecretEnc: null, twoFactorEnabledAt: null, twoFactorLastStep: null } });
  }
});

async function endpointSecret(id: string) {
  return (await db.webhookEndpoint.findUniqueOrThrow({ where: { id }, select: { secretEnc: true } })).secretEnc;
}

describe("encryption key rotation", () => {
  it("stores every secret under K1 to begin with", async () => {
    const values = await sealedValues(fx.organizationId);
    expect(values).toHaveLength(5);
    expect(values.map(ciphertextKeyId)).toEqual([id1, id1, id1, id1, id1]);
  });

  it("with K2 current and K1 previous: old rows still decrypt, new writes carry K2's key id", async () => {
    use({ current: K2, previous: [K1] });
    const credentials = await freshCredentials(jobTenantCtx(db, { organizationId: fx.organizationId }), fx.connectionId);
    expect(credentials).toMatchObject({ ok: true, credentials: { accessToken: "APP_USR-access-1" } });
    expect(decrypt(await endpointSecret(endpointA))).toBe(secretA);
    // The owner's 2FA secret, still under K1, verifies a code (the sign-in's own check).
    expect(await verifiesTotp(fx.users.OWNER.userId, 0)).toBe("totp");

    const rotated = await rotateWebhookSecret(tenantCtxOf(fx), { id: endpointB });
    secretB = rotated.secret;
    expect(ciphertextKeyId(await endpointSecret(endpointB))).toBe(id2);
    expect(decrypt(await endpointSecret(endpointB))).toBe(secretB);
    // K2 alone cannot read what is still under K1 (why PREVIOUS must keep K1 until re-encryption).
    use({ current: K2, previous: [] });
    expect(() => decrypt(encryptSecret("x", { current: K1, previous: [] }))).toThrow(/No key/);
    use({ current: K2, previous: [K1] });
  });

  it("re-encrypts every row under K2 in batches, skipping rows already under K2; a second run changes nothing", async () => {
    const before = await db.connection.findUniqueOrThrow({ where: { id: fx.connectionId }, select: { accessTokenEnc: true } });
    const report = await reencryptSecrets(db, { organizationId: fx.organizationId, batchSize: 1 });
    expect(report.currentKeyId).toBe(id2);
    expect(report.failures).toEqual([]);
    expect(report.tables).toEqual({
      connections: { scanned: 1, reencrypted: 1, alreadyCurrent: 0, changedConcurrently: 0, failed: 0 },
      // endpoint B was rotated under K2 already.
      webhook_endpoints: { scanned: 2, reencrypted: 1, alreadyCurrent: 1, changedConcurrently: 0, failed: 0 },
      // The owner's 2FA secret (the other members have none).
      users: { scanned: 1, reencrypted: 1, alreadyCurrent: 0, changedConcurrently: 0, failed: 0 },
    });
    expect(report.failures).toEqual([]);
    const values = await sealedValues(fx.organizationId);
    expect(values.map(ciphertextKeyId)).toEqual([id2, id2, id2, id2, id2]);
    const after = await db.connection.findUniqueOrThrow({ where: { id: fx.connectionId }, select: { accessTokenEnc: true } });
    expect(after.accessTokenEnc).not.toBe(before.accessTokenEnc);

    const again = await reencryptSecrets(db, { organizationId: fx.organizationId });
    expect(again.tables.connections).toMatchObject({ scanned: 1, reencrypted: 0, alreadyCurrent: 1 });
    expect(again.tables.webhook_endpoints).toMatchObject({ scanned: 2, reencrypted: 0, alreadyCurrent: 2 });
    expect(again.tables.users).toMatchObject({ scanned: 1, reencrypted: 0, alreadyCurrent: 1 });
    expect(await sealedValues(fx.organizationId)).toEqual(values);

    // The other tenant was out of scope: still under K1.
    const untouched = await db.connection.findUniqueOrThrow({ where: { id: other.connectionId }, select: { accessTokenEnc: true } });
    expect(ciphertextKeyId(untouched.accessTokenEnc!)).toBe(id1);

    const audited = await db.auditLog.findFirst({ where: { action: "platform.secretsReencrypted", organizationId: null }, orderBy: { createdAt: "desc" } });
    expect(audited?.metadata).toMatchObject({ currentKeyId: id2, organizationId: fx.organizationId });
  });

  it("with K2 alone (K1 removed) every secret still decrypts", async () => {
    use({ current: K2, previous: [] });
    const credentials = await freshCredentials(jobTenantCtx(db, { organizationId: fx.organizationId }), fx.connectionId);
    expect(credentials).toMatchObject({ ok: true, credentials: { accessToken: "APP_USR-access-1" } });
    const row = await db.connection.findUniqueOrThrow({ where: { id: fx.connectionId }, select: { refreshTokenEnc: true } });
    expect(decrypt(row.refreshTokenEnc!)).toBe("TG-refresh-1");
    expect(decrypt(await endpointSecret(endpointA))).toBe(secretA);
    expect(decrypt(await endpointSecret(endpointB))).toBe(secretB);
    // The re-encrypted 2FA secret still verifies a fresh TOTP code (and the enabled state is intact).
    expect(await verifiesTotp(fx.users.OWNER.userId, 1)).toBe("totp");
    expect((await findTwoFactorState(db, fx.users.OWNER.userId))?.twoFactorEnabledAt).toBeInstanceOf(Date);
    // A ciphertext under K1 alone would not decrypt any more: the rotation was needed.
    const sealed = (await findTwoFactorState(db, fx.users.OWNER.userId))!.twoFactorSecretEnc!;
    expect(ciphertextKeyId(sealed)).toBe(id2);
    use({ current: K1, previous: [] });
    expect(() => decrypt(sealed)).toThrow(/No key/);
  });

  it("never overwrites a token the app rewrote between the read and the write", async () => {
    // Old tokens again (as before a rotation), then a refresh lands while the batch is in flight.
    use({ current: K1, previous: [] });
    await updateConnection(db, fx.organizationId, fx.connectionId, { accessTokenEnc: encrypt("APP_USR-access-1"), refreshTokenEnc: encrypt("TG-refresh-1") });
    use({ current: K2, previous: [K1] });
    const connections = SEALED_TABLES.find((t) => t.name === "connections")!;
    const racing: SealedTable = {
      ...connections,
      async page(...args) {
        const rows = await connections.page(...args);
        // The token service refreshed the tokens (under the current key) right after our read.
        await updateConnection(db, fx.organizationId, fx.connectionId, { accessTokenEnc: encrypt("APP_USR-access-2"), refreshTokenEnc: encrypt("TG-refresh-2") });
        return rows;
      },
    };
    const report = await reencryptSecrets(db, { organizationId: fx.organizationId, tables: [racing] });
    expect(report.tables.connections).toMatchObject({ scanned: 1, reencrypted: 0, changedConcurrently: 1, failed: 0 });
    const row = await db.connection.findUniqueOrThrow({ where: { id: fx.connectionId }, select: { accessTokenEnc: true, refreshTokenEnc: true } });
    expect(decrypt(row.accessTokenEnc!)).toBe("APP_USR-access-2");
    expect(decrypt(row.refreshTokenEnc!)).toBe("TG-refresh-2");
  });

  it("reports a row under an unknown key and leaves it exactly as it was", async () => {
    use({ current: K2, previous: [] });
    const foreign = encryptSecret("lost-token", { current: STRANGER, previous: [] });
    const goodRefresh = encryptSecret("TG-refresh-1", { current: K1, previous: [] });
    await updateConnection(db, fx.organizationId, fx.connectionId, { accessTokenEnc: foreign, refreshTokenEnc: goodRefresh });

    const report = await reencryptSecrets(db, { organizationId: fx.organizationId, ring: { current: K2, previous: [K1] } });
    expect(report.tables.connections).toMatchObject({ scanned: 1, reencrypted: 0, failed: 1 });
    expect(report.failures).toEqual([
      { table: "connections", id: fx.connectionId, organizationId: fx.organizationId, column: "accessTokenEnc", keyId: keyId(STRANGER), error: expect.stringMatching(/No key/) },
    ]);
    // Neither the secret nor its ciphertext appears in the report.
    expect(JSON.stringify(report)).not.toContain("lost-token");
    expect(JSON.stringify(report)).not.toContain(foreign);
    // The row is untouched, including its decryptable column (the row is never half-rewritten).
    const row = await db.connection.findUniqueOrThrow({ where: { id: fx.connectionId }, select: { accessTokenEnc: true, refreshTokenEnc: true } });
    expect(row).toEqual({ accessTokenEnc: foreign, refreshTokenEnc: goodRefresh });

    // A malformed value is reported the same way.
    await updateConnection(db, fx.organizationId, fx.connectionId, { accessTokenEnc: "not-a-ciphertext", refreshTokenEnc: null });
    const malformed = await reencryptSecrets(db, { organizationId: fx.organizationId });
    expect(malformed.failures).toMatchObject([{ id: fx.connectionId, column: "accessTokenEnc", keyId: null }]);
    expect((await db.connection.findUniqueOrThrow({ where: { id: fx.connectionId } })).accessTokenEnc).toBe("not-a-ciphertext");
  });
});
