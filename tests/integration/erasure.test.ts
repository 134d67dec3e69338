/**
 * LGPD erasure against a real PostgreSQL (and Redis for the session denylist): account erasure
 * pseudonymises the person everywhere and ends their sessions for good; organization erasure closes
 * the organization at once and its background function deletes every row holding its id (counted
 * from information_schema, so a new table is covered without touching this test), leaving one
 * system audit entry. Also: the backup retention the UI states matches the infrastructure, and the
 * /privacy page is public.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { POST as stripeWebhook } from "~/app/api/v1/webhooks/stripe/route";
import { createCaller } from "~/server/api/root";
import { setStripeConfig } from "~/server/billing/stripe";
import { createStripeSandbox, STRIPE_SANDBOX_SECRET_KEY, STRIPE_SANDBOX_WEBHOOK_SECRET } from "~/server/connectors/sandbox/stripe";
import { createTRPCContext } from "~/server/api/trpc";
import { hashPassword } from "~/server/auth/password";
import { encryptSecret } from "~/server/lib/crypto";
import { keyRing } from "~/server/lib/secrets";
import { INNGEST_APP_ID, inngest } from "~/server/jobs/client";
import { privacyFunctions } from "~/server/jobs/functions/privacy";
import { startLocalRunner, type LocalRunner } from "~/server/jobs/local/runner";
import { LocalDiskStorage, setMediaStorage } from "~/server/media/storage";
import { countRowsOfOrganization } from "~/server/repositories/privacy-erasure";
import { authenticate, signUp } from "~/server/services/accounts/accounts";
import { isSessionLive } from "~/server/services/accounts/sessions";
import { ERASED_USER_NAME } from "~/server/services/privacy/consents";
import {
  ACCOUNT_ERASED_ACTION,
  BACKUP_RETENTION_DAYS,
  cancelErasedSubscription,
  completeOrganizationErasure,
  erasedEmailOf,
  ORGANIZATION_ERASED_ACTION,
} from "~/server/services/privacy/erasure";
import { serveFetch, type ServedFetch } from "../helpers/serve-fetch";
import { callerFor, createOrgFixture, createUser, db, type OrgFixture, setPlan } from "./helpers/fixtures";

const request = { correlationId: "erasure-test", ip: "198.51.100.7", userAgent: "vitest" };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The tRPC error of a rejected call (code and reason), or "OK". */
async function refusal(call: () => Promise<unknown>) {
  try {
    await call();
    return "OK";
  } catch (error) {
    const e = error as { code?: string; cause?: { reason?: string } };
    return `${e.code}${e.cause?.reason ? `:${e.cause.reason}` : ""}`;
  }
}

let mediaDir: string;
beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(os.tmpdir(), "ss-erasure-"));
  setMediaStorage(new LocalDiskStorage(mediaDir));
});
afterAll(async () => {
  setMediaStorage(null);
  await rm(mediaDir, { recursive: true, force: true });
});

describe("account erasure", () => {
  it("pseudonymises the person, ends every session, keeps the organization's data, and frees the e-mail", async () => {
    const fx = await createOrgFixture("erase-me");
    const me = fx.users.MANAGER;
    const password = "tamarindo azul 42 erasure";
    await db.user.update({ where: { id: me.userId }, data: { passwordHash: await hashPassword(password), twoFactorSecretEnc: "v1:secret", twoFactorLastStep: 7 } });
    await db.recoveryCode.create({ data: { userId: me.userId, codeHash: `hash-${me.userId}` } });
    await db.notification.create({ data: { organizationId: fx.organizationId, userId: me.userId, kind: "test.erasure" } });
    const content = await db.content.create({ data: { organizationId: fx.organizationId, title: "Escrito pela pessoa", createdById: me.userId } });
    const myAudit = await db.auditLog.create({ data: { organizationId: fx.organizationId, actorUserId: me.userId, action: "fixture.by_manager", ip: "198.51.100.1" } });
    const invitedAudit = await db.auditLog.create({ data: { organizationId: fx.organizationId, actorUserId: fx.users.OWNER.userId, action: "invitation.created", metadata: { email: me.email, role: "MANAGER" } } });
    const consent = await db.consentRecord.create({
      data: { organizationId: fx.organizationId, userId: me.userId, provider: "MERCADOLIVRE", version: "v1", action: "GRANTED", ip: "198.51.100.2", userAgent: "Firefox" },
    });
    const { key } = await (await callerFor(me.userId)).apiKeys.create({ name: "ERP", scopes: ["listings:read"] });
    // An invitation to the person's address from another organization, still pending.
    const other = await createOrgFixture("erase-me-other");
    const invitation = await db.invitation.create({
      data: { organizationId: other.organizationId, email: me.email, role: "VIEWER", tokenHash: `t-${me.userId}`, invitedById: other.users.OWNER.userId, expiresAt: new Date(Date.now() + 86_400_000) },
    });
    const signedIn = await callerFor(me.userId);
    const sessionIds = (await db.userSession.findMany({ where: { userId: me.userId }, select: { id: true } })).map((s) => s.id);
    expect(sessionIds.length).toBeGreaterThan(0);

    const preview = await signedIn.privacy.erasurePreview();
    expect(preview).toMatchObject({ email: me.email, allowed: true, erased: [], blocking: [], backupRetentionDays: BACKUP_RETENTION_DAYS });
    expect(preview.kept.map((o) => o.organizationId)).toEqual([fx.organizationId]);

    // The typed confirmation is case- and space-insensitive (an e-mail address), but must match.
    expect(await refusal(() => signedIn.privacy.eraseAccount({ confirmation: "someone@else.test" }))).toBe("BAD_REQUEST:erasureConfirmationMismatch");
    expect((await db.user.findUniqueOrThrow({ where: { id: me.userId } })).erasedAt).toBeNull();
    expect(await signedIn.privacy.eraseAccount({ confirmation: `  ${me.email.toUpperCase()} ` })).toEqual({ erased: true, organizationsLeft: 1, organizationsErased: 0 });

    const row = await db.user.findUniqueOrThrow({ where: { id: me.userId } });
    expect(row).toMatchObject({ name: ERASED_USER_NAME, email: erasedEmailOf(me.userId), twoFactorSecretEnc: null, twoFactorEnabledAt: null, twoFactorLastStep: null, activeOrganizationId: null, deletedAt: null });
    expect(row.erasedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(row)).not.toContain(me.email);
    expect(await db.recoveryCode.count({ where: { userId: me.userId } })).toBe(0);
    expect(await db.notification.count({ where: { userId: me.userId } })).toBe(0);
    expect(await db.membership.count({ where: { userId: me.userId } })).toBe(0);
    // Every session revoked and stripped of where it came from; the old sessions are dead.
    const sessions = await db.userSession.findMany({ where: { userId: me.userId } });
    expect(sessions.every((s) => s.revokedAt && s.ip === null && s.userAgent === null)).toBe(true);
    for (const id of sessionIds) expect(await isSessionLive(db, id, { userId: me.userId })).toBe(false);
    // A JWT issued before the erasure opens nothing (the user row is refused on every request).
    expect(await refusal(() => signedIn.tenants.mine())).toMatch(/^UNAUTHORIZED/);
    // The API key they created is revoked and refused.
    expect((await db.apiKey.findFirstOrThrow({ where: { createdById: me.userId } })).revokedAt).toBeInstanceOf(Date);
    const keyCtx = await createTRPCContext({ headers: new Headers({ authorization: `Bearer ${key}` }), sessionUser: null });
    expect(await refusal(() => createCaller(keyCtx).listings.list({ limit: 5 }))).toMatch(/^UNAUTHORIZED/);
    // The invitation no longer carries the address, and cannot be accepted by a newcomer.
    expect(await db.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).toMatchObject({ email: erasedEmailOf(me.userId), revokedAt: expect.any(Date) });
    expect(await db.consentRecord.findUniqueOrThrow({ where: { id: consent.id } })).toMatchObject({ userId: me.userId, ip: null, userAgent: null });

    // The organization keeps what the person wrote, under the pseudonym; its audit entries too.
    expect(await db.content.findUniqueOrThrow({ where: { id: content.id } })).toMatchObject({ createdById: me.userId });
    expect(await db.auditLog.findUniqueOrThrow({ where: { id: myAudit.id } })).toMatchObject({ actorUserId: me.userId, ip: "198.51.100.1" });
    // An entry that named the person's address keeps the event, with the pseudonym instead.
    expect((await db.auditLog.findUniqueOrThrow({ where: { id: invitedAudit.id } })).metadata).toEqual({ email: erasedEmailOf(me.userId), role: "MANAGER" });
    const members = await (await callerFor(fx.users.OWNER.userId)).tenants.members.list();
    expect(members.map((m) => m.userId)).not.toContain(me.userId);
    expect(await db.listing.count({ where: { organizationId: fx.organizationId } })).toBeGreaterThan(0);
    const trail = await db.auditLog.findMany({ where: { action: ACCOUNT_ERASED_ACTION, actorUserId: me.userId } });
    expect(trail.map((a) => a.organizationId).sort()).toEqual([fx.organizationId, null].sort());
    expect(JSON.stringify(trail)).not.toContain(me.email);

    // Never again a sign-in, with the old address or the erased one.
    for (const email of [me.email, erasedEmailOf(me.userId)]) {
      expect(await refusal(() => authenticate(db, { ...request, ip: `198.51.100.${Math.floor(Math.random() * 200)}` }, { email, password }))).toMatch(/^UNAUTHORIZED/);
    }
    // The address is free: signing up with it makes a new, unrelated person.
    const again = await signUp(db, { ...request, ip: "198.51.100.99" }, { name: "Pessoa Nova", email: me.email, password: "correct horse battery staple 9", locale: "pt-BR" });
    const newcomer = await db.user.findUniqueOrThrow({ where: { email: me.email } });
    expect(newcomer.id).not.toBe(me.userId);
    expect(JSON.stringify(again)).toContain(newcomer.id);
    expect(await db.membership.count({ where: { userId: newcomer.id, organizationId: { in: [fx.organizationId, other.organizationId] } } })).toBe(0);
  });

  it("is refused to the last owner of an organization with other members, until someone else owns it", async () => {
    const fx = await createOrgFixture("last-owner");
    const owner = await callerFor(fx.users.OWNER.userId);
    const preview = await owner.privacy.erasurePreview();
    expect(preview.allowed).toBe(false);
    expect(preview.blocking).toEqual([expect.objectContaining({ organizationId: fx.organizationId, members: 4 })]);
    expect(await refusal(() => owner.privacy.eraseAccount({ confirmation: fx.users.OWNER.email }))).toBe("PRECONDITION_FAILED:erasureLastOwner");
    expect((await db.user.findUniqueOrThrow({ where: { id: fx.users.OWNER.userId } })).erasedAt).toBeNull();

    await db.membership.update({ where: { id: fx.users.MANAGER.membershipId }, data: { role: "OWNER" } });
    expect((await owner.privacy.erasurePreview()).allowed).toBe(true);
    await owner.privacy.eraseAccount({ confirmation: fx.users.OWNER.email });
    expect(await db.organization.findUniqueOrThrow({ where: { id: fx.organizationId } })).toMatchObject({ deletedAt: null });
  });

  it("needs a fresh step-up", async () => {
    const fx = await createOrgFixture("erase-stale");
    const stale = await callerFor(fx.users.VIEWER.userId, "203.0.113.10", { session: "stale" });
    expect(await refusal(() => stale.privacy.eraseAccount({ confirmation: fx.users.VIEWER.email }))).toBe("FORBIDDEN:stepUpRequired");
    const none = await callerFor(fx.users.VIEWER.userId, "203.0.113.10", { session: "none" });
    expect(await refusal(() => none.privacy.eraseAccount({ confirmation: fx.users.VIEWER.email }))).toBe("FORBIDDEN:stepUpRequired");
    expect((await db.user.findUniqueOrThrow({ where: { id: fx.users.VIEWER.userId } })).erasedAt).toBeNull();
  });

  it("erases the organizations where the person is the only member along with the account", async () => {
    const solo = await createUser("Pessoa Sozinha");
    const org = await db.organization.create({ data: { name: "Loja solo", slug: `solo-${solo.userId}` } });
    await db.membership.create({ data: { organizationId: org.id, userId: solo.userId, role: "OWNER" } });
    await db.listing.create({
      data: {
        organizationId: org.id,
        connectionId: (await db.connection.create({ data: { organizationId: org.id, provider: "SHOPEE", kind: "MARKETPLACE", externalAccountId: `solo-${org.id}` } })).id,
        provider: "SHOPEE",
        externalId: "solo-1",
        title: "Solo",
        priceCents: 100,
      },
    });
    const caller = await callerFor(solo.userId);
    expect((await caller.privacy.erasurePreview()).erased).toEqual([{ organizationId: org.id, name: "Loja solo" }]);
    expect(await caller.privacy.eraseAccount({ confirmation: solo.email })).toMatchObject({ organizationsErased: 1, organizationsLeft: 0 });
    expect(await db.organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({ erasureRequestedById: solo.userId, deletedAt: expect.any(Date) });

    await completeOrganizationErasure(db, org.id);
    expect(await db.organization.count({ where: { id: org.id } })).toBe(0);
    expect(Object.values(await countRowsOfOrganization(db, org.id)).reduce((a, b) => a + b, 0)).toBe(0);
  });
});

describe("organization erasure", () => {
  let runner: LocalRunner;
  afterAll(async () => {
    await runner?.stop();
  });

  async function seedStoredMedia(fx: OrgFixture, label: string) {
    const storageKey = `${fx.organizationId}/2026/11/${label}.jpg`;
    const thumbnailKey = `${fx.organizationId}/2026/11/${label}-thumb.jpg`;
    for (const key of [storageKey, thumbnailKey]) {
      const file = path.join(mediaDir, `${label}-${path.basename(key)}`);
      await writeFile(file, "bytes");
      await new LocalDiskStorage(mediaDir).put(key, file);
    }
    await db.media.create({
      data: { organizationId: fx.organizationId, storageKey, thumbnailKey, fileName: `${label}.jpg`, mimeType: "image/jpeg", sizeBytes: BigInt(5), checksumSha256: `sha-${label}-${fx.organizationId}` },
    });
    return [storageKey, thumbnailKey].map((key) => path.join(mediaDir, key));
  }

  const fileExists = (file: string) => stat(file).then(() => true, () => false);

  it("closes the organization at once, cuts its credentials, then deletes every row of it (and only of it)", async () => {
    const fx = await createOrgFixture("erase-org");
    const bystander = await createOrgFixture("erase-org-bystander");
    // The viewer also belongs to the bystander organization: they fall back to it.
    await db.membership.create({ data: { organizationId: bystander.organizationId, userId: fx.users.VIEWER.userId, role: "VIEWER" } });
    await db.connection.update({ where: { id: fx.connectionId }, data: { accessTokenEnc: encryptSecret("access-token", keyRing()), refreshTokenEnc: encryptSecret("refresh-token", keyRing()), status: "ACTIVE" } });
    const { key } = await (await callerFor(fx.users.OWNER.userId)).apiKeys.create({ name: "ERP", scopes: ["listings:read"] });
    const endpoint = await db.webhookEndpoint.create({ data: { organizationId: fx.organizationId, url: "https://hooks.example.test/ss", secretEnc: encryptSecret("whsec", keyRing()), events: ["listing.updated"] } });
    const files = await seedStoredMedia(fx, "erased");
    const bystanderFiles = await seedStoredMedia(bystander, "kept");
    const bystanderBefore = await countRowsOfOrganization(db, bystander.organizationId);
    const name = (await db.organization.findUniqueOrThrow({ where: { id: fx.organizationId } })).name;

    // Owners only, with a fresh step-up, and the organization's exact name.
    expect(await refusal(async () => (await callerFor(fx.users.MANAGER.userId)).privacy.eraseOrganization({ confirmation: name }))).toBe("FORBIDDEN:roleTooLow");
    expect(await refusal(async () => (await callerFor(fx.users.OWNER.userId, "203.0.113.10", { session: "stale" })).privacy.eraseOrganization({ confirmation: name }))).toBe("FORBIDDEN:stepUpRequired");
    const owner = await callerFor(fx.users.OWNER.userId);
    expect(await refusal(() => owner.privacy.eraseOrganization({ confirmation: `${name}x` }))).toBe("BAD_REQUEST:erasureConfirmationMismatch");
    // Another organization's owner typing this one's name erases nothing: only their own is in reach.
    expect(await refusal(async () => (await callerFor(bystander.users.OWNER.userId)).privacy.eraseOrganization({ confirmation: name }))).toBe("BAD_REQUEST:erasureConfirmationMismatch");
    expect((await db.organization.findUniqueOrThrow({ where: { id: fx.organizationId } })).deletedAt).toBeNull();

    const viewer = await callerFor(fx.users.VIEWER.userId);
    const operator = await callerFor(fx.users.OPERATOR.userId);
    expect((await viewer.listings.get({ id: fx.listingId })).id).toBe(fx.listingId);

    expect(await owner.privacy.eraseOrganization({ confirmation: ` ${name} ` })).toMatchObject({ erased: true, backupRetentionDays: BACKUP_RETENTION_DAYS });

    // At once: nobody opens it any more.
    expect(await refusal(() => viewer.listings.get({ id: fx.listingId }))).toBe("NOT_FOUND:notFound");
    expect(await refusal(() => viewer.tenants.switch({ organizationId: fx.organizationId }))).toMatch(/^NOT_FOUND/);
    expect((await viewer.tenants.mine()).map((o) => o.id)).not.toContain(fx.organizationId);
    expect((await viewer.tenants.current()).organization.id).toBe(bystander.organizationId);
    expect(await refusal(() => operator.tenants.current())).toBe("PRECONDITION_FAILED:noOrganization");
    expect(await refusal(() => owner.tenants.current())).toBe("PRECONDITION_FAILED:noOrganization");
    const keyCtx = await createTRPCContext({ headers: new Headers({ authorization: `Bearer ${key}` }), sessionUser: null });
    expect(await refusal(() => createCaller(keyCtx).listings.list({ limit: 5 }))).toMatch(/^UNAUTHORIZED/);
    // Credentials cut in the same transaction.
    expect(await db.connection.findMany({ where: { organizationId: fx.organizationId, OR: [{ accessTokenEnc: { not: null } }, { refreshTokenEnc: { not: null } }] } })).toEqual([]);
    expect(await db.apiKey.count({ where: { organizationId: fx.organizationId, revokedAt: null } })).toBe(0);
    expect(await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({ enabled: false, disabledReason: "organizationErased" });
    expect(await db.invitation.count({ where: { organizationId: fx.organizationId, acceptedAt: null, revokedAt: null } })).toBe(0);
    // A second request finds nothing to erase.
    expect(await refusal(() => owner.privacy.eraseOrganization({ confirmation: name }))).not.toBe("OK");

    // The background function (the event was sent by the request; the local runner runs it).
    // Only the erasure's functions: the queue this file shares holds other files' jobs, whose sandboxes
    // are gone; their failures would open the provider-wide breaker, and the outage notification
    // rightly reaches every connected organization — the bystander too, which is not what is tested here.
    runner = await startLocalRunner({ functions: privacyFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 150 });
    await runner.ready;
    const fnId = `${INNGEST_APP_ID}-privacy-organization-erase`;
    let run = await db.jobRun.findFirst({ where: { functionId: fnId, eventId: `erase-organization-${fx.organizationId}` } });
    for (let i = 0; i < 600 && run?.status !== "COMPLETED"; i++) {
      await sleep(100);
      run = await db.jobRun.findFirst({ where: { functionId: fnId, eventId: `erase-organization-${fx.organizationId}` } });
    }
    expect(run, run?.error ?? "no run").toMatchObject({ status: "COMPLETED", organizationId: null, userId: fx.users.OWNER.userId });

    // Every table with an organization_id column: no row of it left.
    const left = await countRowsOfOrganization(db, fx.organizationId);
    expect(Object.keys(left).length).toBeGreaterThan(30);
    expect(Object.entries(left).filter(([, n]) => n > 0)).toEqual([]);
    expect(await db.organization.count({ where: { id: fx.organizationId } })).toBe(0);
    for (const file of files) expect(await fileExists(file)).toBe(false);
    // The bystander organization is untouched, its media included.
    expect(await countRowsOfOrganization(db, bystander.organizationId)).toEqual(bystanderBefore);
    for (const file of bystanderFiles) expect(await fileExists(file)).toBe(true);
    // The people stay (they may belong elsewhere); only their membership went with the organization.
    expect(await db.user.count({ where: { id: { in: Object.values(fx.users).map((u) => u.userId) } } })).toBe(4);

    // One system entry remains: which organization, when, at whose request — no names, no e-mails.
    const tombstones = await db.auditLog.findMany({ where: { action: ORGANIZATION_ERASED_ACTION, targetId: fx.organizationId } });
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]).toMatchObject({ organizationId: null, actorUserId: fx.users.OWNER.userId, targetType: "organization" });
    const meta = tombstones[0]!.metadata as { rows: Record<string, number>; requestedAt: string; mediaObjects: number };
    expect(meta.rows.listings).toBeGreaterThan(0);
    // The two seeded objects plus the fixture's own media row (its key points at no file).
    expect(meta.mediaObjects).toBe(3);
    expect(JSON.stringify(tombstones[0])).not.toContain(name);
    expect(JSON.stringify(tombstones[0])).not.toContain("@example.test");

    // Re-sending the event (or a retry) does nothing more.
    await inngest.send({ name: "privacy/organization.erase", data: { erasedOrganizationId: fx.organizationId }, id: `erase-again-${fx.organizationId}` });
    expect(await completeOrganizationErasure(db, fx.organizationId)).toMatchObject({ deleted: false });
    expect(await db.auditLog.count({ where: { action: ORGANIZATION_ERASED_ACTION, targetId: fx.organizationId } })).toBe(1);
  }, 90_000);

  it("background functions skip an organization being erased", async () => {
    const fx = await createOrgFixture("erase-skip");
    await db.organization.update({ where: { id: fx.organizationId }, data: { deletedAt: new Date(), erasureRequestedAt: new Date() } });
    const { OrganizationSuspendedMiddleware } = await import("~/server/jobs/suspension-middleware");
    const mw = new OrganizationSuspendedMiddleware({ client: inngest });
    let ran = false;
    const result = await mw.wrapFunctionHandler({
      ctx: { event: { name: "x", data: { organizationId: fx.organizationId } } },
      fn: { opts: { id: "listings-sync" } },
      next: async () => {
        ran = true;
        return "ran";
      },
    } as unknown as Parameters<typeof mw.wrapFunctionHandler>[0]);
    expect(ran).toBe(false);
    expect(result).toEqual({ skipped: "organizationErased" });
  });
});

describe("organization erasure with a Stripe subscription", () => {
  let stripeApi: ServedFetch;
  let webhookServer: ServedFetch;
  const forgetStripePrices = () => db.plan.updateMany({ data: { stripePriceMonthlyId: null, stripePriceYearlyId: null } });
  const control = async <T>(route: string, method = "POST") => {
    const res = await fetch(`${stripeApi.url}/__control/${route}`, { method, headers: { "content-type": "application/json" }, body: method === "POST" ? "{}" : undefined });
    if (!res.ok) throw new Error(`control ${route}: ${res.status}`);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    webhookServer = await serveFetch((req) => stripeWebhook(req));
    stripeApi = await serveFetch(createStripeSandbox({ webhook: { url: `${webhookServer.url}/api/v1/webhooks/stripe`, secret: STRIPE_SANDBOX_WEBHOOK_SECRET } }).handler);
    await forgetStripePrices();
    setStripeConfig({ secretKey: STRIPE_SANDBOX_SECRET_KEY, webhookSecret: STRIPE_SANDBOX_WEBHOOK_SECRET, apiUrl: stripeApi.url });
  });
  afterAll(async () => {
    setStripeConfig(undefined);
    await forgetStripePrices();
    await stripeApi?.close();
    await webhookServer?.close();
  });

  it("cancels the subscription at Stripe at once, and Stripe's late webhook finds nothing to break", async () => {
    const fx = await createOrgFixture("erase-stripe");
    await setPlan(fx.organizationId, "gratis");
    const owner = await callerFor(fx.users.OWNER.userId);
    const checkout = await owner.billing.checkout({ planCode: "pro", interval: "MONTH" });
    if (checkout.kind !== "redirect") throw new Error("expected a Checkout redirect");
    const { subscription } = await control<{ subscription: string }>(`checkout/${new URL(checkout.url).pathname.split("/").pop()}/complete`);
    expect(await db.subscription.findUniqueOrThrow({ where: { organizationId: fx.organizationId } })).toMatchObject({ stripeSubscriptionId: subscription, status: "ACTIVE" });

    const name = (await db.organization.findUniqueOrThrow({ where: { id: fx.organizationId } })).name;
    await owner.privacy.eraseOrganization({ confirmation: name });
    expect(await cancelErasedSubscription(db, fx.organizationId)).toEqual({ canceled: true });
    // A retry (same idempotency key, or Stripe already canceled) is not an error.
    expect(["missingAtStripe", "noStripeSubscription"]).toContain((await cancelErasedSubscription(db, fx.organizationId)).reason);
    const state = await control<{ subscriptions: { id: string; status: string }[] }>("state", "GET");
    expect(state.subscriptions.find((s) => s.id === subscription)?.status).toBe("canceled");

    expect(await completeOrganizationErasure(db, fx.organizationId)).toMatchObject({ deleted: true });
    // customer.subscription.deleted arrives after the organization is gone: answered, nothing recreated.
    await control("flush");
    expect(await db.subscription.count({ where: { stripeSubscriptionId: subscription } })).toBe(0);
    expect(await db.organization.count({ where: { id: fx.organizationId } })).toBe(0);
  });
});

describe("what the privacy texts state", () => {
  it("states the backup retention the infrastructure configures for production", async () => {
    const infra = await readFile(path.join(process.cwd(), "infra/database.ts"), "utf8");
    const match = /backupRetentionPeriod\s*=\s*isProduction\s*\?\s*(\d+)/.exec(infra);
    expect(Number(match?.[1])).toBe(BACKUP_RETENTION_DAYS);
  });

  it("the proxy lets /privacy through to a page outside the signed-in route groups", async () => {
    const page = await readFile(path.join(process.cwd(), "src/app/privacy/page.tsx"), "utf8");
    // Not under (app) or (admin), whose layouts send signed-out people to /sign-in, and it asks for
    // no session itself.
    expect(page).not.toMatch(/requireTenant|loadSession|auth\(\)|redirect\(/);
    const { proxy } = await import("~/proxy");
    const response = proxy(new NextRequest("http://localhost:3000/privacy"));
    expect(response.status).toBe(200);
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("location")).toBeNull();
  });
});
