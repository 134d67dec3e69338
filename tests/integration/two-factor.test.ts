import { describe, expect, it } from "vitest";

import { hashPassword } from "~/server/auth/password";
import { authenticate } from "~/server/services/accounts/accounts";
import { RECOVERY_CODE_PATTERN, totpFor } from "~/server/services/accounts/two-factor-totp";
import { callerFor, createOrgFixture, db, uniqueEmail } from "./helpers/fixtures";

const PASSWORD = "pitanga doce 91 correndo";

async function person(data: Record<string, unknown> = {}) {
  const email = uniqueEmail("tfa");
  const user = await db.user.create({ data: { email, name: "Pessoa 2FA", passwordHash: await hashPassword(PASSWORD), ...data } });
  return { userId: user.id, email };
}

/** A code for the step `offset` periods away (the server accepts ±1), so a test can mint fresh steps. */
const codeAt = (secret: string, offset = 0) => totpFor(secret, "x", "x").generate({ timestamp: Date.now() + offset * 30_000 });

async function reasonOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    const e = error as { cause?: { reason?: string }; reason?: string; code?: string };
    return e.cause?.reason ?? e.reason ?? e.code ?? "THREW";
  }
}

async function enrolled() {
  const p = await person();
  const caller = await callerFor(p.userId);
  const { secret } = await caller.security.twoFactor.beginSetup();
  const enrolmentCode = codeAt(secret);
  const { recoveryCodes } = await caller.security.twoFactor.confirmSetup({ code: enrolmentCode });
  return { ...p, caller, secret, recoveryCodes, enrolmentCode };
}

const request = (ip = `198.51.100.${Math.floor(Math.random() * 200) + 1}`) => ({ correlationId: "tfa-test", ip });

describe("two-factor enrolment", () => {
  it("stores the secret encrypted, refuses a wrong code and activates with a right one", async () => {
    const p = await person();
    const caller = await callerFor(p.userId);
    const setup = await caller.security.twoFactor.beginSetup();
    expect(setup.uri).toContain("otpauth://totp/");
    expect(setup.qrSvg).toContain("<svg");
    const row = await db.user.findUniqueOrThrow({ where: { id: p.userId } });
    expect(row.twoFactorSecretEnc).toBeTruthy();
    expect(row.twoFactorSecretEnc).not.toContain(setup.secret);
    expect(row.twoFactorEnabledAt).toBeNull();

    const wrong = codeAt(setup.secret) === "000000" ? "111111" : "000000";
    expect(await reasonOf(caller.security.twoFactor.confirmSetup({ code: wrong }))).toBe("invalidTwoFactorCode");
    const { recoveryCodes } = await caller.security.twoFactor.confirmSetup({ code: codeAt(setup.secret) });
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(RECOVERY_CODE_PATTERN);
    const stored = await db.recoveryCode.findMany({ where: { userId: p.userId } });
    expect(stored.map((r) => r.codeHash)).not.toContain(recoveryCodes[0]);
    expect(await caller.security.twoFactor.status()).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
    expect(await db.auditLog.count({ where: { actorUserId: p.userId, action: "user.two_factor_enabled" } })).toBe(1);
  });
});

describe("sign-in with the second factor", () => {
  it("asks for the code, refuses a wrong or replayed one, accepts a fresh one and a recovery code once", async () => {
    const p = await enrolled();
    const req = request();
    expect(await reasonOf(authenticate(db, req, { email: p.email, password: PASSWORD }))).toBe("twoFactorRequired");
    expect(await reasonOf(authenticate(db, req, { email: p.email, password: PASSWORD, otp: "123456" === codeAt(p.secret) ? "654321" : "123456" }))).toBe("invalidTwoFactorCode");
    expect(await db.auditLog.count({ where: { actorUserId: p.userId, action: "user.two_factor_failed" } })).toBe(1);
    // The enrolment code's step was already used: the same code is refused.
    expect(await reasonOf(authenticate(db, req, { email: p.email, password: PASSWORD, otp: p.enrolmentCode }))).toBe("invalidTwoFactorCode");
    const next = codeAt(p.secret, 1);
    expect(await authenticate(db, req, { email: p.email, password: PASSWORD, otp: next })).toMatchObject({ id: p.userId });
    expect(await reasonOf(authenticate(db, req, { email: p.email, password: PASSWORD, otp: next }))).toBe("invalidTwoFactorCode");

    const recovery = p.recoveryCodes[0]!;
    expect(await authenticate(db, req, { email: p.email, password: PASSWORD, otp: recovery })).toMatchObject({ id: p.userId });
    expect(await reasonOf(authenticate(db, req, { email: p.email, password: PASSWORD, otp: recovery }))).toBe("invalidTwoFactorCode");
  });

  it("counts wrong codes against the sign-in limiter", async () => {
    const p = await enrolled();
    const req = request();
    const reasons: string[] = [];
    for (let i = 0; i < 10; i++) reasons.push(await reasonOf(authenticate(db, req, { email: p.email, password: PASSWORD, otp: "abcde-fghij" })));
    expect(reasons).toContain("rateLimited");
  });
});

describe("step-up", () => {
  it("refuses a stale session with stepUpRequired, then allows it after stepUp with a code", async () => {
    const p = await enrolled();
    const stale = await callerFor(p.userId, undefined, { session: "stale" });
    expect(await reasonOf(stale.security.twoFactor.disable())).toBe("stepUpRequired");
    expect(await reasonOf(stale.security.twoFactor.stepUp({ code: "000000" === codeAt(p.secret, 1) ? "111111" : "000000" }))).toBe("invalidTwoFactorCode");
    await stale.security.twoFactor.stepUp({ code: codeAt(p.secret, 1) });
    await stale.security.twoFactor.disable();
    expect((await db.user.findUniqueOrThrow({ where: { id: p.userId } })).twoFactorEnabledAt).toBeNull();
  });

  it("expires after the window and never passes without a session (bearer credentials)", async () => {
    const p = await person();
    const caller = await callerFor(p.userId, undefined, { session: "stale" });
    await caller.security.twoFactor.stepUp({ password: PASSWORD });
    await caller.security.twoFactor.disable();
    await db.userSession.updateMany({ where: { userId: p.userId }, data: { stepUpAt: new Date(Date.now() - 11 * 60_000) } });
    expect(await reasonOf(caller.security.twoFactor.disable())).toBe("stepUpRequired");

    const bearerLike = await callerFor(p.userId, undefined, { session: "none" });
    expect(await reasonOf(bearerLike.security.twoFactor.disable())).toBe("stepUpRequired");
    expect(await reasonOf(bearerLike.security.twoFactor.stepUp({ password: PASSWORD }))).toBe("stepUpRequired");
  });

  it("refuses a wrong password and rate-limits guessing", async () => {
    const p = await person();
    const caller = await callerFor(p.userId, undefined, { session: "stale" });
    const reasons: string[] = [];
    for (let i = 0; i < 9; i++) reasons.push(await reasonOf(caller.security.twoFactor.stepUp({ password: "errada errada errada" })));
    expect(reasons[0]).toBe("invalidCredentials");
    expect(reasons.at(-1)).toBe("rateLimited");
    expect(await reasonOf(caller.security.twoFactor.stepUp({ password: PASSWORD }))).toBe("rateLimited");
  });

  it("guards the marked procedures of other routers (members.changeRole)", async () => {
    const fx = await createOrgFixture("stepup");
    const stale = await callerFor(fx.users.OWNER.userId, undefined, { session: "stale" });
    expect(await reasonOf(stale.tenants.members.changeRole({ membershipId: fx.users.VIEWER.membershipId, role: "OPERATOR" }))).toBe("stepUpRequired");
  });
});

describe("organization policy", () => {
  it("cannot be turned on without the caller's own 2FA; then owners without 2FA are refused, others are not", async () => {
    const fx = await createOrgFixture("policy");
    const owner = await callerFor(fx.users.OWNER.userId);
    expect(await reasonOf(owner.security.twoFactor.setOrganizationPolicy({ requireOwnerTwoFactor: true }))).toBe("twoFactorRequiredForPolicy");

    const { secret } = await owner.security.twoFactor.beginSetup();
    await owner.security.twoFactor.confirmSetup({ code: codeAt(secret) });
    await owner.security.twoFactor.setOrganizationPolicy({ requireOwnerTwoFactor: true });
    expect(await owner.security.twoFactor.organizationPolicy()).toEqual({ requireOwnerTwoFactor: true });
    expect(await reasonOf(owner.tenants.members.list())).toBe("OK");

    const secondOwner = await person({ activeOrganizationId: fx.organizationId });
    await db.membership.create({ data: { organizationId: fx.organizationId, userId: secondOwner.userId, role: "OWNER" } });
    const without = await callerFor(secondOwner.userId);
    expect(await reasonOf(without.tenants.members.list())).toBe("twoFactorRequiredByOrganization");
    expect(await reasonOf(without.tenants.current())).toBe("OK");

    const manager = await callerFor(fx.users.MANAGER.userId);
    expect(await reasonOf(manager.tenants.members.list())).toBe("OK");
  });
});
