/**
 * The local runner's event API. In local mode the Inngest client's base URL points at
 * LOCAL_EVENT_API_URL and its `fetch` is `localEventFetch`, so the SDK's own `inngest.send()`
 * (validation, middleware, ids) ends here instead of at an Inngest server: each event becomes a
 * durable queue message in PostgreSQL, due at the event's `ts` (a future `ts` delays it).
 */
import { randomUUID } from "node:crypto";

import { db, type DbOrTx } from "~/server/db";
import { enqueueJobs } from "~/server/repositories/jobs";
import { ensureQueueSchema, TASK, type StoredEvent } from "./queue";

/** Never resolved on a network: `.invalid` is reserved (RFC 2606). */
export const LOCAL_EVENT_API_URL = "http://inngest-local.invalid/";
const LOCAL_ORIGIN = new URL(LOCAL_EVENT_API_URL).origin;

type RawEvent = { id?: unknown; name?: unknown; data?: unknown; ts?: unknown; v?: unknown; user?: unknown };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Fills in what the Inngest server would: an id when the sender gave none, and the timestamp. */
export function normalizeEvent(raw: RawEvent, now = Date.now()): StoredEvent {
  if (typeof raw.name !== "string" || raw.name.length === 0) throw new Error("An event needs a name");
  return {
    id: typeof raw.id === "string" && raw.id.length > 0 ? raw.id : randomUUID(),
    name: raw.name,
    data: isObject(raw.data) ? raw.data : {},
    ts: typeof raw.ts === "number" && Number.isFinite(raw.ts) ? raw.ts : now,
    ...(typeof raw.v === "string" ? { v: raw.v } : {}),
    ...(isObject(raw.user) ? { user: raw.user } : {}),
  };
}

/**
 * Stores events as queue messages. A sender-provided `id` is an idempotency key (as with Inngest):
 * sending it again while the first is pending is a no-op, and later on no function runs twice for
 * it (runs are unique per function and event id).
 */
const ENQUEUE_BATCH = 500;

export async function enqueueEvents(events: StoredEvent[], database: DbOrTx = db): Promise<string[]> {
  await ensureQueueSchema();
  // Batches: one round trip per 500 events (a dispatcher may send thousands in one minute).
  for (let i = 0; i < events.length; i += ENQUEUE_BATCH) {
    await enqueueJobs(
      database,
      events.slice(i, i + ENQUEUE_BATCH).map((event) => ({ task: TASK.event, payload: { event }, runAt: new Date(event.ts), dedupeKey: `event:${event.id}` })),
    );
  }
  return events.map((e) => e.id);
}

function urlOf(input: Parameters<typeof fetch>[0]): URL {
  return new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
}

/** A `fetch` for the Inngest client that answers the event API itself. */
export const localEventFetch: typeof fetch = async (input, init) => {
  const url = urlOf(input);
  if (url.origin !== LOCAL_ORIGIN) return fetch(input, init);
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  if (method === "POST" && /^\/e\/[^/]+$/.test(url.pathname)) {
    let events: StoredEvent[];
    try {
      const body: unknown = JSON.parse(typeof init?.body === "string" ? init.body : await new Response(init?.body).text());
      const list = Array.isArray(body) ? body : [body];
      const now = Date.now();
      events = list.map((e) => normalizeEvent(isObject(e) ? e : {}, now));
    } catch (error) {
      return Response.json({ status: 400, error: error instanceof Error ? error.message : "Invalid event payload" }, { status: 400 });
    }
    const ids = await enqueueEvents(events);
    return Response.json({ ids, status: 200 });
  }
  // Signals, realtime, checkpoint and run APIs need an Inngest server.
  return Response.json(
    { status: 501, error: `The local jobs runner does not implement ${method} ${url.pathname}; run an Inngest server for this feature.` },
    { status: 501 },
  );
};
