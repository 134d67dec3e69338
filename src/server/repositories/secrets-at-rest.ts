/**
 * Every column that holds a secret encrypted at rest (`encrypt()` in src/server/lib/secrets.ts),
 * read in id order in batches and rewritten one row at a time. Platform-wide on purpose: key
 * rotation is an operator task over all tenants (scripts/reencrypt-secrets.ts), never a procedure.
 */
import type { DbOrTx } from "~/server/db";

/** A row's encrypted columns (null: the column is empty for this row). */
export type SealedRow = { id: string; organizationId: string; columns: Record<string, string | null> };

export type SealedTable = {
  /** Name used in reports: `<table>` as in PostgreSQL. */
  name: string;
  /** Rows with id > `after` (id order), at most `take`; only `organizationId`'s rows when given. */
  page(db: DbOrTx, after: string | null, take: number, organizationId?: string): Promise<SealedRow[]>;
  /**
   * Writes the new ciphertexts only if the row still holds the ones read (`before`): a token the
   * app refreshed meanwhile is already under the current key and must not be replaced by an old
   * one. Returns false when the row changed (or vanished) in between.
   */
  replace(db: DbOrTx, id: string, before: Record<string, string | null>, after: Record<string, string | null>): Promise<boolean>;
};

const connections: SealedTable = {
  name: "connections",
  async page(db, after, take, organizationId) {
    const rows = await db.connection.findMany({
      where: {
        ...(after ? { id: { gt: after } } : {}),
        ...(organizationId ? { organizationId } : {}),
        OR: [{ accessTokenEnc: { not: null } }, { refreshTokenEnc: { not: null } }],
      },
      orderBy: { id: "asc" },
      take,
      select: { id: true, organizationId: true, accessTokenEnc: true, refreshTokenEnc: true },
    });
    return rows.map((r) => ({ id: r.id, organizationId: r.organizationId, columns: { accessTokenEnc: r.accessTokenEnc, refreshTokenEnc: r.refreshTokenEnc } }));
  },
  async replace(db, id, before, after) {
    const { count } = await db.connection.updateMany({
      where: { id, accessTokenEnc: before.accessTokenEnc ?? null, refreshTokenEnc: before.refreshTokenEnc ?? null },
      data: { accessTokenEnc: after.accessTokenEnc ?? null, refreshTokenEnc: after.refreshTokenEnc ?? null },
    });
    return count === 1;
  },
};

const webhookEndpoints: SealedTable = {
  name: "webhook_endpoints",
  async page(db, after, take, organizationId) {
    // Deleted endpoints too: their ciphertexts must not be left under a key that is going away.
    const rows = await db.webhookEndpoint.findMany({
      where: { ...(after ? { id: { gt: after } } : {}), ...(organizationId ? { organizationId } : {}) },
      orderBy: { id: "asc" },
      take,
      select: { id: true, organizationId: true, secretEnc: true },
    });
    return rows.map((r) => ({ id: r.id, organizationId: r.organizationId, columns: { secretEnc: r.secretEnc } }));
  },
  async replace(db, id, before, after) {
    if (!before.secretEnc || !after.secretEnc) return false;
    const { count } = await db.webhookEndpoint.updateMany({ where: { id, secretEnc: before.secretEnc }, data: { secretEnc: after.secretEnc } });
    return count === 1;
  },
};

/**
 * Users' two-factor secrets (pending enrolments too). A user belongs to no single organization: a
 * run scoped to an organization covers its members, and a row's `organizationId` in the report is
 * that organization, else the user's active one ("" when they have none).
 */
const users: SealedTable = {
  name: "users",
  async page(db, after, take, organizationId) {
    const rows = await db.user.findMany({
      where: {
        ...(after ? { id: { gt: after } } : {}),
        ...(organizationId ? { memberships: { some: { organizationId } } } : {}),
        twoFactorSecretEnc: { not: null },
      },
      orderBy: { id: "asc" },
      take,
      select: { id: true, activeOrganizationId: true, twoFactorSecretEnc: true },
    });
    return rows.map((r) => ({ id: r.id, organizationId: organizationId ?? r.activeOrganizationId ?? "", columns: { twoFactorSecretEnc: r.twoFactorSecretEnc } }));
  },
  async replace(db, id, before, after) {
    if (!before.twoFactorSecretEnc || !after.twoFactorSecretEnc) return false;
    const { count } = await db.user.updateMany({ where: { id, twoFactorSecretEnc: before.twoFactorSecretEnc }, data: { twoFactorSecretEnc: after.twoFactorSecretEnc } });
    return count === 1;
  },
};

/** Every table with secrets at rest. Add new encrypted columns here (and to the key-rotation test). */
export const SEALED_TABLES: readonly SealedTable[] = [connections, webhookEndpoints, users];
