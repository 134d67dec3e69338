/**
 * The outbound webhook events: their names and the payload (`data`) each one carries. Payloads
 * name our own ids (and the marketplace/network ids the organization already sees in the app),
 * never a token, secret or anything the organization does not already own. docs/webhooks.md
 * documents them with examples; keep the two in step.
 */
import { z } from "zod";

import { SUBSCRIBABLE_EVENTS, type SubscribableEvent } from "./catalog";

const id = z.string().min(1).max(64);
const isoDate = z.string().datetime();

export const WEBHOOK_EVENT_SCHEMAS = {
  /** A listing's Health Score moved (a recompute wrote a different score than the previous one). */
  "listing.score_changed": z.object({
    listingId: id,
    previousScore: z.number().int().min(0).max(100),
    score: z.number().int().min(0).max(100),
    computedAt: isoDate,
  }),
  /** An approved action was written to the marketplace. */
  "action.applied": z.object({
    actionId: id,
    listingId: id,
    type: z.string().max(64),
    appliedAt: isoDate,
  }),
  /** An approved action could not be applied (refused, or its retries ran out). */
  "action.failed": z.object({
    actionId: id,
    listingId: id.nullable(),
    type: z.string().max(64),
    code: z.string().max(120),
    reason: z.string().max(500),
    failedAt: isoDate,
  }),
  /** A scheduled post went live on its network. */
  "publication.published": z.object({
    publicationId: id,
    contentId: id,
    connectionId: id,
    network: z.string().max(32),
    externalId: z.string().max(256),
    permalink: z.string().max(2048).nullable(),
    publishedAt: isoDate,
  }),
  /** A scheduled post failed for good. */
  "publication.failed": z.object({
    publicationId: id,
    contentId: id,
    connectionId: id,
    network: z.string().max(32),
    code: z.string().max(120),
    reason: z.string().max(1000),
    failedAt: isoDate,
  }),
  /** A new comment (not written by the connected account itself) arrived on a social account. */
  "comment.received": z.object({
    commentId: id,
    connectionId: id,
    externalId: z.string().max(256),
    postExternalId: z.string().max(256).nullable(),
    publicationId: id.nullable(),
    parentExternalId: z.string().max(256).nullable(),
    authorName: z.string().max(200),
    text: z.string().max(10_000),
    receivedAt: isoDate,
  }),
  /** A connection's authorization stopped working: someone must reconnect the account. */
  "connection.needs_reconnect": z.object({
    connectionId: id,
    provider: z.string().max(32),
    accountName: z.string().max(200).nullable(),
    since: isoDate,
  }),
  /** Sent by the "send test event" button only (never subscribed to). */
  "webhook.test": z.object({
    endpointId: id,
    message: z.string().max(200),
  }),
} as const;

export type WebhookEventName = keyof typeof WEBHOOK_EVENT_SCHEMAS;
export type WebhookEventPayload<E extends WebhookEventName> = z.infer<(typeof WEBHOOK_EVENT_SCHEMAS)[E]>;

// Every subscribable event has a payload schema (a compile error otherwise).
const _subscribableHaveSchemas = SUBSCRIBABLE_EVENTS satisfies readonly WebhookEventName[];
export { SUBSCRIBABLE_EVENTS, type SubscribableEvent };

export const ALL_WEBHOOK_EVENTS = [...SUBSCRIBABLE_EVENTS, "webhook.test"] as const satisfies readonly WebhookEventName[];

/** The body every delivery POSTs (stored as the delivery's payload, so retries and replays send the same bytes' content). */
export type WebhookEnvelope = {
  id: string;
  type: WebhookEventName;
  createdAt: string;
  organizationId: string;
  data: unknown;
};
