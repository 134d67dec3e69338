/**
 * The outbound webhooks' job event (kept next to events.ts so that shared file stays untouched by
 * this feature): deliveries were written and should be sent now. The every-minute cron is the
 * safety net for a lost or early event.
 */
import { eventType } from "inngest";
import { z } from "zod";

import { ZJobContext } from "./events";

export const webhookDeliveryRequested = eventType("webhooks/delivery.requested", {
  schema: ZJobContext.extend({
    /** The event whose deliveries to send (all endpoints), or… */
    eventId: z.string().min(1).max(64).optional(),
    /** …these deliveries (a replay, a test event). */
    deliveryIds: z.array(z.string().min(1).max(64)).max(100).optional(),
  }),
});
