import type { Rule } from "../access.test";

/** Access rows of the circuit breaker procedures (see access.test.ts for what each row checks). */
export const circuitsAccess: Record<string, Rule> = {
  "connectors.circuits": { access: "tenant", permission: "connections:read", minRole: "VIEWER", input: () => undefined },
};
