import type { Rule } from "../access.test";

const own = { access: "tenant", permission: "notifications:read", minRole: "VIEWER" } as const;

/**
 * Access rows of the notification preferences (the list, count and read marks sit in
 * publications.ts). Preferences are the caller's own: no input names another person's or another
 * organization's row; the other-tenant NOT_FOUND of a notification id is notifications.markRead's row.
 */
export const notificationsAccess: Record<string, Rule> = {
  "notifications.preferences": { ...own, input: () => undefined },
  "notifications.updatePreferences": { ...own, input: () => ({ categories: [{ category: "publishing", inApp: true, email: false }] }) },
};
