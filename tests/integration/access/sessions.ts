import { beforeAll } from "vitest";

import { hashPassword } from "~/server/auth/password";
import { startWebSession } from "~/server/services/accounts/sessions";
import type { Rule } from "../access.test";
import { db, uniqueEmail } from "../helpers/fixtures";

/**
 * A person of their own with a password and one browser session, created once per file: the
 * revoke row ends that session as its owner, and organization B's owner aiming at it gets
 * NOT_FOUND (sessions are personal: someone else's is never found).
 */
const PERSON = { userId: "", sessionId: "", password: "jabuticaba roxa 58 girando" };
beforeAll(async () => {
  const user = await db.user.create({ data: { email: uniqueEmail("sessions-access"), name: "Sessões Acesso", passwordHash: await hashPassword(PERSON.password) } });
  PERSON.userId = user.id;
  PERSON.sessionId = (await startWebSession(db, { userId: user.id, userAgent: "vitest" })).id;
});

const none = () => undefined;

/** Access rows of the sessions procedures (see access.test.ts for what each row checks). */
export const sessionsAccess: Record<string, Rule> = {
  "security.sessions.list": { access: "protected", input: none },
  "security.sessions.revoke": {
    access: "protected",
    input: () => ({ id: PERSON.sessionId }),
    actor: () => PERSON.userId,
    crossTenant: { input: () => ({ id: PERSON.sessionId }), expect: "NOT_FOUND" },
  },
  "security.sessions.revokeOthers": { access: "protected", input: none },
  "security.sessions.revokeAll": { access: "protected", input: none },
  "security.sessions.changePassword": {
    access: "protected",
    input: () => ({ currentPassword: PERSON.password, newPassword: "castanha dourada 91 saltando" }),
    actor: () => PERSON.userId,
  },
};
