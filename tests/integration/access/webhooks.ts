import type { Rule } from "../access.test";

// Access rows for the webhooks procedures (issue 8).
export const webhooksAccess: Record<string, Rule> = {};
