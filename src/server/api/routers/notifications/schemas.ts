import { z } from "zod";

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
