import { MAX_ENDPOINTS_PER_ORG, SUBSCRIBABLE_EVENTS, type SubscribableEvent } from "~/server/services/developer/webhooks/catalog";

/** The events an endpoint can subscribe to, in the order the form lists them. */
export const WEBHOOK_EVENTS = SUBSCRIBABLE_EVENTS;
export type WebhookEventName = SubscribableEvent;

export const MAX_ENDPOINTS = MAX_ENDPOINTS_PER_ORG;
export const DELIVERIES_PAGE_SIZE = 25;
export const DELIVERY_STATUSES = ["PENDING", "SUCCEEDED", "FAILED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The message keys of an event's label and description (`webhooks.events.<group>.<name>.label`). */
export function eventLabelKey(event: string) {
  return `events.${event}.label`;
}
export function eventDescriptionKey(event: string) {
  return `events.${event}.description`;
}

export type EndpointRow = {
  id: string;
  url: string;
  description: string | null;
  secretHint: string;
  events: string[];
  enabled: boolean;
  state: "active" | "failing" | "disabled";
  failingSince: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
};
