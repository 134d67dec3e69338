import type { DbOrTx } from "~/server/db";
import type { Role } from "~/generated/prisma/enums";

const memberFields = {
  id: true,
  role: true,
  createdAt: true,
  userId: true,
  user: { select: { id: true, name: true, email: true } },
} as const;

export function listMembers(db: DbOrTx, organizationId: string) {
  return db.membership.findMany({
    where: { organizationId, user: { deletedAt: null } },
    select: memberFields,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export function findMember(db: DbOrTx, organizationId: string, membershipId: string) {
  return db.membership.findFirst({ where: { id: membershipId, organizationId }, select: memberFields });
}

export function findMemberByUser(db: DbOrTx, organizationId: string, userId: string) {
  return db.membership.findFirst({ where: { organizationId, userId }, select: memberFields });
}

/** The caller's role in an organization that still exists, or null. */
export function findRole(db: DbOrTx, organizationId: string, userId: string) {
  return db.membership
    .findFirst({
      where: { organizationId, userId, organization: { deletedAt: null } },
      select: { role: true },
    })
    .then((m) => m?.role ?? null);
}

export function listUserOrganizations(db: DbOrTx, userId: string) {
  return db.membership.findMany({
    where: { userId, organization: { deletedAt: null } },
    select: { role: true, organization: { select: { id: true, name: true, slug: true } } },
    orderBy: { createdAt: "asc" },
  });
}

export function countOwners(db: DbOrTx, organizationId: string) {
  return db.membership.count({ where: { organizationId, role: "OWNER" } });
}

export function createMembership(db: DbOrTx, organizationId: string, userId: string, role: Role) {
  return db.membership.create({ data: { organizationId, userId, role }, select: memberFields });
}

export async function updateMemberRole(db: DbOrTx, organizationId: string, membershipId: string, role: Role) {
  // updateMany keeps organizationId in the WHERE: an id from another tenant updates nothing.
  const { count } = await db.membership.updateMany({ where: { id: membershipId, organizationId }, data: { role } });
  return count === 1;
}

export async function deleteMember(db: DbOrTx, organizationId: string, membershipId: string) {
  const { count } = await db.membership.deleteMany({ where: { id: membershipId, organizationId } });
  return count === 1;
}
