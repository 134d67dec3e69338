import type { DbOrTx } from "~/server/db";

/** Second-factor state of a user (services/accounts/two-factor.ts). */
export function findTwoFactorState(db: DbOrTx, userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, passwordHash: true, activeOrganizationId: true, twoFactorSecretEnc: true, twoFactorEnabledAt: true, twoFactorLastStep: true },
  });
}

export function setPendingTwoFactorSecret(db: DbOrTx, userId: string, secretEnc: string) {
  return db.user.update({ where: { id: userId }, data: { twoFactorSecretEnc: secretEnc, twoFactorEnabledAt: null, twoFactorLastStep: null } });
}

export function enableTwoFactor(db: DbOrTx, userId: string, lastStep: number) {
  return db.user.update({ where: { id: userId }, data: { twoFactorEnabledAt: new Date(), twoFactorLastStep: lastStep } });
}

export function disableTwoFactor(db: DbOrTx, userId: string) {
  return db.user.update({ where: { id: userId }, data: { twoFactorSecretEnc: null, twoFactorEnabledAt: null, twoFactorLastStep: null } });
}

/**
 * Records an accepted time step only if it is newer than the last one: the conditional update makes
 * two concurrent uses of the same code accept at most one.
 */
export async function claimTwoFactorStep(db: DbOrTx, userId: string, step: number): Promise<boolean> {
  const { count } = await db.user.updateMany({
    where: { id: userId, OR: [{ twoFactorLastStep: null }, { twoFactorLastStep: { lt: step } }] },
    data: { twoFactorLastStep: step },
  });
  return count === 1;
}

export async function replaceRecoveryCodes(db: DbOrTx, userId: string, hashes: string[]) {
  await db.recoveryCode.deleteMany({ where: { userId } });
  await db.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) });
}

export function deleteRecoveryCodes(db: DbOrTx, userId: string) {
  return db.recoveryCode.deleteMany({ where: { userId } });
}

/** Marks an unused recovery code as used; false when it does not exist, is someone else's, or was used. */
export async function useRecoveryCode(db: DbOrTx, userId: string, codeHash: string): Promise<boolean> {
  const { count } = await db.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: new Date() } });
  return count === 1;
}

export function countUnusedRecoveryCodes(db: DbOrTx, userId: string) {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

export function findLiveSession(db: DbOrTx, sessionId: string, userId: string) {
  return db.userSession.findFirst({
    where: { id: sessionId, userId, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, stepUpAt: true },
  });
}

export function markSessionSteppedUp(db: DbOrTx, sessionId: string, userId: string) {
  return db.userSession.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { stepUpAt: new Date() } });
}

export function findOrganizationTwoFactorPolicy(db: DbOrTx, organizationId: string) {
  return db.organization.findUnique({ where: { id: organizationId }, select: { requireOwnerTwoFactor: true } });
}

export function setOrganizationTwoFactorPolicy(db: DbOrTx, organizationId: string, requireOwnerTwoFactor: boolean) {
  return db.organization.update({ where: { id: organizationId }, data: { requireOwnerTwoFactor } });
}
