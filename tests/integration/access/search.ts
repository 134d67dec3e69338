import type { Rule } from "../access.test";

/** Access rows of the semantic search procedures (see access.test.ts for what each row checks). */
export const searchAccess: Record<string, Rule> = {
  // "Similar to A's listing": B's owner naming it must get NOT_FOUND, never B's own nearest rows.
  "search.similar": {
    access: "tenant",
    permission: "listings:read",
    minRole: "VIEWER",
    input: (fx) => ({ subject: { type: "listing", id: fx.a.listingId }, limit: 5 }),
    targetsRow: true,
  },
  "search.reindex": { access: "tenant", permission: "scores:recompute", minRole: "OPERATOR", input: () => undefined },
};
