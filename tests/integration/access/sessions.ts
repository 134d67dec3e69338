import type { Rule } from "../access.test";

/** Access rows of the sessions procedures (see access.test.ts for what each row checks). */
export const sessionsAccess: Record<string, Rule> = {};
