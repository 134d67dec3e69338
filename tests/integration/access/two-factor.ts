import { beforeAll } from "vitest";

import { hashPassword } from "~/server/auth/password";
import { encrypt } from "~/server/lib/secrets";
import { newTotpSecret, totpFor } from "~/server/services/accounts/two-factor-totp";
import type { Rule } from "../access.test";
import { db, uniqueEmail } from "../helpers/fixtures";

/**
 * People of their own, created once per file: one halfway through enrolment (confirmSetup needs a
 * pending secret), one with 2FA on (regenerating codes needs it) and one with a password (step-up).
 */
const PENDING = { userId: "", secret: newTotpSecret() };
const ENABLED = { userId: "" };
const WITH_PASSWORD = { userId: "", password: "goiabada cascao 73 girando" };
beforeAll(async () => {
  const make = async (data: Record<string, unknown>) =>
    (await db.user.create({ data: { email: uniqueEmail("tfa-access"), name: "2FA Acesso", passwordHash: await hashPassword(WITH_PASSWORD.password), ...data } })).id;
  PENDING.userId = await make({ twoFactorSecretEnc: encrypt(PENDING.secret) });
  ENABLED.userId = await make({ twoFactorSecretEnc: encrypt(newTotpSecret()), twoFactorEnabledAt: new Date() });
  WITH_PASSWORD.userId = await make({});
});

const none = () => undefined;

/** Access rows of the two-factor procedures (see access.test.ts for what each row checks). */
export const twoFactorAccess: Record<string, Rule> = {
  "security.twoFactor.status": { access: "protected", input: none },
  "security.twoFactor.beginSetup": { access: "protected", input: none },
  "security.twoFactor.confirmSetup": {
    access: "protected",
    input: () => ({ code: totpFor(PENDING.secret, "x", "x").generate() }),
    actor: () => PENDING.userId,
  },
  "security.twoFactor.disable": { access: "protected", input: none },
  "security.twoFactor.regenerateRecoveryCodes": { access: "protected", input: none, actor: () => ENABLED.userId },
  "security.twoFactor.stepUp": { access: "protected", input: () => ({ password: WITH_PASSWORD.password }), actor: () => WITH_PASSWORD.userId },
  "security.twoFactor.organizationPolicy": { access: "tenant", permission: "org:read", minRole: "VIEWER", input: none },
  "security.twoFactor.setOrganizationPolicy": {
    access: "tenant",
    permission: "security:manage",
    minRole: "OWNER",
    input: () => ({ requireOwnerTwoFactor: false }),
  },
};
