/**
 * What monthly partitions buy the health score window: a year of daily snapshots for 10 000
 * listings (3.65 million rows), then the 30-day sums `metricSums` reads, on the partitioned table
 * (pruned to the window's months) and on a plain copy of the same rows (what the table was before
 * the partitioning migration), same SQL apart from the table name. Also the real `metricSums`.
 */
import { it } from "vitest";

import { metricSums } from "~/server/repositories/scores";
import { db } from "../tests/integration/helpers/fixtures";
import { record, summarize } from "./helpers";

const LISTINGS = Number(process.env.BENCH_PARTITION_LISTINGS ?? 10_000);
const DAYS = 365;
const RUNS = 5;

it(`sums a 30-day window out of a year of snapshots of ${LISTINGS} listings`, { timeout: 1_800_000 }, async () => {
  const org = await db.organization.create({ data: { name: "Partitions bench", slug: `partitions-bench-${Date.now()}` } });
  const connection = await db.connection.create({
    data: { organizationId: org.id, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: "partitions-bench" },
  });
  const seedStarted = performance.now();
  await db.$executeRaw`
    INSERT INTO listings (id, organization_id, connection_id, provider, external_id, title, price_cents, visits_since, sales_since, created_at, updated_at)
    SELECT 'pb' || g, ${org.id}, ${connection.id}, 'MERCADOLIVRE', 'MLB' || g, 'Produto ' || g, 1000,
           (now() AT TIME ZONE 'UTC')::date - ${DAYS}::int, (now() AT TIME ZONE 'UTC')::date - ${DAYS}::int, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM generate_series(1, ${LISTINGS}) AS g`;
  await db.$executeRaw`
    INSERT INTO listing_metric_snapshots (id, organization_id, listing_id, date, visits, sales, price_cents, stock, created_at)
    SELECT 'pbs' || g || '-' || d, ${org.id}, 'pb' || g, (now() AT TIME ZONE 'UTC')::date - d,
           (g * 7 + d * 3) % 60, CASE WHEN (g + d) % 9 = 0 THEN 1 ELSE 0 END, 1000, 10, now() AT TIME ZONE 'UTC'
    FROM generate_series(1, ${LISTINGS}) AS g, generate_series(0, ${DAYS - 1}) AS d`;
  // The same rows in an ordinary table with the old keys: the table before the migration.
  await db.$executeRawUnsafe(`DROP TABLE IF EXISTS bench_plain_snapshots`);
  await db.$executeRaw`CREATE TABLE bench_plain_snapshots AS SELECT * FROM listing_metric_snapshots WHERE organization_id = ${org.id}`;
  await db.$executeRawUnsafe(`ALTER TABLE bench_plain_snapshots ADD PRIMARY KEY (id)`);
  await db.$executeRawUnsafe(`CREATE UNIQUE INDEX ON bench_plain_snapshots (organization_id, listing_id, date)`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE listing_metric_snapshots`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE bench_plain_snapshots`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE listings`);
  const seedMs = Math.round(performance.now() - seedStarted);

  const until = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00.000Z");
  const since = new Date(until.getTime() - 29 * 86_400_000);
  const windowSql = (table: string) =>
    `SELECT listing_id, sum(visits)::int AS v, sum(sales)::int AS s FROM ${table}
      WHERE organization_id = $1 AND date >= $2::date AND date <= $3::date GROUP BY listing_id`;
  const params = [org.id, since.toISOString().slice(0, 10), until.toISOString().slice(0, 10)];

  const sample = async (fn: () => Promise<unknown>) => {
    await fn();
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await fn();
      ms.push(performance.now() - t0);
    }
    return summarize(ms);
  };
  const partitioned = await sample(() => db.$queryRawUnsafe(windowSql("listing_metric_snapshots"), ...params));
  const plain = await sample(() => db.$queryRawUnsafe(windowSql("bench_plain_snapshots"), ...params));
  const realMetricSums = await sample(() => metricSums(db, org.id, { since, until }));

  const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (FORMAT JSON) ${windowSql("listing_metric_snapshots")}`, ...params);
  const scanned = [...JSON.stringify(plan[0]!["QUERY PLAN"]).matchAll(/"Relation Name":"(listing_metric_snapshots_[^"]+)"/g)].map((m) => m[1]);
  await db.$executeRawUnsafe(`DROP TABLE bench_plain_snapshots`);

  record("partitions", {
    listings: LISTINGS,
    snapshotDays: DAYS,
    rows: LISTINGS * DAYS,
    seedMs,
    window30Days: { partitionedMs: partitioned, plainTableMs: plain, partitionsScanned: [...new Set(scanned)].sort() },
    metricSumsMs: realMetricSums,
  });
});
