import type { DbOrTx } from "~/server/db";

// Users are global (not tenant rows); every read picks fields explicitly so the password hash
// only leaves this file through findUserCredentialsByEmail.
const publicUserFields = {
  id: true,
  email: true,
  name: true,
  locale: true,
  isPlatformAdmin: true,
  activeOrganizationId: true,
} as const;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function findUserCredentialsByEmail(db: DbOrTx, email: string) {
  return db.user.findFirst({
    where: { email: normalizeEmail(email), deletedAt: null, erasedAt: null },
    select: { ...publicUserFields, passwordHash: true, bannedAt: true },
  });
}

export function findActiveUserById(db: DbOrTx, userId: string) {
  return db.user.findFirst({
    // An erased account (LGPD) is gone for good, even with a JWT issued before the erasure.
    where: { id: userId, deletedAt: null, bannedAt: null, erasedAt: null },
    select: publicUserFields,
  });
}

export function emailIsTaken(db: DbOrTx, email: string) {
  return db.user.count({ where: { email: normalizeEmail(email) } }).then((n) => n > 0);
}

export function createUser(
  db: DbOrTx,
  data: { email: string; name: string; passwordHash: string; locale: string },
) {
  return db.user.create({
    data: { ...data, email: normalizeEmail(data.email) },
    select: publicUserFields,
  });
}

export function setActiveOrganization(db: DbOrTx, userId: string, organizationId: string | null) {
  return db.user.update({ where: { id: userId }, data: { activeOrganizationId: organizationId }, select: { id: true } });
}

export function setUserLocale(db: DbOrTx, userId: string, locale: string) {
  return db.user.update({ where: { id: userId }, data: { locale }, select: { id: true } });
}
