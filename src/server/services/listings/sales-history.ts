/**
 * Sales history. Marketplaces report lifetime sold quantities, so daily sales otherwise start at a
 * listing's first sync (the growth between syncs). Where the connector can read orders
 * (`getDailySales`), the days before that are backfilled from them and `listings.sales_since` —
 * the first day whose daily sales are known — moves back to the start of the backfill.
 *
 * No double counting: only days strictly before a listing's sales_since are written (the first
 * sync's own day keeps its growth-based figure), sales are set rather than added (a rerun writes
 * the same numbers), and once sales_since has moved back a later backfill finds nothing to do.
 *
 * This file has no jobs or app-module dependencies, so the demo seed can call it in-process; the
 * background function's paced steps are in sales-backfill.ts.
 */
import type { DbOrTx } from "~/server/db";
import type { MarketplaceConnector, MarketplaceCredentials } from "~/server/connectors/marketplace/types";
import { markSalesKnownSince, salesHistoryGap, writeBackfilledSales } from "~/server/repositories/listings";

/** Days of sales a first full sync backfills (the Health Score reads 30-day rates). */
export const SALES_BACKFILL_DAYS = 30;

const DAY_MS = 86_400_000;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

/** The UTC days [first, last] of a backfill: none when nothing lacks history. */
export function backfillDays(from: Date, latestSince: Date | null, to: Date): string[] {
  const first = startOfUtcDay(from).getTime();
  // Up to the day before the latest sales_since (earlier days of other listings are filtered per
  // listing when written), and never past `to`.
  const bound = latestSince ? startOfUtcDay(latestSince).getTime() - DAY_MS : Infinity;
  const last = Math.min(bound, startOfUtcDay(to).getTime());
  const days: string[] = [];
  for (let d = first; d <= last; d += DAY_MS) days.push(isoDay(new Date(d)));
  return days;
}

/**
 * Backfills a connection's daily sales over [from, to] (UTC days) in one go and moves sales_since
 * back to `from` for the listings that lacked it. For callers without pacing or steps — the demo
 * seed, with its in-process sandbox connector. Returns how many listings were covered and how
 * many (listing, day) sales figures were written. Connectors without `getDailySales` change nothing.
 */
export async function backfillSalesHistory(
  db: DbOrTx,
  organizationId: string,
  connectionId: string,
  connector: MarketplaceConnector,
  credentials: MarketplaceCredentials,
  range: { from: Date; to: Date },
): Promise<{ listings: number; rows: number }> {
  if (!connector.getDailySales) return { listings: 0, rows: 0 };
  const from = startOfUtcDay(range.from);
  const existedAt = new Date();
  const gap = await salesHistoryGap(db, organizationId, { connectionId, from, existedAt });
  const days = gap.listings > 0 ? backfillDays(from, gap.latestSince, range.to) : [];
  if (days.length === 0) return { listings: 0, rows: 0 };
  const end = new Date(Date.parse(`${days.at(-1)}T00:00:00.000Z`) + DAY_MS - 1);
  const sales = await connector.getDailySales(credentials, from, end);
  const rows = await writeBackfilledSales(db, organizationId, { connectionId, existedAt }, sales);
  const listings = await markSalesKnownSince(db, organizationId, { connectionId, from, existedAt });
  return { listings, rows };
}
