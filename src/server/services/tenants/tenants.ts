import { env } from "~/env";
import type { Role } from "~/generated/prisma/enums";
import { permissionsOf, ROLE_RANK } from "~/server/auth/permissions";
import { assertEntitlement, assertMemberSeatAvailable } from "~/server/billing/entitlements";
import { randomToken, sha256 } from "~/server/lib/crypto";
import { AppError, forbidden, notFound } from "~/server/lib/errors";
import { logger } from "~/server/lib/logger";
import { sendMail } from "~/server/lib/mailer";
import { slugWithSuffix } from "~/server/lib/slug";
import { lockOrganizationLimit } from "~/server/repositories/entitlements";
import {
  createInvitation,
  findInvitationByTokenHash,
  findOpenInvitationForEmail,
  listOpenInvitations,
  markInvitationAccepted,
  revokeInvitation,
} from "~/server/repositories/invitations";
import {
  countOwners,
  createMembership,
  deleteMember,
  findMember,
  findMemberByUser,
  findRole,
  listMembers,
  listUserOrganizations,
  updateMemberRole,
} from "~/server/repositories/memberships";
import { createOrganization, findOrganization, lockOrganization, updateOrganization } from "~/server/repositories/organizations";
import { findActiveUserById, normalizeEmail, setActiveOrganization } from "~/server/repositories/users";
import { audit } from "../audit";
import type { TenantCtx, UserCtx } from "../context";

export const INVITATION_TTL_DAYS = 7;

const who = (ctx: TenantCtx) => ({ organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, request: ctx.request });

// ─── Organizations of the signed-in user ────────────────────────────────────────────────────

export async function listMyOrganizations(ctx: UserCtx) {
  const [user, memberships] = await Promise.all([
    findActiveUserById(ctx.db, ctx.userId),
    listUserOrganizations(ctx.db, ctx.userId),
  ]);
  const activeId = memberships.some((m) => m.organization.id === user?.activeOrganizationId)
    ? user?.activeOrganizationId
    : memberships[0]?.organization.id;
  return memberships.map((m) => ({ ...m.organization, role: m.role, active: m.organization.id === activeId }));
}

export async function createMyOrganization(ctx: UserCtx, input: { name: string }) {
  return ctx.db.$transaction(async (tx) => {
    const organization = await createOrganization(tx, { name: input.name.trim(), slug: slugWithSuffix(input.name), ownerUserId: ctx.userId });
    await setActiveOrganization(tx, ctx.userId, organization.id);
    await audit(tx, { organizationId: organization.id, userId: ctx.userId, request: ctx.request }, "organization.created", {
      type: "organization",
      id: organization.id,
    }, { name: organization.name });
    return organization;
  });
}

export async function switchOrganization(ctx: UserCtx, input: { organizationId: string }) {
  const role = await findRole(ctx.db, input.organizationId, ctx.userId);
  if (!role) throw notFound("Organization");
  await setActiveOrganization(ctx.db, ctx.userId, input.organizationId);
  return { organizationId: input.organizationId, role };
}

// ─── The active organization ────────────────────────────────────────────────────────────────

export async function currentOrganization(ctx: TenantCtx) {
  const organization = await findOrganization(ctx.db, ctx.tenant.organizationId);
  if (!organization) throw notFound("Organization");
  return { organization, role: ctx.tenant.role, permissions: permissionsOf(ctx.tenant.role) };
}

export async function updateCurrentOrganization(ctx: TenantCtx, input: { name?: string; timeZone?: string; locale?: string }) {
  return ctx.db.$transaction(async (tx) => {
    const organization = await updateOrganization(tx, ctx.tenant.organizationId, input);
    await audit(tx, who(ctx), "organization.updated", { type: "organization", id: organization.id }, { ...input });
    return organization;
  });
}

// ─── Members ────────────────────────────────────────────────────────────────────────────────

export async function listOrganizationMembers(ctx: TenantCtx) {
  const members = await listMembers(ctx.db, ctx.tenant.organizationId);
  return members.map((m) => ({ ...m, isYou: m.userId === ctx.tenant.userId }));
}

/** Only owners may touch owners or grant ownership; managers manage everyone else. */
function assertMayManage(actorRole: Role, targetRole: Role, newRole?: Role) {
  const touchesOwner = targetRole === "OWNER" || newRole === "OWNER";
  if (touchesOwner && actorRole !== "OWNER") throw forbidden("onlyOwnersManageOwners", "Only owners can change an owner or grant ownership");
  if (ROLE_RANK[actorRole] < ROLE_RANK[targetRole]) throw forbidden();
}

export async function changeMemberRole(ctx: TenantCtx, input: { membershipId: string; role: Role }) {
  const orgId = ctx.tenant.organizationId;
  return ctx.db.$transaction(async (tx) => {
    if (!(await lockOrganization(tx, orgId))) throw notFound("Organization");
    const target = await findMember(tx, orgId, input.membershipId);
    if (!target) throw notFound("Member");
    assertMayManage(ctx.tenant.role, target.role, input.role);
    if (target.role === input.role) return { ...target, isYou: target.userId === ctx.tenant.userId };
    if (target.role === "OWNER" && (await countOwners(tx, orgId)) <= 1) {
      throw new AppError("PRECONDITION_FAILED", "lastOwner", "The last owner cannot be demoted; make someone else owner first");
    }
    await updateMemberRole(tx, orgId, target.id, input.role);
    await audit(tx, who(ctx), "member.role_changed", { type: "membership", id: target.id }, {
      userId: target.userId,
      from: target.role,
      to: input.role,
    });
    return { ...target, role: input.role, isYou: target.userId === ctx.tenant.userId };
  });
}

export async function removeMember(ctx: TenantCtx, input: { membershipId: string }) {
  const orgId = ctx.tenant.organizationId;
  return ctx.db.$transaction(async (tx) => {
    if (!(await lockOrganization(tx, orgId))) throw notFound("Organization");
    const target = await findMember(tx, orgId, input.membershipId);
    if (!target) throw notFound("Member");
    const isSelf = target.userId === ctx.tenant.userId;
    if (!isSelf) assertMayManage(ctx.tenant.role, target.role);
    if (target.role === "OWNER" && (await countOwners(tx, orgId)) <= 1) {
      throw new AppError("PRECONDITION_FAILED", "lastOwner", "The last owner cannot leave or be removed");
    }
    await deleteMember(tx, orgId, target.id);
    await audit(tx, who(ctx), isSelf ? "member.left" : "member.removed", { type: "membership", id: target.id }, {
      userId: target.userId,
      role: target.role,
    });
    return { removed: true as const };
  });
}

export async function leaveOrganization(ctx: TenantCtx) {
  const me = await findMemberByUser(ctx.db, ctx.tenant.organizationId, ctx.tenant.userId);
  if (!me) throw notFound("Member");
  const result = await removeMember(ctx, { membershipId: me.id });
  await setActiveOrganization(ctx.db, ctx.tenant.userId, null);
  return result;
}

// ─── Invitations ────────────────────────────────────────────────────────────────────────────

export async function listInvitations(ctx: TenantCtx) {
  return listOpenInvitations(ctx.db, ctx.tenant.organizationId, new Date());
}

/**
 * Creates an invitation and returns its token once (only its hash is stored). Inviting an address
 * that already has an open invitation replaces it: the newest link is the one that works.
 */
export async function inviteMember(ctx: TenantCtx, input: { email: string; role: Role }) {
  const orgId = ctx.tenant.organizationId;
  const email = normalizeEmail(input.email);
  if (input.role === "OWNER" && ctx.tenant.role !== "OWNER") {
    throw forbidden("onlyOwnersManageOwners", "Only owners can invite another owner");
  }
  const now = new Date();
  const token = randomToken();
  const result = await ctx.db.$transaction(async (tx) => {
    const organization = await findOrganization(tx, orgId);
    if (!organization) throw notFound("Organization");
    const members = await listMembers(tx, orgId);
    if (members.some((m) => m.user.email === email)) {
      throw new AppError("CONFLICT", "alreadyMember", "This person is already a member", { field: "email" });
    }
    const previous = await findOpenInvitationForEmail(tx, orgId, email, now);
    if (previous) await revokeInvitation(tx, orgId, previous.id, now);
    // Members + open invitations against the plan's seats (a replaced invitation frees its seat first).
    await lockOrganizationLimit(tx, orgId, "seats");
    await assertEntitlement(tx, orgId, "seats", { now });
    const invitation = await createInvitation(tx, orgId, {
      email,
      role: input.role,
      tokenHash: sha256(token),
      invitedById: ctx.tenant.userId,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000),
    });
    await audit(tx, who(ctx), "invitation.created", { type: "invitation", id: invitation.id }, { email, role: input.role });
    return { invitation, organization };
  });
  const path = `/invite/${token}`;
  await sendMail({
    to: email,
    subject: `Convite para ${result.organization.name} no Super Seller`,
    text: `Você foi convidado(a) para ${result.organization.name}. Aceite em ${env.APP_URL}${path}`,
    // The invitation exists and its link is shown to the inviter: a mail server hiccup is not an error.
  }).catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, "invitation e-mail not sent"));
  return { ...result.invitation, token, path };
}

export async function cancelInvitation(ctx: TenantCtx, input: { invitationId: string }) {
  return ctx.db.$transaction(async (tx) => {
    const revoked = await revokeInvitation(tx, ctx.tenant.organizationId, input.invitationId, new Date());
    if (!revoked) throw notFound("Invitation");
    await audit(tx, who(ctx), "invitation.revoked", { type: "invitation", id: input.invitationId });
    return { revoked: true as const };
  });
}

type InvitationState = "open" | "accepted" | "revoked" | "expired";

async function loadInvitation(db: UserCtx["db"], token: string) {
  const invitation = await findInvitationByTokenHash(db, sha256(token));
  if (!invitation || invitation.organization.deletedAt) throw notFound("Invitation");
  const state: InvitationState = invitation.acceptedAt
    ? "accepted"
    : invitation.revokedAt
      ? "revoked"
      : invitation.expiresAt <= new Date()
        ? "expired"
        : "open";
  return { invitation, state };
}

/** What the invitation page shows before sign-in: the token itself is the credential. */
export async function previewInvitation(db: UserCtx["db"], input: { token: string }) {
  const { invitation, state } = await loadInvitation(db, input.token);
  return {
    organizationName: invitation.organization.name,
    email: invitation.email,
    role: invitation.role,
    invitedByName: invitation.invitedBy.name,
    expiresAt: invitation.expiresAt,
    state,
  };
}

export async function acceptInvitation(ctx: UserCtx, input: { token: string }) {
  const { invitation, state } = await loadInvitation(ctx.db, input.token);
  if (state !== "open") throw new AppError("PRECONDITION_FAILED", `invitation.${state}`, `This invitation is ${state}`);
  const user = await findActiveUserById(ctx.db, ctx.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "signInRequired", "Sign in to continue");
  if (user.email !== invitation.email) {
    throw forbidden("invitationForAnotherEmail", "This invitation was sent to another e-mail address");
  }
  const orgId = invitation.organizationId;
  return ctx.db.$transaction(async (tx) => {
    if (!(await markInvitationAccepted(tx, orgId, invitation.id, user.id, new Date()))) {
      throw new AppError("PRECONDITION_FAILED", "invitation.accepted", "This invitation was already used");
    }
    const existing = await findMemberByUser(tx, orgId, user.id);
    if (!existing) {
      await lockOrganizationLimit(tx, orgId, "seats");
      await assertMemberSeatAvailable(tx, orgId);
    }
    const membership = existing ?? (await createMembership(tx, orgId, user.id, invitation.role));
    await setActiveOrganization(tx, user.id, orgId);
    await audit(tx, { organizationId: orgId, userId: user.id, request: ctx.request }, "invitation.accepted", {
      type: "invitation",
      id: invitation.id,
    }, { role: membership.role, alreadyMember: !!existing });
    return { organizationId: orgId, role: membership.role };
  });
}

// The audit log's page and export: ./audit-log.ts
