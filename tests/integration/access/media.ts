import type { Rule } from "../access.test";

/** Access rows of the media procedures (see access.test.ts for what each row checks). */
export const mediaAccess: Record<string, Rule> = {};
