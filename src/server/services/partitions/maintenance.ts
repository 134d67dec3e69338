import type { Db } from "~/server/db";
import { logger } from "~/server/lib/logger";
import {
  defaultPartitionMonths,
  ensureMonthPartition,
  isMonth,
  METRIC_TABLES,
  type MetricTable,
} from "~/server/repositories/partitions";

/** Months created ahead of the current one, so a month's first snapshot never lands in DEFAULT. */
export const PARTITION_MONTHS_AHEAD = 3;
/**
 * At most this many months taken out of DEFAULT per table and run: a burst of rows with absurd
 * dates must not create hundreds of tables in one go. What is left is reported and logged.
 */
export const MAX_MONTHS_FROM_DEFAULT = 24;

export type TableMaintenance = {
  /** Months ("YYYY-MM") whose partition this run created. */
  created: string[];
  /** Rows moved from DEFAULT into their new month partition. */
  moved: number;
  /** Rows still in DEFAULT after the run (months beyond MAX_MONTHS_FROM_DEFAULT). */
  leftInDefault: number;
};

export type PartitionMaintenance = Record<MetricTable, TableMaintenance>;

/** "YYYY-MM" of the UTC month `offset` months after `now`'s. */
export function monthOf(now: Date, offset = 0): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/**
 * Makes sure every metric table has partitions for the current month and the next
 * PARTITION_MONTHS_AHEAD, and gives every month found in the DEFAULT partition its own partition
 * (moving the rows). Idempotent: a second run creates and moves nothing.
 */
export async function maintainMetricPartitions(db: Db, now: Date = new Date()): Promise<PartitionMaintenance> {
  const ahead = Array.from({ length: PARTITION_MONTHS_AHEAD + 1 }, (_, i) => monthOf(now, i));
  const result = {} as PartitionMaintenance;
  for (const table of METRIC_TABLES) {
    const stray = await defaultPartitionMonths(db, table);
    const months = [...new Set([...ahead, ...stray.filter((s) => isMonth(s.month)).slice(0, MAX_MONTHS_FROM_DEFAULT).map((s) => s.month)])].sort();
    const summary: TableMaintenance = { created: [], moved: 0, leftInDefault: 0 };
    for (const month of months) {
      const { created, moved } = await ensureMonthPartition(db, table, month);
      if (created) summary.created.push(month);
      summary.moved += moved;
    }
    summary.leftInDefault = (await defaultPartitionMonths(db, table)).reduce((n, s) => n + s.rows, 0);
    if (summary.moved > 0 || summary.leftInDefault > 0) {
      logger.warn({ table, moved: summary.moved, leftInDefault: summary.leftInDefault }, "metric snapshot rows were in the DEFAULT partition");
    }
    result[table] = summary;
  }
  return result;
}
