import { randomUUID } from "node:crypto";

import type { Role } from "~/generated/prisma/enums";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { db } from "~/server/db";
import { randomToken, sha256 } from "~/server/lib/crypto";
import { logger } from "~/server/lib/logger";
import type { TenantCtx } from "~/server/services/context";
import { recordingCaller } from "./response-recorder";

// Integration tests talk to a real PostgreSQL database that `npm test` creates, migrates and drops.
if (!process.env.DATABASE_URL) {
  throw new Error(
    "DATABASE_URL is not set. Run `npm test` (it creates a fresh, migrated database for the run) " +
      "or point DATABASE_URL at a migrated scratch database.",
  );
}

export { db };

const ROLES: Role[] = ["OWNER", "MANAGER", "OPERATOR", "VIEWER"];

// A valid bcrypt hash of "not-used-in-these-tests" is not needed: fixtures never sign in with
// credentials; they call procedures as a session user, exactly as the tRPC route does.
const UNUSABLE_HASH = "$2b$04$unusableunusableunusableunusableunusableunusableunusa";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${randomUUID().slice(0, 6)}`;

export type OrgFixture = Awaited<ReturnType<typeof createOrgFixture>>;

/**
 * An organization with one user per role, plus one row of each kind the procedures act on,
 * so access tests have real ids to aim at.
 */
export async function createOrgFixture(label = "org") {
  const id = unique();
  const org = await db.organization.create({ data: { name: `${label} ${id}`, slug: `${label}-${id}` } });
  // The largest plan, so limits never get in the way of tests about something else (setPlan changes it).
  await setPlan(org.id, "agencia");
  const users = {} as Record<Role, { userId: string; membershipId: string; email: string }>;
  for (const role of ROLES) {
    const email = `${role.toLowerCase()}-${id}@example.test`;
    const user = await db.user.create({
      data: { email, name: `${role} ${label}`, passwordHash: UNUSABLE_HASH, activeOrganizationId: org.id },
    });
    const membership = await db.membership.create({ data: { organizationId: org.id, userId: user.id, role } });
    users[role] = { userId: user.id, membershipId: membership.id, email };
  }
  // Someone invited but not yet a member: the only user who may accept the invitation.
  const invitee = await db.user.create({
    data: { email: `invitee-${id}@example.test`, name: `Invitee ${label}`, passwordHash: UNUSABLE_HASH },
  });
  const invitationToken = randomToken();
  const invitation = await db.invitation.create({
    data: {
      organizationId: org.id,
      email: invitee.email,
      role: "VIEWER",
      tokenHash: sha256(invitationToken),
      invitedById: users.OWNER.userId,
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const connection = await db.connection.create({
    data: { organizationId: org.id, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: `ml-${id}`, accountName: `Conta ${label}` },
  });
  const listing = await db.listing.create({
    data: { organizationId: org.id, connectionId: connection.id, provider: "MERCADOLIVRE", externalId: `MLB${id}`, title: `Anúncio ${label}`, priceCents: 1990 },
  });
  const action = await db.action.create({
    data: { organizationId: org.id, listingId: listing.id, type: "ADD_PHOTOS", payload: {}, reason: `fixture ${label}` },
  });
  // A title suggestion (actions.regenerateCopy) and an apply that failed for a transient reason (actions.retry).
  const titleAction = await db.action.create({
    data: {
      organizationId: org.id,
      listingId: listing.id,
      type: "REWRITE_TITLE",
      payload: { title: `Anúncio ${label} completo`, previousTitle: `Anúncio ${label}`, maxLength: 60, generator: "local", notes: [] },
      reason: "title_too_short",
    },
  });
  const failedAction = await db.action.create({
    data: {
      organizationId: org.id,
      listingId: listing.id,
      type: "ADJUST_PRICE",
      status: "FAILED",
      payload: { fromCents: 1990, toCents: 1790, referenceCents: 1790 },
      reason: "price_above_reference",
      failureCode: "retries_exhausted",
      failureReason: "transient: Mercado Livre PUT /items: 503",
      failedAt: new Date(),
    },
  });
  const content = await db.content.create({ data: { organizationId: org.id, title: `Post ${label}` } });
  const social = await createSocialRows(org.id, id, label, users.OWNER.userId, content.id);
  const audit = await db.auditLog.create({ data: { organizationId: org.id, actorUserId: users.OWNER.userId, action: "fixture.created" } });
  // A failed background-job run (the jobs.* procedures list and retry it).
  const jobRun = await db.jobRun.create({
    data: {
      organizationId: org.id,
      functionId: "super-seller-fixture",
      eventName: "fixture/created",
      eventId: `fixture-${id}`,
      event: { name: "fixture/created", data: { organizationId: org.id } },
      status: "FAILED",
      attempts: 1,
      maxAttempts: 1,
      error: "fixture failure",
      startedAt: new Date(),
      finishedAt: new Date(),
    },
  });
  return {
    organizationId: org.id,
    users,
    invitationId: invitation.id,
    invitationToken,
    inviteeUserId: invitee.id,
    connectionId: connection.id,
    listingId: listing.id,
    actionId: action.id,
    titleActionId: titleAction.id,
    failedActionId: failedAction.id,
    contentId: content.id,
    /** Social rows (issue 6): an Instagram connection, campaign, variant, media, publication, comment, automation, notification. */
    social,
    auditId: audit.id,
    jobRunId: jobRun.id,
    /** Every id of this organization's rows: none may ever appear in another tenant's response. */
    allIds(): string[] {
      return [
        org.id,
        invitation.id,
        connection.id,
        listing.id,
        action.id,
        titleAction.id,
        failedAction.id,
        content.id,
        ...Object.values(social),
        audit.id,
        jobRun.id,
        invitee.id,
        ...ROLES.flatMap((r) => [users[r].userId, users[r].membershipId]),
      ];
    },
  };
}

/**
 * Puts the organization on a plan (a Subscription row, as billing would). `status` defaults to
 * ACTIVE; pass graceUntil for PAST_DUE and trialEndsAt for TRIALING.
 */
export async function setPlan(
  organizationId: string,
  code: "gratis" | "pro" | "agencia",
  opts: { status?: "ACTIVE" | "TRIALING" | "PAST_DUE" | "CANCELED" | "INCOMPLETE"; graceUntil?: Date | null; pastDueSince?: Date | null; trialEndsAt?: Date | null } = {},
) {
  const plan = await db.plan.findUniqueOrThrow({ where: { code }, select: { id: true } });
  const data = {
    planId: plan.id,
    status: opts.status ?? "ACTIVE",
    graceUntil: opts.graceUntil ?? null,
    pastDueSince: opts.pastDueSince ?? null,
    trialEndsAt: opts.trialEndsAt ?? null,
  } as const;
  await db.subscription.upsert({ where: { organizationId }, create: { organizationId, ...data }, update: data });
}

/**
 * A caller = a person who just signed in: a real UserSession row with stepUpAt = now, its id in
 * `sessionId` (step-up procedures pass). `session: "stale"` makes a session whose step-up is older
 * than any window; `"none"` makes no session (like a bearer credential or an old JWT).
 */
export async function callerFor(userId: string | null, ip = "203.0.113.10", options: { session?: "fresh" | "stale" | "none" } = {}) {
  const headers = new Headers({ "x-forwarded-for": ip, "user-agent": "vitest" });
  const sessionId = userId ? await testSession(userId, options.session ?? "fresh") : undefined;
  const ctx = await createTRPCContext({ headers, sessionUser: userId ? { id: userId, ...(sessionId ? { sessionId } : {}) } : null });
  return recordingCaller(createCaller(ctx));
}

async function testSession(userId: string, kind: "fresh" | "stale" | "none"): Promise<string | undefined> {
  if (kind === "none") return undefined;
  const now = Date.now();
  const row = await db.userSession.create({
    data: {
      userId,
      ip: "203.0.113.10",
      userAgent: "vitest",
      expiresAt: new Date(now + 24 * 60 * 60_000),
      stepUpAt: new Date(kind === "fresh" ? now : now - 24 * 60 * 60_000),
    },
    select: { id: true },
  });
  return row.id;
}

/** Creates a signed-up user (through the real service) and returns a caller for them. */
export async function createUser(name = "Pessoa Teste") {
  const email = `user-${unique()}@example.test`;
  const user = await db.user.create({ data: { email, name, passwordHash: UNUSABLE_HASH } });
  return { userId: user.id, email };
}

export function uniqueEmail(prefix = "person") {
  return `${prefix}-${unique()}@example.test`;
}

/** The tRPC error code of a rejected call, or "OK" when it resolved. */
export async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (error) {
    const code = (error as { code?: string }).code;
    return typeof code === "string" ? code : "THREW";
  }
}

/** A tenant service context for one of the fixture's users, as tenantProcedure builds it. */
export function tenantCtxOf(fx: OrgFixture, role: Role = "OWNER"): TenantCtx {
  const userId = fx.users[role].userId;
  return {
    db,
    userId,
    request: { correlationId: `test-${Date.now()}`, ip: "203.0.113.10", userAgent: "vitest" },
    log: logger,
    tenant: { organizationId: fx.organizationId, userId, role },
  };
}

/** One row of each social kind, owned by the organization (the content, media and publication procedures aim at them). */
async function createSocialRows(organizationId: string, id: string, label: string, ownerUserId: string, contentId: string) {
  const connection = await db.connection.create({
    data: { organizationId, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId: `ig-${id}`, accountName: `@conta_${label}` },
  });
  // A second account with nothing scheduled on it (publications.schedule needs a free account).
  const spareConnection = await db.connection.create({
    data: { organizationId, provider: "INSTAGRAM", kind: "SOCIAL", externalAccountId: `ig-spare-${id}`, accountName: `@reserva_${label}` },
  });
  const campaign = await db.campaign.create({ data: { organizationId, name: `Campanha ${label}`, objective: "awareness" } });
  await db.content.update({ where: { id: contentId }, data: { campaignId: campaign.id, baseCaption: `Legenda ${label}` } });
  const variant = await db.contentVariant.create({ data: { organizationId, contentId, network: "INSTAGRAM", caption: `Legenda ${label}`, hashtags: ["demo"] } });
  const media = await db.media.create({
    data: {
      organizationId,
      contentId,
      storageKey: `${organizationId}/fixture-${id}.jpg`,
      fileName: "foto.jpg",
      mimeType: "image/jpeg",
      sizeBytes: 1024n,
      checksumSha256: "0".repeat(64),
      width: 1080,
      height: 1080,
      status: "READY",
    },
  });
  const publication = await db.publication.create({
    data: { organizationId, contentId, variantId: variant.id, connectionId: connection.id, scheduledAt: new Date(Date.now() + 7 * 86_400_000), createdById: ownerUserId },
  });
  const failedPublication = await db.publication.create({
    data: {
      organizationId,
      contentId,
      variantId: variant.id,
      connectionId: connection.id,
      scheduledAt: new Date(Date.now() - 3_600_000),
      status: "FAILED",
      failureCode: "media_rejected",
      lastError: "Instagram refused the image (fixture)",
      attempts: 1,
    },
  });
  const comment = await db.comment.create({
    data: {
      organizationId,
      connectionId: connection.id,
      publicationId: publication.id,
      externalId: `c-${id}`,
      threadExternalId: `c-${id}`,
      postExternalId: `post-${id}`,
      authorName: "Cliente",
      authorExternalId: `u-${id}`,
      text: "Qual o preço?",
      receivedAt: new Date(),
    },
  });
  // Our reply to it that the network refused (engagement.retryReply aims at it).
  const failedReply = await db.comment.create({
    data: {
      organizationId,
      connectionId: connection.id,
      publicationId: publication.id,
      externalId: `pending:r-${id}`,
      parentExternalId: `c-${id}`,
      threadExternalId: `c-${id}`,
      postExternalId: `post-${id}`,
      authorName: `@conta_${label}`,
      authorExternalId: `ig-${id}`,
      fromAccount: true,
      deliveryStatus: "FAILED",
      deliveryError: "fixture failure",
      text: "Enviamos por DM!",
      receivedAt: new Date(),
    },
  });
  const automation = await db.automation.create({ data: { organizationId, name: `Preço ${label}`, keywords: ["preço"], replyTemplate: "Olá! Enviamos o preço por DM." } });
  const notification = await db.notification.create({ data: { organizationId, kind: "publication.failed", params: { publicationId: failedPublication.id } } });
  // A content waiting for review with nothing scheduled (content.approve/requestChanges/delete aim at it).
  const reviewContent = await db.content.create({ data: { organizationId, title: `Em revisão ${label}`, status: "IN_REVIEW", submittedAt: new Date() } });
  return {
    socialConnectionId: connection.id,
    spareSocialConnectionId: spareConnection.id,
    campaignId: campaign.id,
    variantId: variant.id,
    mediaId: media.id,
    publicationId: publication.id,
    failedPublicationId: failedPublication.id,
    commentId: comment.id,
    failedReplyId: failedReply.id,
    automationId: automation.id,
    notificationId: notification.id,
    reviewContentId: reviewContent.id,
  };
}
