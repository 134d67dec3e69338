import type { DbOrTx } from "~/server/db";

/** Token ciphertexts are never selected here: they stay inside the connector services. */
export function listConnections(db: DbOrTx, organizationId: string) {
  return db.connection.findMany({
    where: { organizationId, deletedAt: null },
    select: {
      id: true,
      provider: true,
      kind: true,
      externalAccountId: true,
      accountName: true,
      status: true,
      expiresAt: true,
      lastSyncAt: true,
      lastError: true,
      createdAt: true,
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export function countConnections(db: DbOrTx, organizationId: string) {
  return db.connection.count({ where: { organizationId, deletedAt: null } });
}
