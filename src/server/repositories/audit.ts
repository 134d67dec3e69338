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

/**
 * What the audit page filters on. `action` is an exact action name, or a prefix ending in "." (all
 * of one area: "member." → member.role_changed, member.removed…); `from`/`to` bound createdAt
 * (from inclusive, to exclusive, already converted from the organization's time zone).
 */
export type AuditFilter = {
  action?: string;
  actorUserId?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
};

function auditWhere(organizationId: string, filter: AuditFilter): Prisma.AuditLogWhereInput {
  const action = filter.action;
  return {
    organizationId,
    ...(action ? { action: action.endsWith(".") ? { startsWith: action } : action } : {}),
    ...(filter.actorUserId ? { actorUserId: filter.actorUserId } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.from || filter.to ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
}

const auditSelect = {
  id: true,
  action: true,
  targetType: true,
  targetId: true,
  metadata: true,
  ip: true,
  userAgent: true,
  createdAt: true,
  actor: { select: { id: true, name: true, email: true } },
} satisfies Prisma.AuditLogSelect;

/** Newest first, keyset-paginated on (createdAt, id). */
export async function listAudit(db: DbOrTx, organizationId: string, page: AuditFilter & { limit: number; cursor?: string }) {
  const rows = await db.auditLog.findMany({
    where: auditWhere(organizationId, page),
    select: auditSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  return paginate(rows, page.limit);
}

/** Someone the organization's log can name as actor: a member, or a former member with entries. */
export async function isAuditActor(db: DbOrTx, organizationId: string, userId: string) {
  const [member, entry] = await Promise.all([
    db.membership.findFirst({ where: { organizationId, userId }, select: { id: true } }),
    db.auditLog.findFirst({ where: { organizationId, actorUserId: userId }, select: { id: true } }),
  ]);
  return member !== null || entry !== null;
}

/** The action names and the actors present in one organization's log (the page's filter choices). */
export async function auditFacets(db: DbOrTx, organizationId: string) {
  const [actions, actors] = await Promise.all([
    db.auditLog.groupBy({ by: ["action"], where: { organizationId }, orderBy: { action: "asc" } }),
    db.auditLog.findMany({
      where: { organizationId, actorUserId: { not: null } },
      distinct: ["actorUserId"],
      select: { actor: { select: { id: true, name: true, email: true } } },
    }),
  ]);
  return {
    actions: actions.map((a) => a.action),
    actors: actors
      .map((a) => a.actor)
      .filter((a): a is NonNullable<typeof a> => a !== null)
      .sort((x, y) => x.name.localeCompare(y.name)),
  };
}

/**
 * Lets the current transaction update or delete audit rows, which the database otherwise refuses
 * (trigger `audit_logs_append_only`). Only retention, LGPD erasure and the purge of deleted
 * organizations and accounts call it, always inside `$transaction` (the setting is transaction-local).
 */
export async function allowAuditMaintenance(tx: DbOrTx) {
  await tx.$executeRaw`SELECT set_config('superseller.audit_maintenance', 'on', true)`;
}
