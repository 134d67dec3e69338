/**
 * What the settings UI shares with the server about webhooks: the event names an endpoint can
 * subscribe to (in the order the form lists them) and the endpoint limit. No dependencies, so the
 * browser bundle can import it; events.ts checks every name has a payload schema.
 */
export const SUBSCRIBABLE_EVENTS = [
  "listing.score_changed",
  "action.applied",
  "action.failed",
  "publication.published",
  "publication.failed",
  "comment.received",
  "connection.needs_reconnect",
] as const;
export type SubscribableEvent = (typeof SUBSCRIBABLE_EVENTS)[number];

export const MAX_ENDPOINTS_PER_ORG = 10;
