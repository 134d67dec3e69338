import type { Rule } from "../access.test";

/** Access rows of the media procedures (see access.test.ts for what each row checks). */
export const mediaAccess: Record<string, Rule> = {
  "media.list": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: (fx) => ({ contentId: fx.a.contentId, limit: 10 }), targetsRow: true },
  "media.get": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.social.mediaId }), targetsRow: true },
  "media.attach": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: (fx) => ({ mediaId: fx.a.social.mediaId, contentId: fx.a.contentId, position: 0 }),
    targetsRow: true,
  },
  "media.reorder": {
    access: "tenant",
    permission: "content:write",
    minRole: "OPERATOR",
    input: (fx) => ({ contentId: fx.a.contentId, mediaIds: [fx.a.social.mediaId] }),
    targetsRow: true,
  },
  "media.limits": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => undefined },
  "media.remove": { access: "tenant", permission: "content:write", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.social.mediaId }), targetsRow: true },
};
