import type { Rule } from "../access.test";

const manage = { access: "tenant", permission: "connections:manage", minRole: "MANAGER" } as const;
const day = new Date().toISOString().slice(0, 10);

/** Access rows of the raw archive procedures (see access.test.ts for what each row checks). */
export const archiveAccess: Record<string, Rule> = {
  "archive.list": { ...manage, input: () => undefined },
  "archive.reprocess": { ...manage, input: (fx) => ({ kind: "listings", connectionId: fx.a.connectionId, from: day, to: day }), targetsRow: true },
  "archive.setRetention": { ...manage, input: () => ({ days: 400 }) },
};
