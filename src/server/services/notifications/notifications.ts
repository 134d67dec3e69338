/** What a person does with their notifications: read the list, count the unread, mark them read. */
import { notFound } from "~/server/lib/errors";
import {
  countUnreadNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  notificationVisible,
} from "~/server/repositories/notifications";
import type { TenantCtx } from "../context";

function row(n: { id: string; kind: string; params: unknown; link: string | null; readAt: Date | null; createdAt: Date }) {
  const params = n.params && typeof n.params === "object" && !Array.isArray(n.params) ? (n.params as Record<string, unknown>) : {};
  // Only text and numbers reach the message formatter.
  const scalars = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === "string" || typeof v === "number")) as Record<string, string | number>;
  return { id: n.id, kind: n.kind, params: scalars, link: n.link, readAt: n.readAt, createdAt: n.createdAt };
}

export async function list(ctx: TenantCtx, input: { limit: number; cursor?: string; unreadOnly?: boolean }) {
  const { organizationId, userId } = ctx.tenant;
  if (input.cursor && !(await notificationVisible(ctx.db, organizationId, userId, input.cursor))) return { items: [], nextCursor: null };
  const page = await listNotifications(ctx.db, organizationId, userId, input);
  return { items: page.items.map(row), nextCursor: page.nextCursor };
}

export async function unreadCount(ctx: TenantCtx) {
  return { count: await countUnreadNotifications(ctx.db, ctx.tenant.organizationId, ctx.tenant.userId) };
}

export async function markRead(ctx: TenantCtx, input: { id: string }, now = new Date()) {
  const { organizationId, userId } = ctx.tenant;
  if (!(await notificationVisible(ctx.db, organizationId, userId, input.id))) throw notFound("Notification");
  await markNotificationRead(ctx.db, organizationId, userId, input.id, now);
  return { id: input.id };
}

export async function markAllRead(ctx: TenantCtx, now = new Date()) {
  return { updated: await markAllNotificationsRead(ctx.db, ctx.tenant.organizationId, ctx.tenant.userId, now) };
}
