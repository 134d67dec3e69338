import type { Rule } from "../access.test";

/** Access rows of the analytics procedures (see access.test.ts for what each row checks). */
export const analyticsAccess: Record<string, Rule> = {};
