/**
 * Sending deliveries. A claim (repositories/webhooks.claimDueDeliveries) counts the attempt and
 * leases the row; `sendClaimed` POSTs the stored envelope signed with the endpoint's secret and
 * records the outcome: 2xx → SUCCEEDED; anything else → the next attempt after the next delay of
 * WEBHOOK_RETRY_DELAYS_S (+ up to 10 % jitter), or FAILED after the last one. An endpoint's
 * failing streak starts at its first failure and ends at any success; a streak older than
 * WEBHOOK_DISABLE_AFTER_HOURS disables the endpoint, stops its pending deliveries and tells the
 * organization's owners and managers.
 */
import { lookup } from "node:dns/promises";

import { env } from "~/env";
import { db as rootDb, type Db } from "~/server/db";
import { decrypt } from "~/server/lib/secrets";
import { logger } from "~/server/lib/logger";
import {
  claimDueDeliveries,
  clearEndpointFailing,
  deleteSettledDeliveriesBefore,
  developerManagerIds,
  disableEndpoint,
  findDeliveryForSend,
  findEndpointSummary,
  lockEndpoint,
  markEndpointFailing,
  recordAttempt,
  stopPendingDeliveries,
} from "~/server/repositories/webhooks";
import { audit } from "../../audit";
import { notify } from "../../notifications/notify";
import { cleanError, nextAttemptAfter, parseRetryDelays } from "./retry";
import { signPayload } from "./signing";
import { checkWebhookTarget, type Resolver } from "./url-guard";

export const USER_AGENT = "SuperSeller-Webhooks/1";
/** Deliveries sent at once by one worker. */
const PARALLEL_SENDS = 10;
export const DISABLED_REASON_FAILING = "failing";

/**
 * Whether the production URL rules apply (https only, no private or loopback addresses):
 * in production, unless WEBHOOK_ALLOW_PRIVATE_URLS is set (the e2e tests' local receiver).
 */
export function strictWebhookUrls() {
  return env.NODE_ENV === "production" && !env.WEBHOOK_ALLOW_PRIVATE_URLS;
}

export function retryDelaysS(raw = env.WEBHOOK_RETRY_DELAYS_S): number[] {
  return parseRetryDelays(raw);
}

export type SendOptions = {
  now?: Date;
  fetch?: typeof fetch;
  timeoutMs?: number;
  production?: boolean;
  resolve?: Resolver;
  random?: () => number;
};

const dnsResolve: Resolver = async (host) => (await lookup(host, { all: true })).map((a) => a.address);

type Outcome = { ok: true; status: number; latencyMs: number } | { ok: false; status: number | null; latencyMs: number | null; error: string };

async function post(url: string, headers: Record<string, string>, body: string, opts: Required<Pick<SendOptions, "fetch" | "timeoutMs" | "production" | "resolve">>): Promise<Outcome> {
  const refusal = await checkWebhookTarget(url, { production: opts.production, resolve: opts.resolve });
  if (refusal) return { ok: false, status: null, latencyMs: null, error: `Refused to send: ${refusal}` };
  const started = performance.now();
  try {
    // Redirects are not followed: a 3xx is a failure (a redirect could point anywhere).
    const response = await opts.fetch(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(opts.timeoutMs) });
    const latencyMs = Math.round(performance.now() - started);
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, status: response.status, latencyMs };
    }
    const text = await response.text().catch(() => "");
    return { ok: false, status: response.status, latencyMs, error: `HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ""}` };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const name = error instanceof Error ? error.name : "";
    if (name === "TimeoutError" || name === "AbortError") return { ok: false, status: null, latencyMs, error: `Timed out after ${opts.timeoutMs} ms` };
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { ok: false, status: null, latencyMs, error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

export type SendResult = { deliveryId: string; status: "SUCCEEDED" | "PENDING" | "FAILED" | "SKIPPED"; responseCode: number | null; endpointDisabled?: boolean };

/** Sends one claimed delivery and records the outcome. */
export async function sendClaimed(db: Db, claimed: { id: string; attempts: number }, options: SendOptions = {}): Promise<SendResult> {
  const now = options.now ?? new Date();
  const row = await findDeliveryForSend(db, claimed.id);
  if (!row || row.status !== "PENDING" || row.attempts !== claimed.attempts) return { deliveryId: claimed.id, status: "SKIPPED", responseCode: null };
  const body = JSON.stringify(row.payload);
  const timestamp = Math.floor(now.getTime() / 1000);
  let secret: string | null = null;
  try {
    secret = decrypt(row.endpoint.secretEnc);
  } catch {
    // A secret encrypted with a key no longer in the ring: an attempt that fails (never unsigned).
  }
  const outcome: Outcome = secret
    ? await post(
        row.endpoint.url,
        {
          "content-type": "application/json",
          "user-agent": USER_AGENT,
          "x-superseller-event": row.event,
          "x-superseller-delivery": row.id,
          "x-superseller-event-id": row.eventId,
          "x-superseller-timestamp": String(timestamp),
          "x-superseller-signature": signPayload(secret, timestamp, body),
        },
        body,
        {
          fetch: options.fetch ?? fetch,
          timeoutMs: options.timeoutMs ?? env.WEBHOOK_TIMEOUT_MS,
          production: options.production ?? strictWebhookUrls(),
          resolve: options.resolve ?? dnsResolve,
        },
      )
    : { ok: false, status: null, latencyMs: null, error: "The endpoint's signing secret could not be read; rotate the secret" };
  const log = logger.child({ component: "webhooks", organizationId: row.organizationId, deliveryId: row.id, endpointId: row.endpointId });

  if (outcome.ok) {
    await db.$transaction(async (tx) => {
      await lockEndpoint(tx, row.endpointId);
      await recordAttempt(tx, row.id, row.attempts, { status: "SUCCEEDED", responseCode: outcome.status, latencyMs: outcome.latencyMs, lastError: null, nextAttemptAt: null, deliveredAt: new Date() });
      await clearEndpointFailing(tx, row.endpointId);
    });
    log.info({ status: outcome.status, latencyMs: outcome.latencyMs }, "webhook delivered");
    return { deliveryId: row.id, status: "SUCCEEDED", responseCode: outcome.status };
  }

  const next = nextAttemptAfter(row.attempts, now, retryDelaysS(), (options.random ?? Math.random)());
  const error = cleanError(outcome.error);
  const result = await db.$transaction(async (tx) => {
    await lockEndpoint(tx, row.endpointId);
    await recordAttempt(tx, row.id, row.attempts, {
      status: next ? "PENDING" : "FAILED",
      responseCode: outcome.status,
      latencyMs: outcome.latencyMs,
      lastError: error,
      nextAttemptAt: next,
    });
    const since = await markEndpointFailing(tx, row.endpointId, now);
    const limitMs = env.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000;
    let endpointDisabled = false;
    if (now.getTime() - since.getTime() >= limitMs && (await disableEndpoint(tx, row.endpointId, now, DISABLED_REASON_FAILING))) {
      endpointDisabled = true;
      await stopPendingDeliveries(tx, row.endpointId, "Endpoint disabled after failing for too long");
      const endpoint = await findEndpointSummary(tx, row.endpointId);
      await audit(tx, { organizationId: row.organizationId, userId: null }, "webhook.endpointDisabled", { type: "webhookEndpoint", id: row.endpointId }, { reason: DISABLED_REASON_FAILING, failingSince: since.toISOString() });
      for (const userId of await developerManagerIds(tx, row.organizationId)) {
        await notify(tx, {
          organizationId: row.organizationId,
          userId,
          kind: "webhooks.endpointDisabled",
          params: { endpointId: row.endpointId, url: endpoint?.url ?? "", hours: env.WEBHOOK_DISABLE_AFTER_HOURS },
          link: `/settings/webhooks/${row.endpointId}`,
        }, now);
      }
    }
    return { endpointDisabled };
  });
  log.warn({ status: outcome.status, attempts: row.attempts, next, endpointDisabled: result.endpointDisabled }, "webhook delivery failed");
  return { deliveryId: row.id, status: next && !result.endpointDisabled ? "PENDING" : "FAILED", responseCode: outcome.status, endpointDisabled: result.endpointDisabled };
}

export type DeliverOptions = SendOptions & { limit?: number; organizationId?: string | null; eventId?: string | null; deliveryIds?: string[] | null };

/**
 * Claims due deliveries (narrowed as asked) and sends them, a few at a time. The lease outlasts a
 * send's timeout, so another worker never sends the same delivery while this one is at it.
 */
export async function deliverDue(db: Db = rootDb, options: DeliverOptions = {}) {
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? env.WEBHOOK_TIMEOUT_MS;
  const limit = options.limit ?? 50;
  const claimed = await claimDueDeliveries(db, {
    now,
    leaseMs: timeoutMs * Math.ceil(limit / PARALLEL_SENDS) + 60_000,
    limit,
    organizationId: options.organizationId,
    eventId: options.eventId,
    deliveryIds: options.deliveryIds,
  });
  const results: SendResult[] = [];
  for (let i = 0; i < claimed.length; i += PARALLEL_SENDS) {
    const batch = claimed.slice(i, i + PARALLEL_SENDS).map((c) =>
      sendClaimed(db, c, { ...options, now, timeoutMs }).catch((error: unknown): SendResult => {
        // One row's trouble (a database error) must not stop the others: this one is tried again when its lease ends.
        logger.error({ component: "webhooks", deliveryId: c.id, err: error instanceof Error ? error.message : String(error) }, "webhook delivery attempt could not be recorded");
        return { deliveryId: c.id, status: "SKIPPED", responseCode: null };
      }),
    );
    results.push(...(await Promise.all(batch)));
  }
  return { claimed: claimed.length, results };
}

/** How long the delivery log keeps settled deliveries. */
export const DELIVERY_RETENTION_DAYS = 30;

/** One batch of the daily clean-up of old settled deliveries; `more` when a full batch went. */
export async function pruneDeliveries(db: Db = rootDb, options: { now?: Date; limit?: number } = {}) {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 5_000;
  const deleted = await deleteSettledDeliveriesBefore(db, new Date(now.getTime() - DELIVERY_RETENTION_DAYS * 86_400_000), limit);
  return { deleted, more: deleted >= limit };
}
