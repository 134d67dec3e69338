/**
 * The steps of the "backfill-listing-sales" background function (sent at the end of a sync): plan
 * which days lack sales, read each day's orders through the connection's paced, refreshing
 * ConnectorCaller, then move sales_since back. Rules and the no-double-counting argument are in
 * sales-history.ts. Each step is idempotent and resumes from what is stored.
 */
import { getMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import { ConnectorError, type MarketplaceProvider } from "~/server/connectors/marketplace/types";
import { findConnectionSecrets, findSync } from "~/server/repositories/connections";
import { markSalesKnownSince, salesHistoryGap, writeBackfilledSales } from "~/server/repositories/listings";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { pace } from "../connectors/pacing";
import { backfillDays, SALES_BACKFILL_DAYS, startOfUtcDay } from "./sales-history";
import { ConnectorCaller, ParkRun, StopSync } from "../connectors/caller";
import { RawArchiveRecorder } from "../archive/raw-archive";

const DAY_MS = 86_400_000;

export type SalesBackfillPlan =
  | { kind: "skip"; reason: "inactive" | "unsupported" | "not_full_sync" | "nothing_to_backfill" }
  | { kind: "plan"; from: string; days: string[]; existedAt: string; listings: number };

export type SalesBackfillDay =
  | { kind: "written"; rows: number }
  | { kind: "wait"; waitMs: number }
  | { kind: "stopped"; reason: "needs_reconnect" | "disconnected" | "refused" };

/**
 * Which days to read. Only after a completed full sync (a connection's first sync, or a resync a
 * person asked for): the daily reconciliation does not backfill the few listings it discovers,
 * because reading a month of a seller's orders every day for them would cost more than it brings —
 * those keep growth-based sales from their first sync.
 */
export async function planSalesBackfill(ctx: JobTenantCtx, input: { connectionId: string }, now = new Date()): Promise<SalesBackfillPlan> {
  const connection = await findConnectionSecrets(ctx.db, ctx.organizationId, input.connectionId);
  if (!connection || connection.status !== "ACTIVE") return { kind: "skip", reason: "inactive" };
  const connector = getMarketplaceConnector(connection.provider as MarketplaceProvider);
  if (!connector.getDailySales) return { kind: "skip", reason: "unsupported" };
  const sync = await findSync(ctx.db, ctx.organizationId, input.connectionId);
  if (!sync || sync.mode !== "full" || sync.state !== "COMPLETED") return { kind: "skip", reason: "not_full_sync" };

  const today = startOfUtcDay(now);
  const from = new Date(today.getTime() - SALES_BACKFILL_DAYS * DAY_MS);
  const gap = await salesHistoryGap(ctx.db, ctx.organizationId, { connectionId: input.connectionId, from, existedAt: now });
  // Never today: its orders are still coming in, and the sync counts today's growth.
  const days = gap.listings > 0 ? backfillDays(from, gap.latestSince, new Date(today.getTime() - DAY_MS)) : [];
  if (days.length === 0) return { kind: "skip", reason: "nothing_to_backfill" };
  ctx.log.info({ connectionId: input.connectionId, listings: gap.listings, days: days.length }, "sales backfill planned");
  return { kind: "plan", from: days[0]!, days, existedAt: now.toISOString(), listings: gap.listings };
}

/** One UTC day of orders → that day's sales of the planned listings. */
export async function backfillSalesDay(ctx: JobTenantCtx, input: { connectionId: string; day: string; existedAt: string }): Promise<SalesBackfillDay> {
  const connection = await findConnectionSecrets(ctx.db, ctx.organizationId, input.connectionId);
  if (!connection || connection.status === "DISCONNECTED") return { kind: "stopped", reason: "disconnected" };
  const blockedFor = (connection.blockedUntil?.getTime() ?? 0) - Date.now();
  if (blockedFor > 0) return { kind: "wait", waitMs: blockedFor };
  const provider = connection.provider as MarketplaceProvider;
  const connector = getMarketplaceConnector(provider);
  if (!connector.getDailySales) return { kind: "written", rows: 0 };
  const caller = new ConnectorCaller(ctx, input.connectionId, provider, connector.isSandbox);
  const start = new Date(`${input.day}T00:00:00.000Z`);
  const end = new Date(start.getTime() + DAY_MS - 1);
  try {
    // A day may take several pages: each request is paced, not only the first.
    const archive = new RawArchiveRecorder(ctx, { kind: "sales", provider, connectionId: input.connectionId });
    const sales = await archive.fetch("getDailySales", { day: input.day }, () =>
      caller.call((creds) => connector.getDailySales!(creds, start, end, { beforeRequest: () => pace(provider, connector.isSandbox) })),
    );
    const rows = await writeBackfilledSales(ctx.db, ctx.organizationId, { connectionId: input.connectionId, existedAt: new Date(input.existedAt) }, sales);
    await archive.flush();
    return { kind: "written", rows };
  } catch (error) {
    if (error instanceof ParkRun) return { kind: "wait", waitMs: error.waitMs };
    if (error instanceof StopSync) return { kind: "stopped", reason: error.reason };
    if (error instanceof ConnectorError && (error.kind === "refused" || error.kind === "not_found")) {
      // E.g. the app lacks the orders permission: the listings keep growth-based sales.
      ctx.log.warn({ connectionId: input.connectionId, code: error.details.code, status: error.details.status }, "sales backfill refused by the marketplace");
      return { kind: "stopped", reason: "refused" };
    }
    throw error; // transient: the runner retries the step
  }
}

/** Every day was written: the planned listings' sales are known from `from` on. */
export async function finishSalesBackfill(ctx: JobTenantCtx, input: { connectionId: string; from: string; existedAt: string }) {
  const listings = await markSalesKnownSince(ctx.db, ctx.organizationId, {
    connectionId: input.connectionId,
    from: new Date(`${input.from}T00:00:00.000Z`),
    existedAt: new Date(input.existedAt),
  });
  ctx.log.info({ connectionId: input.connectionId, listings, from: input.from }, "sales backfill finished");
  return { listings };
}
