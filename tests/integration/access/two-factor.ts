import type { Rule } from "../access.test";

/** Access rows of the two-factor procedures (see access.test.ts for what each row checks). */
export const twoFactorAccess: Record<string, Rule> = {};
