import type { DbOrTx } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import { paginate } from "./pagination";

export type AuditEntry = {
  organizationId: string | null;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Prisma.InputJsonObject;
  ip?: string;
  userAgent?: string;
  correlationId?: string;
};

export function appendAudit(db: DbOrTx, entry: AuditEntry) {
  return db.auditLog.create({ data: { ...entry, metadata: entry.metadata ?? {} }, select: { id: true } });
}

/** Newest first, keyset-paginated on (createdAt, id). */
export async function listAudit(
  db: DbOrTx,
  organizationId: string,
  page: { limit: number; cursor?: string; action?: string },
) {
  const rows = await db.auditLog.findMany({
    where: { organizationId, ...(page.action ? { action: page.action } : {}) },
    select: {
      id: true,
      action: true,
      targetType: true,
      targetId: true,
      metadata: true,
      ip: true,
      userAgent: true,
      createdAt: true,
      actor: { select: { id: true, name: true, email: true } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  return paginate(rows, page.limit);
}

/**
 * Lets the current transaction update or delete audit rows, which the database otherwise refuses
 * (trigger `audit_logs_append_only`). Only retention, LGPD erasure and the purge of deleted
 * organizations and accounts call it, always inside `$transaction` (the setting is transaction-local).
 */
export async function allowAuditMaintenance(tx: DbOrTx) {
  await tx.$executeRaw`SELECT set_config('superseller.audit_maintenance', 'on', true)`;
}
