import type { DbOrTx } from "~/server/db";
import type { Role } from "~/generated/prisma/enums";

const invitationFields = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
  invitedBy: { select: { name: true } },
} as const;

export function createInvitation(
  db: DbOrTx,
  organizationId: string,
  data: { email: string; role: Role; tokenHash: string; invitedById: string; expiresAt: Date },
) {
  return db.invitation.create({ data: { organizationId, ...data }, select: invitationFields });
}

export function listOpenInvitations(db: DbOrTx, organizationId: string, now: Date) {
  return db.invitation.findMany({
    where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: invitationFields,
    orderBy: { createdAt: "desc" },
  });
}

export function findOpenInvitationForEmail(db: DbOrTx, organizationId: string, email: string, now: Date) {
  return db.invitation.findFirst({
    where: { organizationId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
}

export async function revokeInvitation(db: DbOrTx, organizationId: string, invitationId: string, now: Date) {
  const { count } = await db.invitation.updateMany({
    where: { id: invitationId, organizationId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  return count === 1;
}

/** Looked up by the hash of the link's token: the only tenant-less read, since the token is the key. */
export function findInvitationByTokenHash(db: DbOrTx, tokenHash: string) {
  return db.invitation.findUnique({
    where: { tokenHash },
    select: {
      ...invitationFields,
      organizationId: true,
      organization: { select: { name: true, deletedAt: true } },
    },
  });
}

export async function markInvitationAccepted(
  db: DbOrTx,
  organizationId: string,
  invitationId: string,
  userId: string,
  now: Date,
) {
  // Conditional update: two concurrent accepts of one link — only one wins.
  const { count } = await db.invitation.updateMany({
    where: { id: invitationId, organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now, acceptedById: userId },
  });
  return count === 1;
}
