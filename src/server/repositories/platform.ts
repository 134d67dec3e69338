import type { DbOrTx } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";

/** Platform-wide rows (feature flags, settings): not tenant data, read by everyone, written by platform admins. */

export function findFlagWithOverride(db: DbOrTx, key: string, organizationId: string | null) {
  return db.featureFlag.findUnique({
    where: { key },
    select: { enabled: true, overrides: organizationId ? { where: { organizationId }, select: { enabled: true } } : false },
  });
}

export function findSetting(db: DbOrTx, key: string) {
  return db.platformSetting.findUnique({ where: { key }, select: { value: true, updatedAt: true } });
}

export function upsertSetting(db: DbOrTx, key: string, value: Prisma.InputJsonValue, updatedById: string | null) {
  return db.platformSetting.upsert({ where: { key }, create: { key, value, updatedById }, update: { value, updatedById } });
}
