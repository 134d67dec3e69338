import type { DbOrTx, DbTx } from "~/server/db";
import type { Role } from "~/generated/prisma/enums";

const organizationFields = {
  id: true,
  name: true,
  slug: true,
  timeZone: true,
  locale: true,
  status: true,
  createdAt: true,
} as const;

export function createOrganization(db: DbOrTx, data: { name: string; slug: string; ownerUserId: string }) {
  return db.organization.create({
    data: {
      name: data.name,
      slug: data.slug,
      memberships: { create: { userId: data.ownerUserId, role: "OWNER" satisfies Role } },
    },
    select: organizationFields,
  });
}

export function slugExists(db: DbOrTx, slug: string) {
  return db.organization.count({ where: { slug } }).then((n) => n > 0);
}

export function findOrganization(db: DbOrTx, organizationId: string) {
  return db.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: organizationFields });
}

export function updateOrganization(
  db: DbOrTx,
  organizationId: string,
  data: { name?: string; timeZone?: string; locale?: string },
) {
  return db.organization.update({ where: { id: organizationId }, data, select: organizationFields });
}

/**
 * Serialises membership changes of one organization (row lock until the transaction ends), so two
 * owners demoting each other at the same moment cannot leave the organization without an owner.
 */
export async function lockOrganization(tx: DbTx, organizationId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM organizations WHERE id = ${organizationId} AND deleted_at IS NULL FOR UPDATE`;
  return rows.length === 1;
}
