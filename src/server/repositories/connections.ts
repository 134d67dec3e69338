import type { ConnectionStatus, Prisma, Provider } from "~/generated/prisma/client";
import type { Db, DbOrTx, DbTx } from "~/server/db";

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

// ─── Marketplace connections: connect, tokens, sync progress (issue 4) ──────────────────────
// Functions marked "system" look across tenants on purpose: they route an inbound notification or
// a cron tick to the tenant rows it concerns, and hand back organization ids for the services to
// scope everything after that.

const CARD_SELECT = {
  id: true,
  provider: true,
  kind: true,
  externalAccountId: true,
  accountName: true,
  status: true,
  expiresAt: true,
  lastSyncAt: true,
  lastError: true,
  blockedUntil: true,
  consentVersion: true,
  consentAt: true,
  createdAt: true,
  sync: { select: { state: true, mode: true, processed: true, total: true, startedAt: true, finishedAt: true, lastError: true } },
} as const;

/** Connections with their sync progress, for the Connections page (no token ciphertexts). */
export function listConnectionCards(db: DbOrTx, organizationId: string) {
  return db.connection.findMany({
    where: { organizationId, deletedAt: null },
    select: CARD_SELECT,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

export function findConnection(db: DbOrTx, organizationId: string, connectionId: string) {
  return db.connection.findFirst({ where: { id: connectionId, organizationId, deletedAt: null }, select: CARD_SELECT });
}

/** The stored ciphertexts: only the token services read this, and they never return it. */
export function findConnectionSecrets(db: DbOrTx, organizationId: string, connectionId: string) {
  return db.connection.findFirst({
    where: { id: connectionId, organizationId, deletedAt: null },
    select: {
      id: true,
      organizationId: true,
      provider: true,
      externalAccountId: true,
      status: true,
      accessTokenEnc: true,
      refreshTokenEnc: true,
      expiresAt: true,
      refreshExpiresAt: true,
      blockedUntil: true,
    },
  });
}

export type ConnectionSecrets = NonNullable<Awaited<ReturnType<typeof findConnectionSecrets>>>;

/**
 * Runs `fn` holding a row lock on the connection: the one place token refreshes are serialised
 * (Mercado Livre refresh tokens work once, so two concurrent refreshes would lock the seller out).
 */
export function withConnectionLock<T>(db: Db, organizationId: string, connectionId: string, fn: (tx: DbTx) => Promise<T>) {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM connections WHERE id = ${connectionId} AND organization_id = ${organizationId} FOR UPDATE`;
      return fn(tx);
    },
    // The provider's token endpoint is called while the lock is held.
    { maxWait: 60_000, timeout: 60_000 },
  );
}

export function updateConnection(db: DbOrTx, organizationId: string, connectionId: string, data: Prisma.ConnectionUpdateManyMutationInput) {
  return db.connection.updateMany({ where: { id: connectionId, organizationId }, data });
}

/**
 * Creates or revives the organization's row for one seller account (unique per organization,
 * provider and external account; another organization connecting the same account has its own row).
 */
export function upsertConnectedAccount(
  db: DbOrTx,
  organizationId: string,
  data: {
    provider: Provider;
    kind: "MARKETPLACE" | "SOCIAL";
    externalAccountId: string;
    accountName: string | null;
    accessTokenEnc: string;
    refreshTokenEnc: string | null;
    expiresAt: Date;
    refreshExpiresAt: Date | null;
    scopes: string[];
    consentVersion: string;
    consentAt: Date;
    createdById: string;
  },
) {
  const tokens = {
    accessTokenEnc: data.accessTokenEnc,
    // A provider that issued no refresh token this time leaves the stored one in place.
    ...(data.refreshTokenEnc ? { refreshTokenEnc: data.refreshTokenEnc } : {}),
    expiresAt: data.expiresAt,
    refreshExpiresAt: data.refreshExpiresAt,
    scopes: data.scopes,
  };
  return db.connection.upsert({
    where: { organizationId_provider_externalAccountId: { organizationId, provider: data.provider, externalAccountId: data.externalAccountId } },
    create: {
      organizationId,
      provider: data.provider,
      kind: data.kind,
      externalAccountId: data.externalAccountId,
      accountName: data.accountName,
      ...tokens,
      refreshTokenEnc: data.refreshTokenEnc,
      consentVersion: data.consentVersion,
      consentAt: data.consentAt,
      createdById: data.createdById,
    },
    update: {
      ...tokens,
      ...(data.accountName ? { accountName: data.accountName } : {}),
      status: "ACTIVE",
      lastError: null,
      blockedUntil: null,
      deletedAt: null,
      consentVersion: data.consentVersion,
      consentAt: data.consentAt,
    },
    select: { id: true, provider: true, externalAccountId: true, accountName: true },
  });
}

/** System: every organization's live connection to one seller account (webhook routing). */
export function findConnectionsByAccount(db: DbOrTx, provider: Provider, externalAccountId: string) {
  return db.connection.findMany({
    where: { provider, externalAccountId, deletedAt: null, status: { in: ["ACTIVE", "ERROR"] } },
    select: { id: true, organizationId: true },
  });
}

/** System: live marketplace connections (daily reconciliation, token refresh sweep). */
/** System: the organizations with a live account at this provider (a provider-wide outage concerns them all). */
export async function organizationsConnectedTo(db: DbOrTx, provider: Provider): Promise<string[]> {
  const rows = await db.connection.findMany({
    where: { provider, deletedAt: null, status: { not: "DISCONNECTED" } },
    select: { organizationId: true },
    distinct: ["organizationId"],
  });
  return rows.map((row) => row.organizationId);
}

export function listLiveMarketplaceConnections(db: DbOrTx, filter: { expiringBefore?: Date; statuses?: ConnectionStatus[] } = {}) {
  return db.connection.findMany({
    where: {
      kind: "MARKETPLACE",
      deletedAt: null,
      status: { in: filter.statuses ?? ["ACTIVE", "ERROR"] },
      // The crons (token refresh, reconcile) skip suspended organizations.
      organization: { status: "ACTIVE" },
      ...(filter.expiringBefore ? { expiresAt: { lt: filter.expiringBefore }, refreshTokenEnc: { not: null } } : {}),
    },
    select: { id: true, organizationId: true, provider: true },
    orderBy: { id: "asc" },
  });
}

// ─── Sync progress ──────────────────────────────────────────────────────────────────────────

export function findSync(db: DbOrTx, organizationId: string, connectionId: string) {
  return db.connectionSync.findFirst({ where: { organizationId, connectionId } });
}

/** Starts a new sync generation from the first page; older runs see the new generation and stop. */
export function resetSync(db: DbOrTx, organizationId: string, connectionId: string, mode: string, now: Date) {
  const fresh = { state: "RUNNING" as const, mode, cursor: null, pendingIds: [], total: null, processed: 0, pages: 0, startedAt: now, finishedAt: null, lastError: null };
  return db.connectionSync.upsert({
    where: { connectionId },
    create: { organizationId, connectionId, generation: 1, ...fresh },
    update: { ...fresh, generation: { increment: 1 } },
  });
}

export function updateSync(db: DbOrTx, organizationId: string, connectionId: string, data: Prisma.ConnectionSyncUpdateManyMutationInput) {
  return db.connectionSync.updateMany({ where: { organizationId, connectionId }, data });
}

// ─── Processed external events (webhook deduplication) ────────────────────────────────────────

/** True when this delivery id is new; false for a duplicate (nothing is changed then). */
export async function recordExternalEvent(
  db: DbOrTx,
  event: { source: string; externalId: string; type: string | null; organizationId: string | null },
) {
  const { count } = await db.processedExternalEvent.createMany({ data: [event], skipDuplicates: true });
  return count === 1;
}
