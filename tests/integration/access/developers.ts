import type { Rule } from "../access.test";

// Access rows for the developers procedures (issue 8).
export const developersAccess: Record<string, Rule> = {};
