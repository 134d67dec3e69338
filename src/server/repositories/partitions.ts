import type { Db } from "~/server/db";

/**
 * Monthly partitions of the metric snapshot tables (docs/partitioning.md). Maintenance crosses
 * organizations by nature (a partition holds every tenant's rows of a month), so nothing here
 * takes an organizationId. DDL cannot take bind parameters: every identifier and bound is built
 * from METRIC_TABLES and a month checked against MONTH, never from input.
 */
export const METRIC_TABLES = ["listing_metric_snapshots", "content_metric_snapshots", "social_account_metric_snapshots"] as const;
export type MetricTable = (typeof METRIC_TABLES)[number];

/** "YYYY-MM", years 1000–9999 (a 4-digit year keeps partition names and date literals simple). */
const MONTH = /^[1-9]\d{3}-(0[1-9]|1[0-2])$/;

export function isMonth(value: string) {
  return MONTH.test(value);
}

function checked(table: MetricTable, month?: string) {
  if (!METRIC_TABLES.includes(table)) throw new Error(`not a partitioned metric table: ${String(table)}`);
  if (month !== undefined && !MONTH.test(month)) throw new Error(`not a month (YYYY-MM): ${month}`);
}

export function partitionName(table: MetricTable, month: string) {
  checked(table, month);
  return `${table}_p${month.replace("-", "_")}`;
}

export function defaultPartitionName(table: MetricTable) {
  checked(table);
  return `${table}_default`;
}

/** First day of the month and of the next one, as ISO dates. */
export function monthBounds(month: string): { from: string; to: string } {
  if (!MONTH.test(month)) throw new Error(`not a month (YYYY-MM): ${month}`);
  const [y, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

export type PartitionInfo = { name: string; isDefault: boolean; bound: string };

/** The partitions attached to a table, by name. */
export async function listPartitions(db: Db, table: MetricTable): Promise<PartitionInfo[]> {
  checked(table);
  const rows = await db.$queryRawUnsafe<{ name: string; bound: string }[]>(
    `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass
      ORDER BY c.relname`,
    table,
  );
  return rows.map((r) => ({ name: r.name, bound: r.bound, isDefault: r.bound === "DEFAULT" }));
}

/** Rows per month sitting in the DEFAULT partition (a month without its own partition). */
export async function defaultPartitionMonths(db: Db, table: MetricTable): Promise<{ month: string; rows: number }[]> {
  const rows = await db.$queryRawUnsafe<{ month: string; rows: number }[]>(
    `SELECT to_char(date_trunc('month', "date"::timestamp), 'YYYY-MM') AS month, count(*)::int AS rows
       FROM "${defaultPartitionName(table)}" GROUP BY 1 ORDER BY 1`,
  );
  return rows;
}

/**
 * Creates the month's partition unless it exists. Rows of that month already in the DEFAULT
 * partition would make CREATE … PARTITION OF fail, so they are taken out first and put back
 * through the parent (landing in the new partition), all in one transaction. The parent is locked
 * for that short moment: an insert racing in between would otherwise land in DEFAULT again.
 * Two runs at once serialize on an advisory lock and the second finds the partition.
 */
export async function ensureMonthPartition(db: Db, table: MetricTable, month: string): Promise<{ created: boolean; moved: number }> {
  const name = partitionName(table, month);
  const { from, to } = monthBounds(month);
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext($1))`, `metric-partitions:${table}`);
    const exists = await tx.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = $1::regclass AND c.relname = $2`,
      table,
      name,
    );
    if ((exists[0]?.n ?? 0) > 0) return { created: false, moved: 0 };

    // A lock request waiting behind a long read would queue every later query behind it: give up
    // after a few seconds instead (the function retries).
    await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = '5s'`);
    await tx.$executeRawUnsafe(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
    await tx.$executeRawUnsafe(`CREATE TEMP TABLE metric_partition_move (LIKE "${table}") ON COMMIT DROP`);
    const moved = await tx.$executeRawUnsafe(
      `WITH taken AS (DELETE FROM "${defaultPartitionName(table)}" WHERE "date" >= '${from}'::date AND "date" < '${to}'::date RETURNING *)
       INSERT INTO metric_partition_move SELECT * FROM taken`,
    );
    await tx.$executeRawUnsafe(`CREATE TABLE "${name}" PARTITION OF "${table}" FOR VALUES FROM ('${from}') TO ('${to}')`);
    if (moved > 0) await tx.$executeRawUnsafe(`INSERT INTO "${table}" SELECT * FROM metric_partition_move`);
    return { created: true, moved };
  }, { maxWait: 10_000, timeout: 60_000 });
}
