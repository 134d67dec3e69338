import type { Rule } from "../access.test";

/** Access rows of the privacy procedures (see access.test.ts for what each row checks). */
export const privacyAccess: Record<string, Rule> = {
  "privacy.consents": { access: "tenant", permission: "connections:read", minRole: "VIEWER", input: () => ({ limit: 25 }) },
};
