import * as notifications from "~/server/services/notifications/notifications";
import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZMarkAllReadResult,
  ZMarkReadResult,
  ZNotificationIdInput,
  ZNotificationListInput,
  ZNotificationPage,
  ZNotificationPreferences,
  ZUnreadCount,
  ZUpdateNotificationPreferencesInput,
} from "./schemas";

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
  preferences: tenantProcedure
    .meta({ permission: "notifications:read" })
    .output(ZNotificationPreferences)
    .query(({ ctx }) => notifications.preferences(ctx.tenantCtx)),
  updatePreferences: tenantProcedure
    // The caller's own choices, like read marks: allowed while suspended or in maintenance.
    .meta({ permission: "notifications:read", personalWrite: true })
    .input(ZUpdateNotificationPreferencesInput)
    .output(ZNotificationPreferences)
    .mutation(({ ctx, input }) => notifications.updatePreferences(ctx.tenantCtx, input)),
});
