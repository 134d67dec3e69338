import type { Rule } from "../access.test";

/** Access rows of the content procedures (see access.test.ts for what each row checks). */
export const contentAccess: Record<string, Rule> = {
  "content.list": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ limit: 50 }) },
};
