import type { DbOrTx } from "~/server/db";

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
