import { z } from "zod";

import { MAX_PAGE_SIZE } from "~/server/repositories/pagination";
import { ALL_WEBHOOK_EVENTS, SUBSCRIBABLE_EVENTS } from "~/server/services/developer/webhooks/events";

const id = z.string().min(1).max(64);

export const ZWebhookEventName = z.enum(SUBSCRIBABLE_EVENTS);
export const ZWebhookUrl = z.url({ protocol: /^https?$/ }).max(2048);

export const ZCreateWebhookInput = z.object({
  url: ZWebhookUrl,
  description: z.string().trim().max(200).nullish(),
  events: z.array(ZWebhookEventName).min(1).max(SUBSCRIBABLE_EVENTS.length),
});

export const ZUpdateWebhookInput = z.object({
  id,
  url: ZWebhookUrl.optional(),
  description: z.string().trim().max(200).nullish(),
  events: z.array(ZWebhookEventName).min(1).max(SUBSCRIBABLE_EVENTS.length).optional(),
  enabled: z.boolean().optional(),
});

export const ZEndpointIdInput = z.object({ id });

export const ZWebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  secretHint: z.string(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  state: z.enum(["active", "failing", "disabled"]),
  failingSince: z.date().nullable(),
  disabledAt: z.date().nullable(),
  disabledReason: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const ZEndpointWithSecret = z.object({ endpoint: ZWebhookEndpoint, secret: z.string().startsWith("whsec_") });

export const ZDeliveryStatus = z.enum(["PENDING", "SUCCEEDED", "FAILED"]);

export const ZDeliveriesInput = z.object({
  endpointId: id,
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE).default(25),
  cursor: id.optional(),
  status: ZDeliveryStatus.optional(),
  event: z.enum(ALL_WEBHOOK_EVENTS).optional(),
});

export const ZWebhookDelivery = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  event: z.string(),
  payload: z.unknown(),
  status: ZDeliveryStatus,
  attempts: z.number().int(),
  responseCode: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.date().nullable(),
  lastAttemptAt: z.date().nullable(),
  replayOfId: z.string().nullable(),
  createdAt: z.date(),
  deliveredAt: z.date().nullable(),
});

export const ZDeliveriesResult = z.object({ items: z.array(ZWebhookDelivery), nextCursor: z.string().nullable() });

export const ZReplayInput = z.object({ deliveryId: id });
export const ZQueuedDelivery = z.object({ deliveryId: z.string() });
