/**
 * Listing ingestion: the full sync after a connect (also the daily reconciliation) and the
 * single-item sync behind notifications. Background functions call these; each call is one step,
 * idempotent, and resumes from what is stored — never from the step's memory.
 */
import { getMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import {
  ConnectorError,
  type DailyVisits,
  type MarketplaceConnector,
  type MarketplaceItem,
  type MarketplaceProvider,
} from "~/server/connectors/marketplace/types";
import { checkEntitlement, connectionWithinPlan, OVER_PLAN_TEXT } from "~/server/billing/entitlements";
import { monthStartUtc } from "~/server/billing/plans";
import { findConnection, findConnectionSecrets, findSync, resetSync, updateConnection, updateSync } from "~/server/repositories/connections";
import { countListingsSyncedSince, storedListingExternalIds } from "~/server/repositories/entitlements";
import { upsertDailyVisits, upsertIngestedItems } from "~/server/repositories/listings";
import type { DbTx } from "~/server/db";
import { RawArchiveRecorder } from "../archive/raw-archive";
import { ConnectorCaller, ParkRun, StopSync } from "../connectors/caller";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { notify } from "../notifications/notify";
import { toIngested, utcDay } from "./ingest-mapping";

export { utcDay };

/**
 * Days of visits fetched on the first sync (the chart's first week) and on the daily passes (ML
 * reports up to 48 h late). Visits cost one request per day per 50 listings, so the first sync
 * keeps this short; the history then grows by a day every day.
 */
export const VISITS_BACKFILL_DAYS = 7;
export const VISITS_RECENT_DAYS = 3;
/** Listings per visits request (Mercado Livre's /items/visits takes up to 50 ids). */
const VISITS_BATCH = 50;

const BATCH: Record<MarketplaceProvider, number> = { MERCADOLIVRE: 20, SHOPEE: 50 };

export type SyncMode = "full" | "reconcile";

function chunked<T>(values: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

export type SyncStepResult =
  | { kind: "progress"; processed: number; total: number | null; done: false }
  | { kind: "done"; processed: number; total: number | null; done: true }
  | { kind: "wait"; waitMs: number; done: false }
  | { kind: "stopped"; reason: "needs_reconnect" | "disconnected" | "superseded" | "refused"; done: true };

/** Starts a new sync generation (from the first page); returns it for the function's steps. */
export async function startSync(ctx: JobTenantCtx, input: { connectionId: string; mode: SyncMode }) {
  const connection = await findConnectionSecrets(ctx.db, ctx.organizationId, input.connectionId);
  if (!connection || connection.status !== "ACTIVE") return { started: false as const, generation: 0 };
  // The daily pass never interrupts a first sync still in progress (it would restart it).
  const current = await findSync(ctx.db, ctx.organizationId, input.connectionId);
  if (input.mode === "reconcile" && current?.state === "RUNNING") return { started: false as const, generation: current.generation };
  // An account beyond the plan's marketplace accounts (after a downgrade) keeps its data, read-only.
  if (!(await connectionWithinPlan(ctx.db, ctx.organizationId, input.connectionId))) {
    if (current) await updateSync(ctx.db, ctx.organizationId, input.connectionId, { state: "FAILED", lastError: OVER_PLAN_TEXT, finishedAt: new Date() });
    await updateConnection(ctx.db, ctx.organizationId, input.connectionId, { lastError: OVER_PLAN_TEXT });
    ctx.log.info({ connectionId: input.connectionId }, "listing sync skipped: account beyond the plan");
    return { started: false as const, generation: current?.generation ?? 0 };
  }
  const sync = await resetSync(ctx.db, ctx.organizationId, input.connectionId, input.mode, new Date());
  ctx.log.info({ connectionId: input.connectionId, mode: input.mode, generation: sync.generation }, "listing sync started");
  return { started: true as const, generation: sync.generation };
}

/**
 * One page of the sync: reads the stored cursor, fetches the next page of ids (storing them and
 * the new cursor before anything else, because a scroll cursor moves on every read), fetches
 * those items and their visits, and upserts them with the progress in one transaction.
 */
export async function syncNextPage(ctx: JobTenantCtx, input: { connectionId: string; generation: number }): Promise<SyncStepResult> {
  const { connectionId } = input;
  const sync = await findSync(ctx.db, ctx.organizationId, connectionId);
  if (!sync || sync.generation !== input.generation || sync.state !== "RUNNING") return { kind: "stopped", reason: "superseded", done: true };
  const connection = await findConnectionSecrets(ctx.db, ctx.organizationId, connectionId);
  if (!connection || connection.status === "DISCONNECTED") return stop(ctx, connectionId, "disconnected");
  const blockedFor = (connection.blockedUntil?.getTime() ?? 0) - Date.now();
  if (blockedFor > 0) return { kind: "wait", waitMs: blockedFor, done: false };

  const provider = connection.provider as MarketplaceProvider;
  const connector = getMarketplaceConnector(provider);
  const caller = new ConnectorCaller(ctx, connectionId, provider, connector.isSandbox);
  const archive = new RawArchiveRecorder(ctx, { kind: "listings", provider, connectionId });
  try {
    let ids = sync.pendingIds;
    let cursor = sync.cursor;
    let total = sync.total;
    if (ids.length === 0) {
      if (sync.pages > 0 && cursor === null) return await finish(ctx, connectionId, sync.processed, total);
      const page = await archive.fetch("listItemIds", { cursor }, () => caller.call((creds) => connector.listItemIds(creds, cursor)));
      ids = page.externalIds;
      cursor = page.nextCursor;
      total = page.total;
      await updateSync(ctx.db, ctx.organizationId, connectionId, { pendingIds: ids, cursor, total });
    }
    // One provider request per call, so each is paced and a 429 retries only that request.
    const fetched: MarketplaceItem[] = [];
    for (const chunk of chunked(ids, BATCH[provider])) {
      fetched.push(...(await archive.fetch("getItems", { externalIds: chunk }, () => caller.call((creds) => connector.getItems(creds, chunk)))));
    }
    const { items } = await withinListingLimit(ctx, connectionId, fetched);
    const now = new Date();
    const today = utcDay(now);
    const days = sync.mode === "full" ? VISITS_BACKFILL_DAYS : VISITS_RECENT_DAYS;
    // Mercado Livre reports each day's visits; Shopee only a running total, whose growth between
    // syncs becomes the day's visits (upsertIngestedItems).
    const externalIds = items.map((i) => i.externalId);
    const visits: DailyVisits[] = [];
    const lifetimeVisits = new Map<string, number>();
    if (connector.visitsReporting === "lifetime") {
      for (const chunk of chunked(externalIds, VISITS_BATCH)) {
        const lifetime = await archive.fetch("getVisits", { externalIds: chunk, from: utcDayString(today), to: utcDayString(today), lifetime: true }, () =>
          caller.call((creds) => connector.getVisits(creds, chunk, today, today)),
        );
        for (const v of lifetime) lifetimeVisits.set(v.externalId, v.visits);
      }
    } else {
      for (let d = 0; d < days && externalIds.length > 0; d++) {
        const day = new Date(today.getTime() - d * 86_400_000);
        for (const chunk of chunked(externalIds, VISITS_BATCH)) {
          visits.push(
            ...(await archive.fetch("getVisits", { externalIds: chunk, from: utcDayString(day), to: utcDayString(day) }, () => caller.call((creds) => connector.getVisits(creds, chunk, day, day)))),
          );
        }
      }
    }
    const processed = sync.processed + ids.length;
    await storeListingsPage(ctx, { connectionId, provider }, { items, visits, lifetimeVisits, now }, (tx) =>
      updateSync(tx, ctx.organizationId, connectionId, { pendingIds: [], processed, pages: { increment: 1 } }).then(() => undefined),
    );
    // After the store: a page retried after a failed store is archived once, by the run that stored it.
    await archive.flush(now);
    if (cursor === null) return await finish(ctx, connectionId, processed, total);
    return { kind: "progress", processed, total, done: false };
  } catch (error) {
    if (error instanceof ParkRun) return { kind: "wait", waitMs: error.waitMs, done: false };
    if (error instanceof StopSync) return stop(ctx, connectionId, error.reason);
    if (error instanceof ConnectorError && error.kind === "refused") {
      await updateSync(ctx.db, ctx.organizationId, connectionId, { state: "FAILED", lastError: error.message.slice(0, 500), finishedAt: new Date() });
      await updateConnection(ctx.db, ctx.organizationId, connectionId, { lastError: error.message.slice(0, 500) });
      return { kind: "stopped", reason: "refused", done: true };
    }
    // Transient (5xx, timeouts) and unknown errors fail the step: the runner retries it with
    // backoff, from the same stored cursor and pending ids.
    await updateSync(ctx.db, ctx.organizationId, connectionId, { lastError: describe(error) }).catch(() => undefined);
    throw error;
  }
}

/** What one sync page fetched: the admitted items, their daily (or lifetime) visits, and when. */
export type FetchedListingsPage = { items: MarketplaceItem[]; visits: DailyVisits[]; lifetimeVisits: Map<string, number>; now: Date };

/**
 * The store step of a page, in one transaction: the sync calls it with what it just fetched, the
 * archive reprocess (services/archive/reprocess.ts) with what the archive kept — the same mapping,
 * the same rows. `alsoInTx` adds the sync's progress update to the same transaction.
 */
export async function storeListingsPage(
  ctx: JobTenantCtx,
  scope: { connectionId: string; provider: MarketplaceProvider },
  page: FetchedListingsPage,
  alsoInTx?: (tx: DbTx) => Promise<void>,
): Promise<Map<string, string>> {
  const { items, visits, lifetimeVisits, now } = page;
  const ingested = items.map((item) => ({ ...toIngested(item), visitsLifetime: lifetimeVisits.get(item.externalId) }));
  return ctx.db.$transaction(
    async (tx) => {
      const listingIds = await upsertIngestedItems(tx, { organizationId: ctx.organizationId, ...scope }, ingested, utcDay(now), now);
      const byExternal = new Map(items.map((i) => [i.externalId, i]));
      await upsertDailyVisits(
        tx,
        ctx.organizationId,
        visits.flatMap((v) => {
          const listingId = listingIds.get(v.externalId);
          const item = byExternal.get(v.externalId);
          return listingId && item ? [{ listingId, date: new Date(`${v.date}T00:00:00.000Z`), visits: v.visits, priceCents: item.priceCents, stock: item.stock }] : [];
        }),
      );
      await alsoInTx?.(tx);
      return listingIds;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}

const utcDayString = (day: Date) => day.toISOString().slice(0, 10);

/**
 * The plan's `listings` limit: items the connection already stores always update; new ones are
 * admitted while the organization is within the limit, in the provider's order. Nothing stored is
 * ever dropped. (Two connections syncing at the same moment may overshoot by one page at most:
 * each page's count is read before its insert.)
 */
export async function withinListingLimit(ctx: JobTenantCtx, connectionId: string, items: MarketplaceItem[]) {
  const stored = await storedListingExternalIds(ctx.db, ctx.organizationId, connectionId, items.map((i) => i.externalId));
  const fresh = items.filter((i) => !stored.has(i.externalId));
  if (fresh.length === 0) return { items, leftOut: 0 };
  const check = await checkEntitlement(ctx.db, ctx.organizationId, "listings", { amount: 0 });
  const room = Math.max(0, check.limit - check.used);
  if (room >= fresh.length) return { items, leftOut: 0 };
  const admitted = new Set(fresh.slice(0, room).map((i) => i.externalId));
  return { items: items.filter((i) => stored.has(i.externalId) || admitted.has(i.externalId)), leftOut: fresh.length - room };
}

/**
 * Tells the organization that a sync left listings out (once per connection per month): how many,
 * the limit, and the plan that lifts it.
 */
async function notifyListingsLeftOut(ctx: JobTenantCtx, connectionId: string, accountName: string | null, leftOut: number, now: Date) {
  const check = await checkEntitlement(ctx.db, ctx.organizationId, "listings", { amount: leftOut, now });
  // Items can also go missing for other reasons (deleted on the marketplace mid-sync): only a full plan left them out.
  if (check.used < check.limit) return;
  const month = monthStartUtc(now).toISOString().slice(0, 7);
  await notify(
    ctx.db,
    {
      organizationId: ctx.organizationId,
      kind: "listings.limitReached",
      params: {
        subject: `${connectionId}:${month}`,
        connectionId,
        account: accountName ?? "",
        skipped: leftOut,
        max: check.limit,
        plan: check.plan.name,
        upgradePlan: check.upgradePlan?.name ?? "none",
        upgradeLimit: check.upgradePlan?.limit ?? 0,
      },
      link: "/settings/billing",
      dedupe: { key: "subject", withinMs: 32 * 86_400_000 },
    },
    now,
  );
  ctx.log.info({ connectionId, leftOut }, "listings left out: plan limit");
}

async function finish(ctx: JobTenantCtx, connectionId: string, processed: number, total: number | null): Promise<SyncStepResult> {
  const now = new Date();
  // Items this generation saw but did not store were left out by the plan's limit: the stored rows
  // say how many (each stored or refreshed one has synced_at from this generation).
  const sync = await findSync(ctx.db, ctx.organizationId, connectionId);
  if (sync?.startedAt) {
    const stored = await countListingsSyncedSince(ctx.db, ctx.organizationId, connectionId, sync.startedAt);
    const leftOut = processed - stored;
    if (leftOut > 0) {
      const connection = await findConnection(ctx.db, ctx.organizationId, connectionId);
      await notifyListingsLeftOut(ctx, connectionId, connection?.accountName ?? null, leftOut, now);
    }
  }
  // The provider's total may move while a sync runs: the finished sync reports what it ingested.
  await ctx.db.$transaction([
    updateSync(ctx.db, ctx.organizationId, connectionId, { state: "COMPLETED", finishedAt: now, lastError: null, total: processed, cursor: null }),
    updateConnection(ctx.db, ctx.organizationId, connectionId, { lastSyncAt: now, lastError: null }),
  ]);
  ctx.log.info({ connectionId, processed, reportedTotal: total }, "listing sync finished");
  return { kind: "done", processed, total: processed, done: true };
}

async function stop(ctx: JobTenantCtx, connectionId: string, reason: "needs_reconnect" | "disconnected"): Promise<SyncStepResult> {
  await updateSync(ctx.db, ctx.organizationId, connectionId, {
    state: "FAILED",
    finishedAt: new Date(),
    lastError: reason === "needs_reconnect" ? "The account must be reconnected before the sync can continue." : "The account was disconnected.",
  });
  return { kind: "stopped", reason, done: true };
}

function describe(error: unknown): string {
  if (error instanceof ConnectorError) return `${error.kind}: ${error.message}`.slice(0, 500);
  return "Unexpected error while syncing; it will be retried.";
}

/** Incremental sync of one item after a notification. Missing on the marketplace → left as is. */
export async function syncItem(ctx: JobTenantCtx, input: { connectionId: string; externalItemId: string }) {
  const connection = await findConnectionSecrets(ctx.db, ctx.organizationId, input.connectionId);
  if (!connection || connection.status !== "ACTIVE") return { updated: false, reason: "inactive" as const };
  if (!(await connectionWithinPlan(ctx.db, ctx.organizationId, input.connectionId))) return { updated: false, reason: "plan_limit" as const };
  const provider = connection.provider as MarketplaceProvider;
  const connector: MarketplaceConnector = getMarketplaceConnector(provider);
  const caller = new ConnectorCaller(ctx, input.connectionId, provider, connector.isSandbox);
  const archive = new RawArchiveRecorder(ctx, { kind: "listings", provider, connectionId: input.connectionId });
  let items: MarketplaceItem[];
  try {
    items = await archive.fetch("getItems", { externalIds: [input.externalItemId] }, () => caller.call((creds) => connector.getItems(creds, [input.externalItemId])));
  } catch (error) {
    if (error instanceof ParkRun) return { updated: false, reason: "wait" as const, waitMs: error.waitMs };
    if (error instanceof StopSync) return { updated: false, reason: error.reason };
    if (error instanceof ConnectorError && error.kind === "not_found") return { updated: false, reason: "not_found" as const };
    throw error;
  }
  if (items.length === 0) return { updated: false, reason: "not_found" as const };
  const admitted = await withinListingLimit(ctx, input.connectionId, items);
  const now = new Date();
  if (admitted.items.length === 0) {
    const card = await findConnection(ctx.db, ctx.organizationId, input.connectionId);
    await notifyListingsLeftOut(ctx, input.connectionId, card?.accountName ?? null, admitted.leftOut, now);
    return { updated: false, reason: "plan_limit" as const };
  }
  const ids = await storeListingsPage(ctx, { connectionId: input.connectionId, provider }, { items: admitted.items, visits: [], lifetimeVisits: new Map(), now });
  await archive.flush(now);
  // The function follows up with this listing's market signals and score.
  return { updated: true, reason: "ok" as const, listingId: ids.get(input.externalItemId) ?? null };
}
