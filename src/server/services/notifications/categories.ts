/**
 * Notification categories: what a person switches on or off (per channel) in Settings →
 * Notificações, and who may see a kind at all (the category's permission).
 */
import type { Role } from "~/generated/prisma/enums";
import { can, type Permission } from "~/server/auth/permissions";

export const NOTIFICATION_CATEGORIES = ["connections", "publishing", "actions", "limits", "billing", "developers"] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

/** The first segment of a kind ("billing.pastDue" → billing) names its category. */
const CATEGORY_OF_PREFIX: Record<string, NotificationCategory> = {
  connection: "connections",
  publication: "publishing",
  action: "actions",
  listings: "limits",
  ai: "limits",
  billing: "billing",
  webhooks: "developers",
};

export function categoryOf(kind: string): NotificationCategory {
  // An unmapped kind is about a provider or an account: the connections category is its home.
  return CATEGORY_OF_PREFIX[kind.split(".")[0] ?? ""] ?? "connections";
}

/**
 * Who sees a category: billing news and plan limits (whose remedy is a plan) only those who see
 * billing; webhooks those who manage them; the rest everyone who sees the subject.
 */
export const CATEGORY_PERMISSION: Record<NotificationCategory, Permission> = {
  connections: "connections:read",
  publishing: "content:read",
  actions: "actions:read",
  limits: "billing:read",
  billing: "billing:read",
  developers: "developers:manage",
};

export function roleSeesCategory(role: Role, category: NotificationCategory) {
  return can(role, CATEGORY_PERMISSION[category]);
}

export type ChannelPreference = { inApp: boolean; email: boolean };

/** Without a stored choice: in the app yes, e-mail no (e-mail is opt-in). */
export const DEFAULT_PREFERENCE: ChannelPreference = { inApp: true, email: false };

/** Every category with the person's choice or the default. */
export function withDefaults(rows: Array<{ category: string } & ChannelPreference>): Record<NotificationCategory, ChannelPreference> {
  const stored = new Map(rows.map((r) => [r.category, r]));
  return Object.fromEntries(
    NOTIFICATION_CATEGORIES.map((c) => {
      const row = stored.get(c);
      return [c, row ? { inApp: row.inApp, email: row.email } : { ...DEFAULT_PREFERENCE }];
    }),
  ) as Record<NotificationCategory, ChannelPreference>;
}
