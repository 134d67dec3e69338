/** Outbound webhook endpoints and their deliveries. Tenant queries take the organization id first. */
import type { Prisma } from "~/generated/prisma/client";
import type { WebhookDeliveryStatus } from "~/generated/prisma/enums";
import type { Db, DbOrTx } from "~/server/db";
import { paginate } from "./pagination";

const endpointFields = {
  id: true,
  url: true,
  description: true,
  secretHint: true,
  events: true,
  enabled: true,
  failingSince: true,
  disabledAt: true,
  disabledReason: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.WebhookEndpointSelect;
export type EndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof endpointFields }>;

const deliveryFields = {
  id: true,
  endpointId: true,
  eventId: true,
  event: true,
  payload: true,
  status: true,
  attempts: true,
  responseCode: true,
  latencyMs: true,
  lastError: true,
  nextAttemptAt: true,
  lastAttemptAt: true,
  replayOfId: true,
  createdAt: true,
  deliveredAt: true,
} satisfies Prisma.WebhookDeliverySelect;
export type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof deliveryFields }>;

// ─── Endpoints ───

export function listEndpoints(db: DbOrTx, organizationId: string) {
  return db.webhookEndpoint.findMany({ where: { organizationId, deletedAt: null }, select: endpointFields, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

export function countEndpoints(db: DbOrTx, organizationId: string) {
  return db.webhookEndpoint.count({ where: { organizationId, deletedAt: null } });
}

export function findEndpoint(db: DbOrTx, organizationId: string, id: string) {
  return db.webhookEndpoint.findFirst({ where: { id, organizationId, deletedAt: null }, select: endpointFields });
}

export function createEndpoint(
  db: DbOrTx,
  organizationId: string,
  data: { url: string; description: string | null; events: string[]; secretEnc: string; secretHint: string; createdById: string | null },
) {
  return db.webhookEndpoint.create({ data: { organizationId, ...data }, select: endpointFields });
}

/** Updates a live endpoint of the organization; false when there is none. */
export async function updateEndpoint(db: DbOrTx, organizationId: string, id: string, data: Prisma.WebhookEndpointUpdateManyMutationInput) {
  const { count } = await db.webhookEndpoint.updateMany({ where: { id, organizationId, deletedAt: null }, data });
  return count === 1;
}

/** The enabled, live endpoints of the organization subscribed to `event`. */
export async function subscribedEndpointIds(db: DbOrTx, organizationId: string, event: string) {
  const rows = await db.webhookEndpoint.findMany({
    where: { organizationId, enabled: true, deletedAt: null, events: { has: event } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Owners and managers: who hears that an endpoint was disabled. */
export async function developerManagerIds(db: DbOrTx, organizationId: string) {
  const rows = await db.membership.findMany({ where: { organizationId, role: { in: ["OWNER", "MANAGER"] } }, select: { userId: true } });
  return rows.map((r) => r.userId);
}

// ─── Deliveries ───

export type DeliveryInsert = {
  organizationId: string;
  endpointId: string;
  eventId: string;
  event: string;
  payload: Prisma.InputJsonValue;
  nextAttemptAt: Date;
  replayOfId?: string | null;
};

export function insertDeliveries(db: DbOrTx, rows: DeliveryInsert[]) {
  if (rows.length === 0) return Promise.resolve([] as { id: string }[]);
  return db.webhookDelivery.createManyAndReturn({ data: rows, select: { id: true } });
}

export function listDeliveries(
  db: DbOrTx,
  organizationId: string,
  endpointId: string,
  filter: { limit: number; cursor?: string; status?: WebhookDeliveryStatus; event?: string },
) {
  return db.webhookDelivery
    .findMany({
      where: { organizationId, endpointId, ...(filter.status ? { status: filter.status } : {}), ...(filter.event ? { event: filter.event } : {}) },
      select: deliveryFields,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: filter.limit + 1,
      ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, filter.limit));
}

export async function deliveryBelongsTo(db: DbOrTx, organizationId: string, endpointId: string, id: string) {
  return (await db.webhookDelivery.count({ where: { id, organizationId, endpointId } })) === 1;
}

/** A delivery of the organization whose endpoint is not deleted. */
export function findDelivery(db: DbOrTx, organizationId: string, id: string) {
  return db.webhookDelivery.findFirst({ where: { id, organizationId, endpoint: { deletedAt: null } }, select: deliveryFields });
}

export type ClaimedDelivery = { id: string; attempts: number };

/**
 * Claims due PENDING deliveries of enabled endpoints in one statement: counts the attempt, stamps
 * it, and pushes next_attempt_at out by `leaseMs` so no other worker takes the row while this one
 * sends (SKIP LOCKED keeps concurrent claims disjoint; a worker that dies leaves the row to be
 * claimed again when the lease ends). The narrowing filters are optional.
 */
export function claimDueDeliveries(
  db: Db,
  opts: { now: Date; leaseMs: number; limit: number; organizationId?: string | null; eventId?: string | null; deliveryIds?: string[] | null },
) {
  const { now, limit } = opts;
  const lease = new Date(now.getTime() + opts.leaseMs);
  const organizationId = opts.organizationId ?? null;
  const eventId = opts.eventId ?? null;
  const ids = opts.deliveryIds ?? null;
  return db.$queryRaw<ClaimedDelivery[]>`
    UPDATE webhook_deliveries d
       SET attempts = d.attempts + 1, last_attempt_at = ${now}, next_attempt_at = ${lease}
     WHERE d.id IN (
       SELECT w.id FROM webhook_deliveries w
         JOIN webhook_endpoints e ON e.id = w.endpoint_id
        WHERE w.status = 'PENDING' AND w.next_attempt_at <= ${now}
          AND e.enabled AND e.deleted_at IS NULL
          -- A suspended organization's deliveries wait (PENDING) until it is active again.
          AND w.organization_id IN (SELECT id FROM organizations WHERE status = 'ACTIVE')
          AND (${organizationId}::text IS NULL OR w.organization_id = ${organizationId})
          AND (${eventId}::text IS NULL OR w.event_id = ${eventId})
          AND (${ids}::text[] IS NULL OR w.id = ANY(${ids}::text[]))
        ORDER BY w.next_attempt_at, w.id
        FOR UPDATE OF w SKIP LOCKED
        LIMIT ${limit})
    RETURNING d.id, d.attempts`;
}

/** What a send needs (system query: the claim already chose the row). */
export function findDeliveryForSend(db: DbOrTx, id: string) {
  return db.webhookDelivery.findUnique({
    where: { id },
    select: {
      id: true,
      organizationId: true,
      endpointId: true,
      eventId: true,
      event: true,
      payload: true,
      status: true,
      attempts: true,
      endpoint: { select: { id: true, url: true, secretEnc: true, enabled: true, deletedAt: true, failingSince: true } },
    },
  });
}

/** Records an attempt's outcome, only if the row is still the claimed attempt (a late worker changes nothing). */
export async function recordAttempt(db: DbOrTx, id: string, attempts: number, data: Prisma.WebhookDeliveryUpdateManyMutationInput) {
  const { count } = await db.webhookDelivery.updateMany({ where: { id, status: "PENDING", attempts }, data });
  return count === 1;
}

/** Starts a failing streak unless one is running; returns the streak's start. */
export async function markEndpointFailing(db: DbOrTx, endpointId: string, now: Date) {
  await db.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: null }, data: { failingSince: now } });
  const row = await db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { failingSince: true } });
  return row?.failingSince ?? now;
}

export function clearEndpointFailing(db: DbOrTx, endpointId: string) {
  return db.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: { not: null } }, data: { failingSince: null } });
}

/** Disables an enabled endpoint; true only for the call that did it. */
export async function disableEndpoint(db: DbOrTx, endpointId: string, now: Date, reason: string) {
  const { count } = await db.webhookEndpoint.updateMany({ where: { id: endpointId, enabled: true }, data: { enabled: false, disabledAt: now, disabledReason: reason } });
  return count === 1;
}

/** The endpoint stopped (disabled or deleted): its waiting deliveries end as FAILED. */
export function stopPendingDeliveries(db: DbOrTx, endpointId: string, lastError: string) {
  return db.webhookDelivery.updateMany({ where: { endpointId, status: "PENDING" }, data: { status: "FAILED", nextAttemptAt: null, lastError } });
}

export function findEndpointSummary(db: DbOrTx, endpointId: string) {
  return db.webhookEndpoint.findUnique({ where: { id: endpointId }, select: { id: true, organizationId: true, url: true, description: true } });
}

/** What the connection.needs_reconnect event names. */
export function findConnectionForEvent(db: DbOrTx, organizationId: string, connectionId: string) {
  return db.connection.findFirst({ where: { id: connectionId, organizationId }, select: { id: true, provider: true, accountName: true } });
}

/**
 * Locks the endpoint row for the rest of the transaction. Every transaction recording an attempt
 * takes it first, so attempts of one endpoint (sent in parallel) never lock each other's delivery
 * rows in opposite orders (a disable stops the endpoint's other pending deliveries).
 */
export async function lockEndpoint(tx: DbOrTx, endpointId: string) {
  await tx.$queryRaw`SELECT id FROM webhook_endpoints WHERE id = ${endpointId} FOR UPDATE`;
}

/** Deletes up to `limit` settled (SUCCEEDED or FAILED) deliveries created before `before`; returns how many. */
export function deleteSettledDeliveriesBefore(db: Db, before: Date, limit: number) {
  return db.$executeRaw`
    DELETE FROM webhook_deliveries
     WHERE id IN (
       SELECT id FROM webhook_deliveries
        WHERE status <> 'PENDING' AND created_at < ${before}
        LIMIT ${limit})`;
}
