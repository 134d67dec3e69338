import { cron } from "inngest";

import { db } from "~/server/db";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { refreshConnectionToken } from "~/server/services/connectors/tokens";
import { connectionsToReconcile, connectionsToRefresh } from "~/server/services/listings/schedule";
import { startSync, syncItem, syncNextPage } from "~/server/services/listings/sync";
import { retryWhenCircuitOpens } from "../circuit";
import { inngest } from "../client";
import { runPriority } from "../priority";
import {
  connectionTokenRefreshRequested,
  listingChanged,
  listingsSyncContinued,
  listingsSyncRequested,
  marketSignalsRequested,
  salesBackfillRequested,
} from "../events";

/**
 * One queue per seller account: syncs, item updates and token refreshes of a connection never run
 * at the same time (the same key and scope on every function below), while different accounts
 * proceed in parallel.
 */
const PER_CONNECTION = { limit: 1, key: "event.data.connectionId", scope: "account" } as const;

/** Pages per run; a longer catalog continues in a new run (Inngest caps steps per run). */
export const PAGES_PER_RUN = 150;

export const syncListings = inngest.createFunction(
  {
    id: "sync-listings",
    name: "Sync a connection's listings",
    triggers: [listingsSyncRequested, listingsSyncContinued],
    concurrency: PER_CONNECTION,
    priority: runPriority.manualElseBulk,
    retries: 8,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const { connectionId } = event.data;
    let generation: number;
    if (event.name === listingsSyncRequested.name) {
      const mode = (event.data as { mode: "full" | "reconcile" }).mode;
      const started = await step.run("start", () => startSync(ctx, { connectionId, mode }));
      if (!started.started) return { skipped: true };
      generation = started.generation;
    } else {
      generation = (event.data as { generation: number }).generation;
    }
    for (let i = 0; i < PAGES_PER_RUN; i++) {
      const result = await step.run(`page-${i}`, () => syncNextPage(ctx, { connectionId, generation }));
      if (result.kind === "wait") {
        // The marketplace asked for a long pause: park the run instead of holding a worker.
        await step.sleep(`rate-limit-${i}`, Math.max(1000, result.waitMs));
        continue;
      }
      if (result.done) {
        if (result.kind === "done") {
          // Fresh listings call for fresh market signals and scores (that function recomputes).
          const { organizationId, userId, correlationId } = event.data;
          await step.sendEvent("market-signals", marketSignalsRequested.create({ organizationId, userId, correlationId, connectionId }));
          // The last month of sales from the orders (that function acts after full syncs only).
          await step.sendEvent("sales-backfill", salesBackfillRequested.create({ organizationId, userId, correlationId, connectionId }));
        }
        return result;
      }
    }
    const { organizationId, userId, correlationId, trigger } = event.data;
    await step.sendEvent(
      "continue",
      listingsSyncContinued.create({ organizationId, userId, correlationId, trigger, connectionId, generation }, { id: `sync-${connectionId}-${generation}-${Date.now()}` }),
    );
    return { continued: true };
  },
);

export const syncListingItem = inngest.createFunction(
  {
    id: "sync-listing-item",
    name: "Update a listing from a notification",
    triggers: [listingChanged],
    concurrency: PER_CONNECTION,
    retries: 5,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    const input = { connectionId: event.data.connectionId, externalItemId: event.data.externalItemId };
    let result = await step.run("sync", () => syncItem(ctx, input));
    if (result.reason === "wait") {
      await step.sleep("rate-limit", Math.max(1000, result.waitMs ?? 1000));
      result = await step.run("sync-again", () => syncItem(ctx, input));
    }
    const listingId = "listingId" in result ? result.listingId : null;
    if (listingId) {
      // This listing's market signals (when a day old) and then its score.
      const { organizationId, userId, correlationId, connectionId } = event.data;
      await step.sendEvent(
        "market-signals",
        marketSignalsRequested.create({ organizationId, userId, correlationId, connectionId, listingIds: [listingId] }),
      );
    }
    return result;
  },
);

export const refreshConnectionTokenFn = inngest.createFunction(
  {
    id: "refresh-connection-token",
    name: "Refresh a connection's access token",
    triggers: [connectionTokenRefreshRequested],
    concurrency: PER_CONNECTION,
    retries: 6,
  },
  async ({ event, step }) => {
    const ctx = jobTenantCtx(db, event.data);
    // Not forced: a token renewed meanwhile (by a sync's own refresh) is left alone.
    const result = await step.run("refresh", () => retryWhenCircuitOpens(() => refreshConnectionToken(ctx, event.data.connectionId)));
    return { ok: result.ok, reason: result.ok ? null : result.reason };
  },
);

/** Every 15 minutes: renew tokens that expire within the next 45 minutes. */
export const refreshExpiringTokens = inngest.createFunction(
  { id: "refresh-expiring-tokens", name: "Refresh expiring marketplace tokens", triggers: [cron("*/15 * * * *")], concurrency: { limit: 1 }, retries: 2 },
  async ({ step }) => {
    const targets = await step.run("find", () => connectionsToRefresh(db, 45 * 60_000));
    if (targets.length === 0) return { sent: 0 };
    const slot = Math.floor(Date.now() / (15 * 60_000));
    await step.sendEvent(
      "refresh",
      targets.map((c) => connectionTokenRefreshRequested.create({ organizationId: c.organizationId, connectionId: c.id }, { id: `refresh-${c.id}-${slot}` })),
    );
    return { sent: targets.length };
  },
);

/**
 * Daily at 05:00 UTC (02:00 in São Paulo): a reconciliation pass over every active connection.
 * It catches what notifications missed and writes the day's metric snapshot of every listing
 * (visits of the last days, sales since yesterday, price, stock).
 */
export const reconcileListingsDaily = inngest.createFunction(
  { id: "reconcile-listings-daily", name: "Daily listings reconciliation and metrics", triggers: [cron("0 5 * * *")], concurrency: { limit: 1 }, priority: runPriority.bulk, retries: 2 },
  async ({ step }) => {
    const targets = await step.run("find", () => connectionsToReconcile(db));
    if (targets.length === 0) return { sent: 0 };
    const day = new Date().toISOString().slice(0, 10);
    await step.sendEvent(
      "reconcile",
      targets.map((c) => listingsSyncRequested.create({ organizationId: c.organizationId, connectionId: c.id, mode: "reconcile" }, { id: `reconcile-${c.id}-${day}` })),
    );
    return { sent: targets.length };
  },
);

export const listingFunctions = [syncListings, syncListingItem, refreshConnectionTokenFn, refreshExpiringTokens, reconcileListingsDaily];
