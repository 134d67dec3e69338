/**
 * Plan limits enforced where each resource is consumed, against a real PostgreSQL: connecting
 * accounts, the listings sync (Mercado Livre sandbox over HTTP), scheduling posts, AI credits
 * (OpenAI-compatible test server over HTTP), seats; the effective plan for past_due and trials; and
 * downgrades with excess data (nothing deleted, the excess read-only).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { generateListingCopy, type AiProviderConfig } from "~/server/ai";
import { generateCommentReply } from "~/server/ai/comment-reply";
import { effectivePlan, OVER_PLAN_TEXT } from "~/server/billing/entitlements";
import { applyAction } from "~/server/services/actions/apply";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { beginConnect } from "~/server/services/connectors/connectors";
import { assertSocialAccountAllowed } from "~/server/services/connectors/limits";
import { startSync, syncNextPage, type SyncStepResult } from "~/server/services/listings/sync";
import { publishStep } from "~/server/services/publishing/engine";
import * as publications from "~/server/services/publishing/publications";
import { resolveTenant } from "~/server/services/tenants/resolve-tenant";
import { startOpenAiCompatibleServer, type OpenAiCompatibleServer } from "../helpers/openai-compatible-server";
import { callerFor, createOrgFixture, createUser, db, setPlan, tenantCtxOf, uniqueEmail, type OrgFixture } from "./helpers/fixtures";
import { connectSandboxSeller, serveMercadoLivreSandbox, TEST_APP_URL, type ServedSandbox } from "./helpers/mercadolivre-sandbox";

const MIN = 60_000;
const DAY = 86_400_000;
const inMinutes = (m: number) => new Date(Date.now() + m * MIN);

let served: ServedSandbox;
let ai: OpenAiCompatibleServer;
let provider: AiProviderConfig;

beforeAll(async () => {
  served = await serveMercadoLivreSandbox({ catalogSize: 230, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "entitlements-test" });
  ai = await startOpenAiCompatibleServer();
  provider = { baseURL: ai.baseURL, model: "test-model", apiKey: "sk-test", timeoutMs: 2_000 };
});
afterAll(async () => {
  await served?.close();
  await ai?.close();
});
beforeEach(() => ai.reset());

async function marketplaceRow(fx: OrgFixture, label: string, createdAt?: Date) {
  return db.connection.create({
    data: { organizationId: fx.organizationId, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: `ml-${label}-${Math.random().toString(36).slice(2)}`, accountName: label, ...(createdAt ? { createdAt } : {}) },
  });
}

async function socialRow(fx: OrgFixture, label: string) {
  return db.connection.create({
    data: { organizationId: fx.organizationId, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId: `ig-${label}-${Math.random().toString(36).slice(2)}`, accountName: `@${label}` },
  });
}

/** Runs a listings sync the way the function does, one page per step, until done. */
async function runSync(fx: OrgFixture, connectionId: string) {
  const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
  const started = await startSync(ctx, { connectionId, mode: "full" });
  if (!started.started) return { started: false as const, last: null };
  let last: SyncStepResult | null = null;
  for (let i = 0; i < 100; i++) {
    last = await syncNextPage(ctx, { connectionId, generation: started.generation });
    const waitMs = last.kind === "wait" ? last.waitMs : 0;
    if (waitMs > 0) await new Promise((r) => setTimeout(r, Math.min(waitMs, 1000)));
    if (last.done) break;
  }
  return { started: true as const, last };
}

/** The planLimitReached refusal a call rejects with. */
const refusal = (details: Record<string, unknown>) => ({ code: "PAYMENT_REQUIRED", reason: "planLimitReached", details: expect.objectContaining(details) });
/** The same refusal through a tRPC procedure (the AppError is the TRPCError's cause). */
const refusedCall = (details: Record<string, unknown>) => ({ code: "PAYMENT_REQUIRED", cause: { reason: "planLimitReached", details: expect.objectContaining(details) } });

describe("connect an account", () => {
  it("marketplace: allowed up to the limit, refused one over with the plan that lifts it; reconnecting is never limited", async () => {
    const fx = await createOrgFixture("ent-mkt");
    await setPlan(fx.organizationId, "pro"); // 3 marketplace accounts; the fixture has 1
    await marketplaceRow(fx, "second");
    const ctx = tenantCtxOf(fx);
    const third = await connectSandboxSeller(ctx, 310_000_001); // 3 of 3: allowed
    expect(await db.connection.findUniqueOrThrow({ where: { id: third.id } })).toMatchObject({ status: "ACTIVE" });
    await expect(connectSandboxSeller(ctx, 310_000_002)).rejects.toMatchObject(
      refusal({ limit: "marketplaceAccounts", used: 3, max: 3, plan: "Pro", planCode: "pro", upgradePlan: "Agência", upgradePlanCode: "agencia", upgradeLimit: 20 }),
    );
    expect(await db.connection.count({ where: { organizationId: fx.organizationId, externalAccountId: "310000002" } })).toBe(0);
    // Reconnecting the account it already has takes no new slot.
    expect((await connectSandboxSeller(ctx, 310_000_001)).id).toBe(third.id);
    // A disconnected account freed its slot: reconnecting it counts again (and fits: 2 + 1 = 3).
    await (await callerFor(fx.users.OWNER.userId)).connectors.disconnect({ connectionId: third.id });
    expect((await connectSandboxSeller(ctx, 310_000_001)).id).toBe(third.id);
    await db.connection.update({ where: { id: third.id }, data: { status: "DISCONNECTED" } });
    await marketplaceRow(fx, "fills-the-slot");
    await expect(connectSandboxSeller(ctx, 310_000_001)).rejects.toMatchObject(refusal({ limit: "marketplaceAccounts", used: 3, max: 3 }));
  });

  it("social: the connect start is allowed at limit − 1 and refused at the limit; an account already connected is admitted", async () => {
    const fx = await createOrgFixture("ent-soc");
    await setPlan(fx.organizationId, "pro"); // 5 social accounts; the fixture has 2 Instagram
    await db.connection.updateMany({ where: { organizationId: fx.organizationId, kind: "SOCIAL" }, data: { status: "DISCONNECTED" } });
    for (const label of ["a", "b", "c", "d"]) await socialRow(fx, label);
    const ctx = tenantCtxOf(fx);
    const tiktok = { provider: "TIKTOK" as const, consentVersion: "tiktok-2026-11", appUrl: TEST_APP_URL };
    await expect(beginConnect(ctx, tiktok)).resolves.toMatchObject({ authorizationUrl: expect.any(String) });
    const fifth = await socialRow(fx, "e");
    await expect(beginConnect(ctx, tiktok)).rejects.toMatchObject(refusal({ limit: "socialAccounts", used: 5, max: 5, plan: "Pro", upgradePlan: "Agência", upgradeLimit: 40 }));
    // The callback check with the provider's account id: a reconnect passes, a new account does not.
    await expect(assertSocialAccountAllowed(ctx, { provider: "INSTAGRAM", externalAccountId: fifth.externalAccountId })).resolves.toBeUndefined();
    await expect(assertSocialAccountAllowed(ctx, { provider: "INSTAGRAM", externalAccountId: "ig-brand-new" })).rejects.toMatchObject(refusal({ limit: "socialAccounts" }));
  });
});

describe("listings tracked", () => {
  it("stores new listings only within the limit, counts and notifies the rest once, and keeps updating stored ones", async () => {
    const fx = await createOrgFixture("ent-list");
    // Free plan: 1 marketplace account, 200 listings. The fixture's account steps aside for the sandbox's.
    await db.connection.update({ where: { id: fx.connectionId }, data: { status: "DISCONNECTED" } });
    const connection = await connectSandboxSeller(tenantCtxOf(fx), 310_000_003);
    await setPlan(fx.organizationId, "gratis");
    const { last } = await runSync(fx, connection.id);
    expect(last).toMatchObject({ kind: "done", processed: 230 });
    expect(await db.listing.count({ where: { organizationId: fx.organizationId, connectionId: connection.id } })).toBe(200);
    const notes = await db.notification.findMany({ where: { organizationId: fx.organizationId, kind: "listings.limitReached" } });
    expect(notes).toHaveLength(1);
    expect(notes[0]!.params).toMatchObject({ connectionId: connection.id, skipped: 30, max: 200, plan: "Grátis", upgradePlan: "Pro", upgradeLimit: 5000 });

    // A second run: the stored 200 are refreshed, nothing new fits, the month's notification is not repeated.
    const before = new Date();
    await runSync(fx, connection.id);
    expect(await db.listing.count({ where: { organizationId: fx.organizationId, connectionId: connection.id } })).toBe(200);
    expect(await db.listing.count({ where: { organizationId: fx.organizationId, connectionId: connection.id, syncedAt: { gte: before } } })).toBe(200);
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "listings.limitReached" } })).toBe(1);

    // After an upgrade the rest come in.
    await setPlan(fx.organizationId, "pro");
    await runSync(fx, connection.id);
    expect(await db.listing.count({ where: { organizationId: fx.organizationId, connectionId: connection.id } })).toBe(230);
  });
});

/** A content ready for Instagram (approved, valid variant, one READY square JPEG). */
async function readyContent(fx: OrgFixture, title = "Post pronto") {
  const content = await db.content.create({ data: { organizationId: fx.organizationId, title, baseCaption: "Legenda", status: "APPROVED", createdById: fx.users.OWNER.userId } });
  await db.contentVariant.create({ data: { organizationId: fx.organizationId, contentId: content.id, network: "INSTAGRAM", caption: "Legenda do post", hashtags: ["loja"] } });
  await db.media.create({
    data: { organizationId: fx.organizationId, contentId: content.id, storageKey: `${fx.organizationId}/${content.id}.jpg`, fileName: "a.jpg", mimeType: "image/jpeg", sizeBytes: 2048n, checksumSha256: "1".repeat(64), width: 1080, height: 1080, status: "READY" },
  });
  return content.id;
}

describe("posts per month", () => {
  it("counts publications in the UTC month of their time: allowed up to the limit, refused one over; a move into a full month is refused", async () => {
    const fx = await createOrgFixture("ent-posts");
    await setPlan(fx.organizationId, "gratis"); // 20 posts a month, 1 social account
    // The fixture's own publications step aside (canceled ones take no slot).
    await db.publication.updateMany({ where: { organizationId: fx.organizationId }, data: { status: "CANCELED" } });
    // The fixture's spare account is beyond the free plan's one social account: schedule on the oldest.
    const account = fx.social.socialConnectionId;
    await db.connection.update({ where: { id: fx.social.spareSocialConnectionId }, data: { createdAt: new Date(Date.now() + 1000) } });
    // Next month, so "now" never straddles a month boundary mid-test.
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 10, 12));
    const monthAfter = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 10, 12));
    const contentIds: string[] = [];
    for (let i = 0; i < 21; i++) contentIds.push(await readyContent(fx, `Post ${i}`));
    const caller = await callerFor(fx.users.OWNER.userId);
    for (let i = 0; i < 19; i++) {
      await db.publication.create({ data: { organizationId: fx.organizationId, contentId: contentIds[i]!, connectionId: account, scheduledAt: nextMonth } });
    }
    const [twentieth] = await caller.publications.schedule({ contentId: contentIds[19]!, targets: [{ connectionId: account, scheduledAt: nextMonth }] });
    expect(twentieth!.status).toBe("SCHEDULED");
    await expect(caller.publications.schedule({ contentId: contentIds[20]!, targets: [{ connectionId: account, scheduledAt: nextMonth }] })).rejects.toMatchObject(
      refusedCall({ limit: "postsPerMonth", used: 20, max: 20, plan: "Grátis", upgradePlan: "Pro", upgradeLimit: 300 }),
    );
    // Another month has its own 20.
    const [later] = await caller.publications.schedule({ contentId: contentIds[20]!, targets: [{ connectionId: account, scheduledAt: monthAfter }] });
    // Within the same month a reschedule takes nothing new; into the full month it is refused.
    await caller.publications.reschedule({ id: twentieth!.id, scheduledAt: new Date(nextMonth.getTime() + DAY) });
    await expect(caller.publications.reschedule({ id: later!.id, scheduledAt: nextMonth })).rejects.toMatchObject(refusedCall({ limit: "postsPerMonth", used: 20, max: 20 }));
    // A canceled post frees its slot.
    await caller.publications.cancel({ id: twentieth!.id });
    await expect(caller.publications.reschedule({ id: later!.id, scheduledAt: nextMonth })).resolves.toMatchObject({ status: "SCHEDULED" });
  });

  it("a retry of a post that failed in an earlier month takes one of this month's posts; one in the same month takes nothing new", async () => {
    const fx = await createOrgFixture("ent-retry");
    await setPlan(fx.organizationId, "gratis"); // 20 posts a month, 1 social account
    await db.publication.updateMany({ where: { organizationId: fx.organizationId }, data: { status: "CANCELED" } });
    const account = fx.social.socialConnectionId;
    await db.connection.update({ where: { id: fx.social.spareSocialConnectionId }, data: { createdAt: new Date(Date.now() + 1000) } });
    // "Now" is the 10th of next month: the retry moves a post to now.
    const today = new Date();
    const now = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 10, 12));
    const lastMonth = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 5, 12));
    const contentIds: string[] = [];
    for (let i = 0; i < 22; i++) contentIds.push(await readyContent(fx, `Retry ${i}`));
    for (let i = 0; i < 20; i++) {
      await db.publication.create({ data: { organizationId: fx.organizationId, contentId: contentIds[i]!, connectionId: account, scheduledAt: new Date(now.getTime() + DAY) } });
    }
    const failedEarlier = await db.publication.create({
      data: { organizationId: fx.organizationId, contentId: contentIds[20]!, connectionId: account, scheduledAt: lastMonth, status: "FAILED", failureCode: "network_error" },
    });
    const failedThisMonth = await db.publication.create({
      data: { organizationId: fx.organizationId, contentId: contentIds[21]!, connectionId: account, scheduledAt: new Date(now.getTime() - DAY), status: "FAILED", failureCode: "network_error" },
    });
    const ctx = tenantCtxOf(fx);
    // This month already holds 21 posts (20 scheduled + the one that failed in it) on a plan of 20:
    // moving last month's failure into it is refused, and that post stays FAILED.
    await expect(publications.retry(ctx, { id: failedEarlier.id }, now)).rejects.toMatchObject(refusal({ limit: "postsPerMonth", max: 20 }));
    expect((await db.publication.findUniqueOrThrow({ where: { id: failedEarlier.id } })).status).toBe("FAILED");
    // Already counted in this month: its retry takes nothing new.
    await expect(publications.retry(ctx, { id: failedThisMonth.id }, now)).resolves.toMatchObject({ status: "SCHEDULED" });
  });
});

describe("AI credits", () => {
  const TITLE = {
    kind: "title" as const,
    facts: { provider: "MERCADOLIVRE" as const, title: "Fone JBL", categoryId: "MLB1", description: "Fone JBL Tune 510BT preto", attributes: [{ id: "BRAND", name: "Marca", value: "JBL" }], gtin: null, priceCents: 24990, freeShipping: true },
    maxLength: 60,
  };
  const GOOD = { text: "Fone de Ouvido Bluetooth JBL Tune 510BT Preto", notes: [] };

  async function spend(fx: OrgFixture, credits: number) {
    await db.aiUsage.create({ data: { organizationId: fx.organizationId, feature: "actions.title", provider: "openai-compatible", model: "m", promptTokens: credits * 1000, completionTokens: 0, credits, latencyMs: 1 } });
  }

  it("calls the provider with one credit left; with none, background work falls back without a call and a person's request is refused", async () => {
    const fx = await createOrgFixture("ent-ai");
    await setPlan(fx.organizationId, "gratis"); // 50 credits
    await spend(fx, 49);
    const metering = { organizationId: fx.organizationId, userId: fx.users.OPERATOR.userId, feature: "actions.title" };
    ai.script({ kind: "content", content: GOOD, promptTokens: 120, completionTokens: 30 });
    const copy = await generateListingCopy(db, metering, TITLE, { provider });
    expect(copy.generator).toBe("ai");
    expect(ai.received).toHaveLength(1);

    // 50 of 50 used now: no provider call at all.
    const fallback = await generateListingCopy(db, metering, TITLE, { provider });
    expect(fallback.generator).toBe("local");
    expect(fallback.notes.join(" ")).toContain("créditos de IA do mês esgotados");
    const reply = await generateCommentReply(db, { organizationId: fx.organizationId }, { network: "INSTAGRAM", instructions: "Agradeça", comment: "Amei!", authorName: "Ana", maxLength: 200 }, "Obrigado, Ana!", { provider });
    expect(reply).toMatchObject({ generator: "template", text: "Obrigado, Ana!" });
    expect(reply.note).toContain("créditos de IA do mês esgotados");
    await expect(generateListingCopy(db, metering, TITLE, { provider, onLimit: "refuse" })).rejects.toMatchObject(
      refusal({ limit: "aiCreditsPerMonth", used: 50, max: 50, plan: "Grátis", upgradePlan: "Pro", upgradeLimit: 1000 }),
    );
    expect(ai.received).toHaveLength(1);
  });

  it("the ai.llm flag off for the organization means no provider call", async () => {
    const fx = await createOrgFixture("ent-ai-flag");
    const flag = await db.featureFlag.upsert({ where: { key: "ai.llm" }, create: { key: "ai.llm", enabled: true }, update: {} });
    await db.featureFlagOverride.create({ data: { key: flag.key, organizationId: fx.organizationId, enabled: false } });
    const copy = await generateListingCopy(db, { organizationId: fx.organizationId, feature: "actions.title" }, TITLE, { provider, onLimit: "refuse" });
    expect(copy.generator).toBe("local");
    expect(copy.notes.join(" ")).toContain("IA desativada");
    expect(ai.received).toHaveLength(0);
  });
});

describe("seats", () => {
  it("counts members and open invitations: invite up to the limit, refused one over; accepting refuses when members alone fill the seats", async () => {
    const fx = await createOrgFixture("ent-seats");
    await setPlan(fx.organizationId, "pro"); // 10 seats; 4 members + 1 invitation
    const caller = await callerFor(fx.users.OWNER.userId);
    for (let i = 0; i < 5; i++) await caller.tenants.invitations.create({ email: uniqueEmail("seat"), role: "VIEWER" });
    await expect(caller.tenants.invitations.create({ email: uniqueEmail("seat"), role: "VIEWER" })).rejects.toMatchObject(
      refusedCall({ limit: "seats", used: 10, max: 10, plan: "Pro", upgradePlan: "Agência", upgradeLimit: 50 }),
    );
    // The fixture's invitation holds its seat: accepting it is allowed at the limit.
    const invitee = await callerFor(fx.inviteeUserId);
    await expect(invitee.tenants.invitations.accept({ token: fx.invitationToken })).resolves.toMatchObject({ organizationId: fx.organizationId });

    // After a downgrade to 2 seats, an open invitation can no longer be accepted (5 members ≥ 2).
    const person = await createUser("Convidada");
    const invitation = await caller.tenants.invitations.create({ email: person.email, role: "VIEWER" }).catch(() => null);
    expect(invitation).toBeNull(); // still full on Pro: 5 members + 5 invitations
    await db.invitation.updateMany({ where: { organizationId: fx.organizationId, acceptedAt: null }, data: { revokedAt: new Date() } });
    const open = await caller.tenants.invitations.create({ email: person.email, role: "VIEWER" });
    await setPlan(fx.organizationId, "gratis");
    await expect((await callerFor(person.userId)).tenants.invitations.accept({ token: open.token })).rejects.toMatchObject(refusedCall({ limit: "seats", used: 5, max: 2 }));
    expect(await db.membership.count({ where: { organizationId: fx.organizationId, userId: person.userId } })).toBe(0);
  });
});

describe("effective plan", () => {
  it("past_due keeps the plan during the grace period and falls to the free plan after it; a lapsed trial is the free plan", async () => {
    const fx = await createOrgFixture("ent-eff");
    await setPlan(fx.organizationId, "pro", { status: "PAST_DUE", pastDueSince: new Date(Date.now() - 2 * DAY), graceUntil: new Date(Date.now() + 5 * DAY) });
    expect(await effectivePlan(db, fx.organizationId)).toMatchObject({ code: "pro", basis: "grace" });
    await setPlan(fx.organizationId, "pro", { status: "PAST_DUE", pastDueSince: new Date(Date.now() - 8 * DAY), graceUntil: new Date(Date.now() - DAY) });
    expect(await effectivePlan(db, fx.organizationId)).toMatchObject({ code: "gratis", basis: "free" });
    await setPlan(fx.organizationId, "pro", { status: "TRIALING", trialEndsAt: new Date(Date.now() + DAY) });
    expect(await effectivePlan(db, fx.organizationId)).toMatchObject({ code: "pro", basis: "subscription" });
    await setPlan(fx.organizationId, "pro", { status: "TRIALING", trialEndsAt: new Date(Date.now() - 1000) });
    expect(await effectivePlan(db, fx.organizationId)).toMatchObject({ code: "gratis", basis: "free" });
    await setPlan(fx.organizationId, "agencia", { status: "CANCELED" });
    expect(await effectivePlan(db, fx.organizationId)).toMatchObject({ code: "gratis" });
  });
});

describe("downgrade with excess data", () => {
  it("deletes nothing; the newest accounts, listings and members beyond the plan are read-only", async () => {
    const fx = await createOrgFixture("ent-down");
    const old = new Date(Date.now() - 10 * DAY);
    await db.connection.update({ where: { id: fx.connectionId }, data: { createdAt: old } });
    const extraMarket = await marketplaceRow(fx, "newer");
    // 201 more listings on the fixture's account: 202 in all, 2 beyond the free plan's 200.
    await db.listing.createMany({
      data: Array.from({ length: 201 }, (_, i) => ({ organizationId: fx.organizationId, connectionId: fx.connectionId, provider: "MERCADOLIVRE" as const, externalId: `MLBX${i}`, title: `Extra ${i}`, priceCents: 1000, createdAt: new Date(Date.now() + i) })),
    });
    await db.listing.update({ where: { id: fx.listingId }, data: { createdAt: old } });
    const newest = await db.listing.findFirstOrThrow({ where: { organizationId: fx.organizationId, externalId: "MLBX200" } });
    const newestAction = await db.action.create({ data: { organizationId: fx.organizationId, listingId: newest.id, type: "ADD_PHOTOS", payload: {}, reason: "excess" } });
    const counts = async () => ({
      connections: await db.connection.count({ where: { organizationId: fx.organizationId } }),
      listings: await db.listing.count({ where: { organizationId: fx.organizationId } }),
      members: await db.membership.count({ where: { organizationId: fx.organizationId } }),
    });
    const before = await counts();

    // Creation order decides who is within the plan: make it explicit (fixture rows share a millisecond).
    await db.connection.update({ where: { id: fx.social.spareSocialConnectionId }, data: { createdAt: new Date(Date.now() + 1000) } });
    for (const [i, role] of (["OWNER", "MANAGER", "OPERATOR", "VIEWER"] as const).entries()) {
      await db.membership.update({ where: { id: fx.users[role].membershipId }, data: { createdAt: new Date(old.getTime() + i * 1000) } });
    }

    await setPlan(fx.organizationId, "gratis");
    expect(await counts()).toEqual(before);

    // Marketplace account beyond the plan: its sync stops with a clear state, its data stays readable.
    expect((await runSync(fx, extraMarket.id)).started).toBe(false);
    expect(await db.connection.findUniqueOrThrow({ where: { id: extraMarket.id } })).toMatchObject({ lastError: OVER_PLAN_TEXT });
    const cards = await (await callerFor(fx.users.VIEWER.userId)).connectors.cards();
    expect(JSON.stringify(cards)).toContain(extraMarket.id);

    // Listing beyond the plan: visible, but its action cannot be approved; an older listing's can.
    const owner = await callerFor(fx.users.OWNER.userId);
    await expect(owner.actions.approve({ id: newestAction.id })).rejects.toMatchObject(refusedCall({ limit: "listings", used: 202, max: 200, upgradePlan: "Pro" }));
    await expect(owner.listings.get({ id: newest.id })).resolves.toMatchObject({ id: newest.id });
    await expect(owner.actions.approve({ id: fx.titleActionId })).resolves.toMatchObject({ status: "APPROVED" });
    // One approved before the downgrade is not applied: it fails with plan_limit (retryable after an upgrade).
    const approvedBefore = await db.action.create({ data: { organizationId: fx.organizationId, listingId: newest.id, type: "ADJUST_PRICE", status: "APPROVED", payload: { fromCents: 1000, toCents: 900, referenceCents: 900 }, reason: "excess" } });
    await expect(applyAction(jobTenantCtx(db, { organizationId: fx.organizationId }), { actionId: approvedBefore.id })).resolves.toMatchObject({ status: "FAILED", code: "plan_limit" });
    expect(await db.action.findUniqueOrThrow({ where: { id: approvedBefore.id } })).toMatchObject({ status: "FAILED", failureCode: "plan_limit" });

    // Social account beyond the plan (the fixture's spare, the newer of two): scheduling refused…
    const contentId = await readyContent(fx);
    await expect(owner.publications.schedule({ contentId, targets: [{ connectionId: fx.social.spareSocialConnectionId, scheduledAt: inMinutes(30) }] })).rejects.toMatchObject(
      refusedCall({ limit: "socialAccounts", used: 2, max: 1 }),
    );
    // …and a due publication for it fails with plan_limit and a notification, never silently.
    const due = await db.publication.create({ data: { organizationId: fx.organizationId, contentId, connectionId: fx.social.spareSocialConnectionId, scheduledAt: new Date(), status: "DISPATCHED" } });
    const step = await publishStep(jobTenantCtx(db, { organizationId: fx.organizationId }), { publicationId: due.id, version: due.version });
    expect(step).toMatchObject({ kind: "done", status: "FAILED" });
    expect(await db.publication.findUniqueOrThrow({ where: { id: due.id } })).toMatchObject({ status: "FAILED", failureCode: "plan_limit" });
    expect(await db.notification.count({ where: { organizationId: fx.organizationId, kind: "publication.failed", params: { path: ["publicationId"], equals: due.id } } })).toBe(1);
    // After an upgrade the retry goes back to the queue.
    await setPlan(fx.organizationId, "pro");
    await expect(publications.retry(tenantCtxOf(fx), { id: due.id })).resolves.toMatchObject({ status: "SCHEDULED" });

    // Seats: 4 members on 2 seats → the two newest act as viewers; owners are never demoted.
    await setPlan(fx.organizationId, "gratis");
    const roleOf = async (userId: string) => (await resolveTenant({ db, userId, request: { correlationId: "t" }, log: tenantCtxOf(fx).log })).role;
    expect(await roleOf(fx.users.OWNER.userId)).toBe("OWNER");
    expect(await roleOf(fx.users.MANAGER.userId)).toBe("MANAGER");
    expect(await roleOf(fx.users.OPERATOR.userId)).toBe("VIEWER");
    expect(await roleOf(fx.users.VIEWER.userId)).toBe("VIEWER");
    await db.membership.update({ where: { id: fx.users.OPERATOR.membershipId }, data: { role: "OWNER" } });
    expect(await roleOf(fx.users.OPERATOR.userId)).toBe("OWNER");
    await setPlan(fx.organizationId, "pro");
    await db.membership.update({ where: { id: fx.users.OPERATOR.membershipId }, data: { role: "OPERATOR" } });
    expect(await roleOf(fx.users.OPERATOR.userId)).toBe("OPERATOR");
    // The resolver's one query applies the same plan rules: past_due keeps the seats during grace only.
    await setPlan(fx.organizationId, "pro", { status: "PAST_DUE", graceUntil: new Date(Date.now() + DAY) });
    expect(await roleOf(fx.users.OPERATOR.userId)).toBe("OPERATOR");
    await setPlan(fx.organizationId, "pro", { status: "PAST_DUE", graceUntil: new Date(Date.now() - 1000) });
    expect(await roleOf(fx.users.OPERATOR.userId)).toBe("VIEWER");
    await setPlan(fx.organizationId, "pro", { status: "TRIALING", trialEndsAt: new Date(Date.now() - 1000) });
    expect(await roleOf(fx.users.OPERATOR.userId)).toBe("VIEWER");
    expect(await counts()).toEqual(before);
  });
});
