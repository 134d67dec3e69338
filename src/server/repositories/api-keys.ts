import type { DbOrTx, DbTx } from "~/server/db";
import { paginate } from "./pagination";

/** The live key with this hash, with what a request needs to act for it. */
export function findApiKeyByHash(db: DbOrTx, keyHash: string) {
  return db.apiKey.findUnique({
    where: { keyHash },
    select: { id: true, organizationId: true, createdById: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
}

export function touchApiKey(db: DbOrTx, id: string, at: Date, ip: string | undefined) {
  return db.apiKey.update({ where: { id }, data: { lastUsedAt: at, lastUsedIp: ip ?? null }, select: { id: true } });
}

/** What the settings page shows of a key: never its hash. */
const listFields = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  expiresAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  revokedAt: true,
  createdAt: true,
  createdById: true,
  createdBy: { select: { name: true } },
} as const;

/** The organization's keys, newest first, cursor-paginated on the id. */
export async function listApiKeys(db: DbOrTx, organizationId: string, page: { limit: number; cursor?: string }) {
  const rows = await db.apiKey.findMany({
    where: { organizationId },
    select: listFields,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  return paginate(rows, page.limit);
}

/**
 * Which of these users are still active members of the organization: a key whose creator left, or
 * was banned or deleted, acts for nobody (trpc.ts refuses it).
 */
export async function membersAmong(db: DbOrTx, organizationId: string, userIds: string[]) {
  if (userIds.length === 0) return new Set<string>();
  const rows = await db.membership.findMany({
    where: { organizationId, userId: { in: userIds }, user: { deletedAt: null, bannedAt: null } },
    select: { userId: true },
  });
  return new Set(rows.map((r) => r.userId));
}

export async function apiKeyBelongsTo(db: DbOrTx, organizationId: string, id: string) {
  return (await db.apiKey.count({ where: { id, organizationId } })) === 1;
}

/** Serializes key creation per organization, so two concurrent creates cannot both pass the limit. */
export async function lockApiKeysOf(tx: DbTx, organizationId: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`api-keys:${organizationId}`}))`;
}

/** Keys that still work or could: neither revoked nor expired. */
export function countActiveApiKeys(db: DbOrTx, organizationId: string, now: Date) {
  return db.apiKey.count({ where: { organizationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
}

export function createApiKey(
  db: DbOrTx,
  data: { organizationId: string; name: string; prefix: string; keyHash: string; scopes: string[]; expiresAt: Date | null; createdById: string },
) {
  return db.apiKey.create({ data, select: listFields });
}

export function findApiKey(db: DbOrTx, organizationId: string, id: string) {
  return db.apiKey.findFirst({ where: { id, organizationId }, select: listFields });
}

/** Revokes a live key of the organization; false when it is unknown there or already revoked. */
export async function revokeApiKey(db: DbOrTx, organizationId: string, id: string, at: Date) {
  const { count } = await db.apiKey.updateMany({ where: { id, organizationId, revokedAt: null }, data: { revokedAt: at } });
  return count === 1;
}

export type ApiKeyRow = NonNullable<Awaited<ReturnType<typeof findApiKey>>>;
