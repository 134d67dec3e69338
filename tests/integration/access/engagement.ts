import type { Rule } from "../access.test";

/** Access rows of the engagement procedures (see access.test.ts for what each row checks). */
export const engagementAccess: Record<string, Rule> = {};
