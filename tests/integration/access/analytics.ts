import type { Rule } from "../access.test";

/** Access rows of the analytics procedures (see access.test.ts for what each row checks). */
export const analyticsAccess: Record<string, Rule> = {
  "analytics.overview": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ range: 30 }) },
  "analytics.accountSeries": {
    access: "tenant",
    permission: "content:read",
    minRole: "VIEWER",
    input: (fx) => ({ range: 30, connectionId: fx.a.social.socialConnectionId }),
    targetsRow: true,
  },
  "analytics.posts": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ range: 30, sort: "views", limit: 20 }) },
  "analytics.topPosts": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ range: 30, limit: 5 }) },
  "analytics.syncNow": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: (fx) => ({ connectionId: fx.a.social.socialConnectionId }),
    targetsRow: true,
  },
};
