import * as notifications from "~/server/services/notifications/notifications";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import { ZMarkAllReadResult, ZMarkReadResult, ZNotificationIdInput, ZNotificationListInput, ZNotificationPage, ZUnreadCount } from "./schemas";

export const notificationsRouter = createTRPCRouter({
  list: tenantProcedure
    .meta({ permission: "notifications:read" })
    .input(ZNotificationListInput)
    .output(ZNotificationPage)
    .query(({ ctx, input }) => notifications.list(ctx.tenantCtx, input)),
  unreadCount: tenantProcedure
    .meta({ permission: "notifications:read" })
    .output(ZUnreadCount)
    .query(({ ctx }) => notifications.unreadCount(ctx.tenantCtx)),
  markRead: tenantProcedure
    // Read marks are the member's own state: allowed while suspended or in maintenance.
    .meta({ permission: "notifications:read", personalWrite: true })
    .input(ZNotificationIdInput)
    .output(ZMarkReadResult)
    .mutation(({ ctx, input }) => notifications.markRead(ctx.tenantCtx, input)),
  markAllRead: tenantProcedure
    .meta({ permission: "notifications:read", personalWrite: true })
    .output(ZMarkAllReadResult)
    .mutation(({ ctx }) => notifications.markAllRead(ctx.tenantCtx)),
});
