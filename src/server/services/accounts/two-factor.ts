import QRCode from "qrcode";

import { env } from "~/env";
import type { DbOrTx } from "~/server/db";
import { verifyPassword } from "~/server/auth/password";
import { AppError } from "~/server/lib/errors";
import { createLimiter } from "~/server/lib/rate-limit";
import { decrypt, encrypt } from "~/server/lib/secrets";
import * as repo from "~/server/repositories/two-factor";
import { audit } from "../audit";
import type { RequestMeta, TenantCtx, UserCtx } from "../context";
import { hashRecoveryCode, matchTotpStep, newRecoveryCodes, newTotpSecret, totpFor } from "./two-factor-totp";

/** Step-up attempts per user: a stolen session cannot guess the code or password. */
export const stepUpLimiter = createLimiter("step-up-user", 8, 15 * 60);

export async function twoFactorStatus(ctx: UserCtx) {
  const user = await repo.findTwoFactorState(ctx.db, ctx.userId);
  const enabled = Boolean(user?.twoFactorEnabledAt);
  return {
    enabled,
    enabledAt: user?.twoFactorEnabledAt ?? null,
    recoveryCodesLeft: enabled ? await repo.countUnusedRecoveryCodes(ctx.db, ctx.userId) : 0,
  };
}

/** A new secret, stored encrypted and inactive until the first code confirms it. */
export async function beginTwoFactorSetup(ctx: UserCtx) {
  const user = await repo.findTwoFactorState(ctx.db, ctx.userId);
  if (!user) throw new AppError("NOT_FOUND", "notFound", "User not found");
  if (user.twoFactorEnabledAt) throw new AppError("CONFLICT", "twoFactorAlreadyEnabled", "Two-factor authentication is already on");
  const secret = newTotpSecret();
  await repo.setPendingTwoFactorSecret(ctx.db, ctx.userId, encrypt(secret));
  const uri = totpFor(secret, user.email, env.TWO_FACTOR_ISSUER).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  return { uri, qrSvg, secret };
}

export async function confirmTwoFactorSetup(ctx: UserCtx, code: string) {
  const user = await repo.findTwoFactorState(ctx.db, ctx.userId);
  if (!user?.twoFactorSecretEnc || user.twoFactorEnabledAt) {
    throw new AppError("CONFLICT", "twoFactorSetupNotStarted", "Start the two-factor setup first");
  }
  const step = matchTotpStep(decrypt(user.twoFactorSecretEnc), code.trim());
  if (step === null) throw new AppError("BAD_REQUEST", "invalidTwoFactorCode", "The code is not valid");
  const codes = newRecoveryCodes();
  await ctx.db.$transaction(async (tx) => {
    await repo.enableTwoFactor(tx, ctx.userId, step);
    await repo.replaceRecoveryCodes(tx, ctx.userId, codes.map(hashRecoveryCode));
    await audit(tx, { organizationId: null, userId: ctx.userId, request: ctx.request }, "user.two_factor_enabled", { type: "user", id: ctx.userId });
  });
  return { recoveryCodes: codes };
}

export async function disableTwoFactor(ctx: UserCtx) {
  await ctx.db.$transaction(async (tx) => {
    await repo.disableTwoFactor(tx, ctx.userId);
    await repo.deleteRecoveryCodes(tx, ctx.userId);
    await audit(tx, { organizationId: null, userId: ctx.userId, request: ctx.request }, "user.two_factor_disabled", { type: "user", id: ctx.userId });
  });
  return { ok: true as const };
}

export async function regenerateRecoveryCodes(ctx: UserCtx) {
  const user = await repo.findTwoFactorState(ctx.db, ctx.userId);
  if (!user?.twoFactorEnabledAt) throw new AppError("CONFLICT", "twoFactorNotEnabled", "Two-factor authentication is off");
  const codes = newRecoveryCodes();
  await ctx.db.$transaction(async (tx) => {
    await repo.replaceRecoveryCodes(tx, ctx.userId, codes.map(hashRecoveryCode));
    await audit(tx, { organizationId: null, userId: ctx.userId, request: ctx.request }, "user.recovery_codes_regenerated", { type: "user", id: ctx.userId });
  });
  return { recoveryCodes: codes };
}

/**
 * Checks a second factor for a user with 2FA on: a TOTP code (its step claimed, so never twice)
 * or an unused recovery code (marked used). Returns how it passed, or null.
 */
export async function verifySecondFactor(db: DbOrTx, request: RequestMeta, user: { id: string; twoFactorSecretEnc: string | null }, input: string): Promise<"totp" | "recovery" | null> {
  const code = input.trim();
  if (/^\d{6}$/.test(code)) {
    if (!user.twoFactorSecretEnc) return null;
    const step = matchTotpStep(decrypt(user.twoFactorSecretEnc), code);
    return step !== null && (await repo.claimTwoFactorStep(db, user.id, step)) ? "totp" : null;
  }
  if (await repo.useRecoveryCode(db, user.id, hashRecoveryCode(code))) {
    await audit(db, { organizationId: null, userId: user.id, request }, "user.recovery_code_used", { type: "user", id: user.id });
    return "recovery";
  }
  return null;
}

/** Is the caller's session inside the step-up window? Bearer calls have no session: never. */
export async function assertSteppedUp(ctx: UserCtx) {
  const windowMinutes = env.STEP_UP_WINDOW_MINUTES;
  const session = ctx.sessionId ? await repo.findLiveSession(ctx.db, ctx.sessionId, ctx.userId) : null;
  const fresh = session?.stepUpAt && Date.now() - session.stepUpAt.getTime() <= windowMinutes * 60_000;
  if (!fresh) throw new AppError("FORBIDDEN", "stepUpRequired", "Confirm your identity to continue", { windowMinutes });
}

/** Re-confirms the person behind the session: a 2FA/recovery code with 2FA on, else the password. */
export async function stepUp(ctx: UserCtx, input: { code?: string; password?: string }) {
  if (!ctx.sessionId) throw new AppError("FORBIDDEN", "stepUpRequired", "Only a signed-in browser session can confirm its identity", { windowMinutes: env.STEP_UP_WINDOW_MINUTES });
  const { blocked, retryAfterSeconds } = await stepUpLimiter.isBlocked(ctx.userId);
  if (blocked) throw new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many attempts, try again later", { retryAfterSeconds });
  const user = await repo.findTwoFactorState(ctx.db, ctx.userId);
  if (!user) throw new AppError("UNAUTHORIZED", "invalidCredentials", "Sign in to continue");
  const ok = user.twoFactorEnabledAt
    ? input.code !== undefined && (await verifySecondFactor(ctx.db, ctx.request, user, input.code)) !== null
    : input.password !== undefined && (await verifyPassword(input.password, user.passwordHash));
  if (!ok) {
    await stepUpLimiter.consume(ctx.userId).catch(() => undefined);
    await audit(ctx.db, { organizationId: null, userId: ctx.userId, request: ctx.request }, "user.step_up_failed");
    throw new AppError("UNAUTHORIZED", user.twoFactorEnabledAt ? "invalidTwoFactorCode" : "invalidCredentials", "The confirmation is not valid");
  }
  await ctx.db.$transaction(async (tx) => {
    await repo.markSessionSteppedUp(tx, ctx.sessionId!, ctx.userId);
    await audit(tx, { organizationId: null, userId: ctx.userId, request: ctx.request }, "user.stepped_up", { type: "session", id: ctx.sessionId! });
  });
  return { ok: true as const, windowMinutes: env.STEP_UP_WINDOW_MINUTES };
}

export async function organizationTwoFactorPolicy(ctx: TenantCtx) {
  const org = await repo.findOrganizationTwoFactorPolicy(ctx.db, ctx.tenant.organizationId);
  return { requireOwnerTwoFactor: org?.requireOwnerTwoFactor ?? false };
}

export async function setOrganizationTwoFactorPolicy(ctx: TenantCtx, requireOwnerTwoFactor: boolean) {
  if (requireOwnerTwoFactor) {
    const me = await repo.findTwoFactorState(ctx.db, ctx.userId);
    // Otherwise the caller would lock themselves out of their own organization.
    if (!me?.twoFactorEnabledAt) throw new AppError("CONFLICT", "twoFactorRequiredForPolicy", "Turn on your own two-factor authentication first");
  }
  await ctx.db.$transaction(async (tx) => {
    await repo.setOrganizationTwoFactorPolicy(tx, ctx.tenant.organizationId, requireOwnerTwoFactor);
    await audit(tx, { organizationId: ctx.tenant.organizationId, userId: ctx.userId, request: ctx.request }, "organization.two_factor_policy_changed", { type: "organization", id: ctx.tenant.organizationId }, { requireOwnerTwoFactor });
  });
  return { requireOwnerTwoFactor };
}

/** OWNERs of an organization that requires 2FA must have it on (enforced in trpc.ts). */
export async function assertOwnerTwoFactorPolicy(ctx: TenantCtx) {
  if (ctx.tenant.role !== "OWNER") return;
  const org = await repo.findOrganizationTwoFactorPolicy(ctx.db, ctx.tenant.organizationId);
  if (!org?.requireOwnerTwoFactor) return;
  const me = await repo.findTwoFactorState(ctx.db, ctx.userId);
  if (!me?.twoFactorEnabledAt) {
    throw new AppError("FORBIDDEN", "twoFactorRequiredByOrganization", "This organization requires owners to use two-factor authentication");
  }
}
