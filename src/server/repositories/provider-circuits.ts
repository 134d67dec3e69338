import type { Provider } from "~/generated/prisma/client";
import type { Db, DbOrTx } from "~/server/db";
import type { CircuitRow, CircuitStateName } from "~/server/services/resilience/circuit-state";

/**
 * Circuit breaker rows (provider_circuits). Provider-scope rows are global (no organization);
 * connection-scope rows carry their organization, and the tenant-facing read filters by it.
 */
export type CircuitScope = { scopeKey: string; provider: Provider; connectionId: string | null; organizationId: string | null };

const SELECT = {
  scopeKey: true,
  provider: true,
  connectionId: true,
  organizationId: true,
  state: true,
  failures: true,
  openedCount: true,
  openedAt: true,
  reopenAt: true,
  probeUntil: true,
  lastErrorCode: true,
} as const;

export type StoredCircuit = CircuitScope & CircuitRow;

function toStored(row: { state: string } & Omit<StoredCircuit, "state">): StoredCircuit {
  return { ...row, state: row.state as CircuitStateName };
}

/** System read (the breaker itself, in a background function): the rows of these scope keys. */
export async function findCircuits(db: DbOrTx, scopeKeys: string[]): Promise<StoredCircuit[]> {
  const rows = await db.providerCircuit.findMany({ where: { scopeKey: { in: scopeKeys } }, select: SELECT });
  return rows.map(toStored);
}

/**
 * Runs `decide` on the scope's row (null when it has none yet) under a row lock, and stores what it
 * returns. The lock serializes every process's read-modify-write of one breaker: two failures
 * counted at once both count, and only one caller can claim the half-open probe.
 */
export async function updateCircuitLocked<T>(
  db: Db,
  scope: CircuitScope,
  decide: (row: StoredCircuit | null) => { row: CircuitRow; result: T } | { row: null; result: T },
): Promise<T> {
  return db.$transaction(async (tx) => {
    // The row must exist to be locked: a closed one costs nothing (ON CONFLICT DO NOTHING).
    await tx.providerCircuit.createMany({ data: [scope], skipDuplicates: true });
    await tx.$queryRaw`SELECT scope_key FROM provider_circuits WHERE scope_key = ${scope.scopeKey} FOR UPDATE`;
    const current = await tx.providerCircuit.findUnique({ where: { scopeKey: scope.scopeKey }, select: SELECT });
    const decision = decide(current ? toStored(current) : null);
    if (decision.row) await tx.providerCircuit.update({ where: { scopeKey: scope.scopeKey }, data: { ...decision.row, updatedAt: new Date() } });
    return decision.result;
  });
}

/**
 * Tenant read: the breakers that are not closed and concern this organization — the provider-wide
 * ones of the providers it has connections with, and its own connections'.
 */
export async function listOpenCircuitsForOrganization(db: DbOrTx, organizationId: string, providers: Provider[]): Promise<StoredCircuit[]> {
  const rows = await db.providerCircuit.findMany({
    where: {
      state: { not: "CLOSED" },
      OR: [{ organizationId, connectionId: { not: null } }, { connectionId: null, organizationId: null, provider: { in: providers } }],
    },
    select: SELECT,
    orderBy: [{ reopenAt: "asc" }, { scopeKey: "asc" }],
  });
  return rows.map(toStored);
}

/** Tests and operators: forget every breaker (closes them all). */
export function deleteAllCircuits(db: DbOrTx) {
  return db.providerCircuit.deleteMany({});
}
