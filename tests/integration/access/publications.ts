import type { Rule } from "../access.test";

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000);

/** Access rows of the publications procedures (see access.test.ts for what each row checks). */
export const publicationsAccess: Record<string, Rule> = {
  "publications.schedule": {
    access: "tenant",
    permission: "social:publish",
    minRole: "OPERATOR",
    input: (fx) => ({ contentId: fx.a.contentId, targets: [{ connectionId: fx.a.social.spareSocialConnectionId, scheduledAt: inDays(2) }] }),
    targetsRow: true,
  },
  "publications.reschedule": {
    access: "tenant",
    permission: "social:publish",
    minRole: "OPERATOR",
    input: (fx) => ({ id: fx.a.social.publicationId, scheduledAt: inDays(3) }),
    targetsRow: true,
  },
  "publications.cancel": { access: "tenant", permission: "social:publish", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.social.publicationId }), targetsRow: true },
  "publications.retry": { access: "tenant", permission: "social:publish", minRole: "OPERATOR", input: (fx) => ({ id: fx.a.social.failedPublicationId }), targetsRow: true },
  "publications.get": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.social.publicationId }), targetsRow: true },
  "publications.listForContent": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: (fx) => ({ contentId: fx.a.contentId }) },
  "publications.list": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ limit: 25 }) },
  "publications.counts": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({}) },
  "publications.calendar": { access: "tenant", permission: "content:read", minRole: "VIEWER", input: () => ({ from: new Date(Date.now() - 86_400_000), to: inDays(30) }) },
  // The notifications router's rows live here too (the bell belongs to the publishing area).
  "notifications.list": { access: "tenant", permission: "notifications:read", minRole: "VIEWER", input: () => ({ limit: 25 }) },
  "notifications.unreadCount": { access: "tenant", permission: "notifications:read", minRole: "VIEWER", input: () => undefined },
  "notifications.markRead": { access: "tenant", permission: "notifications:read", minRole: "VIEWER", input: (fx) => ({ id: fx.a.social.notificationId }), targetsRow: true },
  "notifications.markAllRead": { access: "tenant", permission: "notifications:read", minRole: "VIEWER", input: () => undefined },
};
