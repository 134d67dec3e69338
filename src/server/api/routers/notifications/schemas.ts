import { z } from "zod";

import { NOTIFICATION_CATEGORIES } from "~/server/services/notifications/categories";
import { ZId, ZPage, ZPageInput } from "../../schemas";

export const ZNotificationListInput = ZPageInput.extend({ unreadOnly: z.boolean().optional() });
export const ZNotificationIdInput = z.object({ id: ZId });

export const ZNotificationRow = z.object({
  id: ZId,
  kind: z.string(),
  /** Parameters of the message notifications.kinds.<kind>. */
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  link: z.string().nullable(),
  readAt: z.date().nullable(),
  createdAt: z.date(),
});
export const ZNotificationPage = ZPage(ZNotificationRow);
export const ZUnreadCount = z.object({ count: z.number().int() });
export const ZMarkReadResult = z.object({ id: ZId });
export const ZMarkAllReadResult = z.object({ updated: z.number().int() });

export const ZNotificationCategory = z.enum(NOTIFICATION_CATEGORIES);
export const ZNotificationPreference = z.object({ category: ZNotificationCategory, inApp: z.boolean(), email: z.boolean() });
/** The categories the caller's role receives, each with their choice per channel. */
export const ZNotificationPreferences = z.object({ categories: z.array(ZNotificationPreference) });
export const ZUpdateNotificationPreferencesInput = z.object({ categories: z.array(ZNotificationPreference).min(1).max(NOTIFICATION_CATEGORIES.length) });
