/**
 * What a person does with their notifications: read the list, count the unread, mark them read,
 * choose per category whether they appear in the app and arrive by e-mail. Read state and
 * preferences are each person's own; what they may see at all follows their role (categories.ts).
 */
import type { Role } from "~/generated/prisma/enums";
import { notFound } from "~/server/lib/errors";
import {
  countUnreadNotifications,
  listNotificationPreferences,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationVisible,
  saveNotificationPreferences,
} from "~/server/repositories/notifications";
import type { TenantCtx } from "../context";
import { categoryOf, type NotificationCategory, NOTIFICATION_CATEGORIES, roleSeesCategory, withDefaults } from "./categories";
import { NOTIFICATION_KINDS } from "./notify";

/** Only text and numbers reach the message formatter. */
export function scalarParams(value: unknown): Record<string, string | number> {
  const params = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  return Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === "string" || typeof v === "number")) as Record<string, string | number>;
}

function row(n: { id: string; kind: string; params: unknown; link: string | null; readAt: Date | null; createdAt: Date }) {
  return { id: n.id, kind: n.kind, params: scalarParams(n.params), link: n.link, readAt: n.readAt, createdAt: n.createdAt };
}

/** The kinds this person sees in the app: allowed to their role and not switched off. */
async function visibleKinds(ctx: TenantCtx): Promise<string[]> {
  const { organizationId, userId, role } = ctx.tenant;
  const prefs = withDefaults(await listNotificationPreferences(ctx.db, organizationId, userId));
  return NOTIFICATION_KINDS.filter((kind) => {
    const category = categoryOf(kind);
    return roleSeesCategory(role, category) && prefs[category].inApp;
  });
}

export async function list(ctx: TenantCtx, input: { limit: number; cursor?: string; unreadOnly?: boolean }) {
  const { organizationId, userId } = ctx.tenant;
  const kinds = await visibleKinds(ctx);
  if (input.cursor && !(await notificationVisible(ctx.db, organizationId, userId, kinds, input.cursor))) return { items: [], nextCursor: null };
  const page = await listNotifications(ctx.db, organizationId, userId, kinds, input);
  return { items: page.items.map(row), nextCursor: page.nextCursor };
}

export async function unreadCount(ctx: TenantCtx) {
  return { count: await countUnreadNotifications(ctx.db, ctx.tenant.organizationId, ctx.tenant.userId, await visibleKinds(ctx)) };
}

export async function markRead(ctx: TenantCtx, input: { id: string }, now = new Date()) {
  const { organizationId, userId } = ctx.tenant;
  if (!(await notificationVisible(ctx.db, organizationId, userId, await visibleKinds(ctx), input.id))) throw notFound("Notification");
  await markNotificationRead(ctx.db, userId, input.id, now);
  return { id: input.id };
}

export async function markAllRead(ctx: TenantCtx, now = new Date()) {
  return { updated: await markAllNotificationsRead(ctx.db, ctx.tenant.organizationId, ctx.tenant.userId, await visibleKinds(ctx), now) };
}

/** The categories this role may receive, each with the person's choice (or the default). */
function preferenceRows(role: Role, prefs: ReturnType<typeof withDefaults>) {
  return NOTIFICATION_CATEGORIES.filter((c) => roleSeesCategory(role, c)).map((category) => ({ category, ...prefs[category] }));
}

export async function preferences(ctx: TenantCtx) {
  const { organizationId, userId, role } = ctx.tenant;
  return { categories: preferenceRows(role, withDefaults(await listNotificationPreferences(ctx.db, organizationId, userId))) };
}

export async function updatePreferences(ctx: TenantCtx, input: { categories: Array<{ category: NotificationCategory; inApp: boolean; email: boolean }> }) {
  const { organizationId, userId, role } = ctx.tenant;
  // A category the role does not receive is not the person's to set (it would do nothing).
  const allowed = input.categories.filter((c) => roleSeesCategory(role, c.category));
  await saveNotificationPreferences(ctx.db, organizationId, userId, allowed);
  return preferences(ctx);
}
