import type { Rule } from "../access.test";

/** Access rows of the publications procedures (see access.test.ts for what each row checks). */
export const publicationsAccess: Record<string, Rule> = {};
