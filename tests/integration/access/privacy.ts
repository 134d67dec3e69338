import type { Rule } from "../access.test";
import { db } from "../helpers/fixtures";

/** The name organization A gets before its owner erases it (the typed confirmation). */
const ERASABLE_NAME = "Loja a apagar";

/** Access rows of the privacy procedures (see access.test.ts for what each row checks). */
export const privacyAccess: Record<string, Rule> = {
  "privacy.consents": { access: "tenant", permission: "connections:read", minRole: "VIEWER", input: () => ({ limit: 25 }) },
  "privacy.erasurePreview": { access: "protected", input: () => undefined },
  // Someone who is not the last owner anywhere erases their own account; the input names only
  // the caller's own e-mail, so there is no other tenant's row to aim at.
  "privacy.eraseAccount": {
    access: "protected",
    actor: (fx) => fx.b.users.VIEWER.userId,
    input: (fx) => ({ confirmation: fx.b.users.VIEWER.email }),
  },
  // Owners only. B's owner sending A's name erases nothing of A (the active organization is B's,
  // whose name differs): checked in erasure.test.ts.
  "privacy.eraseOrganization": {
    access: "tenant",
    permission: "org:erase",
    minRole: "OWNER",
    input: () => ({ confirmation: ERASABLE_NAME }),
    setup: (fx) => db.organization.update({ where: { id: fx.a.organizationId }, data: { name: ERASABLE_NAME } }),
  },
};
