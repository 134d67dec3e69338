import { beforeAll } from "vitest";

import { hashPassword } from "~/server/auth/password";
import { sha256 } from "~/server/lib/crypto";
import type { Fx, Rule } from "../access.test";
import { db, uniqueEmail } from "../helpers/fixtures";

// Access rows for the developers procedures (issue 8).

/** An account with a password, for the public auth.login row (created once per file). */
const LOGIN = { email: uniqueEmail("api-login"), password: "girassol laranja 73 pulando" };
beforeAll(async () => {
  await db.user.create({ data: { email: LOGIN.email, name: "Login Access", passwordHash: await hashPassword(LOGIN.password) } });
});

/**
 * The fixture has no API keys: the revoke row aims at a key of organization A with an id derived
 * from A's id, created by `setup` before the allowed role's call (B's owner aiming at it gets
 * NOT_FOUND whether or not it exists yet; tests/integration/api-keys.test.ts also revokes an
 * existing key of A as B's owner and checks it stays live).
 */
const fixtureKeyId = (fx: Fx) => `access-key-${fx.a.organizationId}`;

async function withApiKey(fx: Fx) {
  await db.apiKey.upsert({
    where: { id: fixtureKeyId(fx) },
    update: {},
    create: {
      id: fixtureKeyId(fx),
      organizationId: fx.a.organizationId,
      name: "Chave de acesso",
      prefix: "ssk_access00",
      keyHash: sha256(`ssk_access-${fx.a.organizationId}`),
      scopes: ["listings:read"],
      createdById: fx.a.users.OWNER.userId,
    },
  });
}

export const developersAccess: Record<string, Rule> = {
  "auth.login": { access: "public", input: () => LOGIN },
  // The key's id contains A's organization id: B's list showing it would fail the leak check.
  "apiKeys.list": { access: "tenant", permission: "developers:manage", minRole: "MANAGER", input: () => ({ limit: 25 }), setup: withApiKey },
  "apiKeys.create": {
    access: "tenant",
    permission: "developers:manage",
    minRole: "MANAGER",
    input: () => ({ name: "Integração", scopes: ["listings:read", "actions:write"] }),
  },
  "apiKeys.revoke": {
    access: "tenant",
    permission: "developers:manage",
    minRole: "MANAGER",
    input: (fx) => ({ id: fixtureKeyId(fx) }),
    targetsRow: true,
    setup: withApiKey,
  },
  // The pending queue served as GET /api/v1/actions/recommendations (helper "rest").
  "actions.recommendations": { access: "tenant", permission: "actions:read", minRole: "VIEWER", input: () => ({ limit: 50 }) },
};
