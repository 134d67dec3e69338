/**
 * Monthly partitions of the metric snapshot tables (docs/partitioning.md) on a real PostgreSQL:
 * what the migration leaves (partitioned tables, month partitions, DEFAULT, keys), that it keeps
 * existing rows on PostgreSQL and on PGlite, the maintenance that creates months ahead and moves
 * rows out of DEFAULT, upserts on the partitioned tables, and partition pruning of the app's own
 * range queries (the SQL Prisma sends, captured and EXPLAINed with the same parameters).
 */
import fs from "node:fs";
import path from "node:path";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PrismaClient } from "~/generated/prisma/client";
import { metricTotals } from "~/server/repositories/actions";
import { accountSnapshotsInRange, upsertAccountSnapshots } from "~/server/repositories/analytics";
import { listMetricSnapshots } from "~/server/repositories/listings";
import { METRIC_TABLES, listPartitions, partitionName } from "~/server/repositories/partitions";
import { metricSums } from "~/server/repositories/scores";
import { maintainMetricPartitions, monthOf, PARTITION_MONTHS_AHEAD } from "~/server/services/partitions/maintenance";
import { createDatabase, dropDatabase, uniqueDatabaseName } from "../../scripts/lib/postgres";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const MIGRATIONS = path.join(import.meta.dirname, "../../prisma/migrations");
const MINE = "20261127060000_partition_metric_snapshots";
const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const firstOf = (month: string) => day(`${month}-01`);
const dayOf = (month: string, d: number) => day(`${month}-${String(d).padStart(2, "0")}`);

let fx: OrgFixture;
beforeAll(async () => {
  fx = await createOrgFixture("partitions");
});

describe("the migration", () => {
  it("left three tables partitioned by RANGE (date), with months around today, a DEFAULT, and (id, date) as key", async () => {
    const parts = await db.$queryRaw<{ table: string; strategy: string; key: string }[]>`
      SELECT c.relname AS table, p.partstrat::text AS strategy, a.attname AS key
        FROM pg_partitioned_table p
        JOIN pg_class c ON c.oid = p.partrelid
        JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
       ORDER BY 1`;
    expect(parts.filter((p) => (METRIC_TABLES as readonly string[]).includes(p.table))).toEqual(
      [...METRIC_TABLES].sort().map((table) => ({ table, strategy: "r", key: "date" })),
    );

    const now = new Date();
    for (const table of METRIC_TABLES) {
      const partitions = await listPartitions(db, table);
      const names = partitions.map((p) => p.name);
      for (let i = 0; i <= PARTITION_MONTHS_AHEAD; i++) expect(names).toContain(partitionName(table, monthOf(now, i)));
      expect(partitions.filter((p) => p.isDefault).map((p) => p.name)).toEqual([`${table}_default`]);
      const month = monthOf(now);
      const bound = partitions.find((p) => p.name === partitionName(table, month))!.bound;
      expect(bound).toBe(`FOR VALUES FROM ('${month}-01') TO ('${monthOf(now, 1)}-01')`);

      const key = await db.$queryRawUnsafe<{ columns: string[] }[]>(
        `SELECT array_agg(a.attname::text ORDER BY array_position(i.indkey::int2[], a.attnum)) AS columns
           FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = $1::regclass AND i.indisprimary`,
        table,
      );
      expect(key[0]!.columns).toEqual(["id", "date"]);
    }
  });

  // A scratch database per engine: every migration before this one, rows over several months
  // (and older than the window the migration creates), then this migration.
  async function migrateWithRows(exec: (sql: string) => Promise<void>, query: <T>(sql: string) => Promise<T[]>) {
    const folders = fs.readdirSync(MIGRATIONS).filter((f) => /^\d{14}_/.test(f) && f < MINE).sort();
    for (const folder of folders) await exec(fs.readFileSync(path.join(MIGRATIONS, folder, "migration.sql"), "utf8"));
    await exec(`
      INSERT INTO organizations (id, name, slug, updated_at) VALUES ('o1', 'O', 'o1', now());
      INSERT INTO connections (id, organization_id, provider, kind, external_account_id, updated_at) VALUES ('c1', 'o1', 'MERCADOLIVRE', 'MARKETPLACE', 'x', now());
      INSERT INTO listings (id, organization_id, connection_id, provider, external_id, title, price_cents, updated_at) VALUES ('l1', 'o1', 'c1', 'MERCADOLIVRE', 'e1', 't', 100, now());
      INSERT INTO contents (id, organization_id, title, updated_at) VALUES ('ct1', 'o1', 't', now());
      INSERT INTO publications (id, organization_id, content_id, connection_id, scheduled_at, updated_at) VALUES ('p1', 'o1', 'ct1', 'c1', now(), now());
      INSERT INTO listing_metric_snapshots (id, organization_id, listing_id, date, visits, price_cents, stock)
        SELECT 'ls' || g, 'o1', 'l1', date '2021-01-20' + g, g, 100, 1 FROM generate_series(0, 99) g;
      INSERT INTO content_metric_snapshots (id, organization_id, publication_id, date, views)
        SELECT 'cs' || g, 'o1', 'p1', current_date - g, g FROM generate_series(0, 39) g;
      INSERT INTO social_account_metric_snapshots (id, organization_id, connection_id, date, followers, updated_at)
        SELECT 'ss' || g, 'o1', 'c1', current_date - g, g, now() FROM generate_series(0, 4) g;
    `);
    await exec(fs.readFileSync(path.join(MIGRATIONS, MINE, "migration.sql"), "utf8"));

    const counts = await query<{ n: number; visits: number }>(
      `SELECT (SELECT count(*) FROM listing_metric_snapshots)::int + (SELECT count(*) FROM content_metric_snapshots)::int
              + (SELECT count(*) FROM social_account_metric_snapshots)::int AS n,
              (SELECT sum(visits) FROM listing_metric_snapshots)::int AS visits`,
    );
    // The 2021 rows got their own months (January to April), not DEFAULT.
    const old = await query<{ partition: string; n: number }>(
      `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM listing_metric_snapshots GROUP BY 1 ORDER BY 1`,
    );
    const partitioned = await query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_partitioned_table`);
    return { counts: counts[0], old, partitioned: partitioned[0]!.n };
  }

  const expected = {
    counts: { n: 145, visits: 4950 },
    old: [
      { partition: "listing_metric_snapshots_p2021_01", n: 12 },
      { partition: "listing_metric_snapshots_p2021_02", n: 28 },
      { partition: "listing_metric_snapshots_p2021_03", n: 31 },
      { partition: "listing_metric_snapshots_p2021_04", n: 29 },
    ],
  };

  it.skipIf(!process.env.TEST_DATABASE_ADMIN_URL)("keeps every existing row on PostgreSQL", { timeout: 120_000 }, async () => {
    const adminUrl = process.env.TEST_DATABASE_ADMIN_URL!;
    const name = uniqueDatabaseName("ss_partmig");
    const url = await createDatabase(adminUrl, name);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await migrateWithRows(
        async (sql) => void (await client.query(sql)),
        async (sql) => (await client.query(sql)).rows,
      );
      expect(result.counts).toEqual(expected.counts);
      expect(result.old).toEqual(expected.old);
      expect(result.partitioned).toBeGreaterThanOrEqual(3);
    } finally {
      await client.end();
      await dropDatabase(adminUrl, name);
    }
  });

  it("keeps every existing row on PGlite (PostgreSQL 18, the embedded database)", { timeout: 120_000 }, async () => {
    const lite = new PGlite();
    try {
      const result = await migrateWithRows(
        async (sql) => void (await lite.exec(sql)),
        async (sql) => (await lite.query(sql)).rows as never[],
      );
      expect(result.counts).toEqual(expected.counts);
      expect(result.old).toEqual(expected.old);
      expect(result.partitioned).toBeGreaterThanOrEqual(3);
    } finally {
      await lite.close();
    }
  });
});

describe("writes to the partitioned tables", () => {
  it("Prisma's upsert on the (organization, listing, date) key and the raw ON CONFLICT upserts still merge", async () => {
    const date = day(new Date().toISOString().slice(0, 10));
    const where = { organizationId_listingId_date: { organizationId: fx.organizationId, listingId: fx.listingId, date } };
    const create = { organizationId: fx.organizationId, listingId: fx.listingId, date, visits: 1, priceCents: 100, stock: 1 };
    await db.listingMetricSnapshot.upsert({ where, create, update: { visits: 5 } });
    const second = await db.listingMetricSnapshot.upsert({ where, create, update: { visits: 7 } });
    expect(second.visits).toBe(7);
    expect(await db.listingMetricSnapshot.count({ where: { organizationId: fx.organizationId, listingId: fx.listingId } })).toBe(1);

    await upsertAccountSnapshots(db, fx.organizationId, fx.connectionId, [{ date, followers: 10, views: 1, reach: 1, profileViews: 1, engagements: 1 }]);
    await upsertAccountSnapshots(db, fx.organizationId, fx.connectionId, [{ date, followers: 12, views: 1, reach: 1, profileViews: 1, engagements: 1 }]);
    const rows = await db.socialAccountMetricSnapshot.findMany({ where: { organizationId: fx.organizationId, connectionId: fx.connectionId } });
    expect(rows.map((r) => r.followers)).toEqual([12]);
  });
});

describe("partition maintenance", () => {
  // A far-away year of its own, so reruns on the same database find no partitions made before.
  const year = 2200 + Math.floor(Math.random() * 7000);
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created) await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${name}"`);
  });

  it("creates the current month and the next three once, and moves rows that landed in DEFAULT into their month", async () => {
    const stray = `${year}-03`;
    await db.listingMetricSnapshot.create({
      data: { organizationId: fx.organizationId, listingId: fx.listingId, date: dayOf(stray, 15), visits: 3, priceCents: 100, stock: 1 },
    });
    const where = `organization_id = '${fx.organizationId}' AND date = '${stray}-15'`;
    const before = await db.$queryRawUnsafe<{ p: string }[]>(`SELECT tableoid::regclass::text AS p FROM listing_metric_snapshots WHERE ${where}`);
    expect(before).toEqual([{ p: "listing_metric_snapshots_default" }]);

    const now = dayOf(`${year}-06`, 10);
    const ahead = [`${year}-06`, `${year}-07`, `${year}-08`, `${year}-09`];
    for (const table of METRIC_TABLES) for (const m of [stray, ...ahead]) created.push(partitionName(table, m));

    const first = await maintainMetricPartitions(db, now);
    expect(first.listing_metric_snapshots.created).toEqual(expect.arrayContaining([stray, ...ahead]));
    expect(first.listing_metric_snapshots.moved).toBeGreaterThanOrEqual(1);
    expect(first.listing_metric_snapshots.leftInDefault).toBe(0);
    expect(first.content_metric_snapshots.created).toEqual(expect.arrayContaining(ahead));
    expect(first.social_account_metric_snapshots.created).toEqual(expect.arrayContaining(ahead));

    const after = await db.$queryRawUnsafe<{ p: string; visits: number }[]>(`SELECT tableoid::regclass::text AS p, visits FROM listing_metric_snapshots WHERE ${where}`);
    expect(after).toEqual([{ p: partitionName("listing_metric_snapshots", stray), visits: 3 }]);

    const second = await maintainMetricPartitions(db, now);
    for (const table of METRIC_TABLES) expect(second[table]).toEqual({ created: [], moved: 0, leftInDefault: 0 });
    const names = (await listPartitions(db, "social_account_metric_snapshots")).map((p) => p.name);
    for (const m of ahead) expect(names.filter((n) => n === partitionName("social_account_metric_snapshots", m))).toHaveLength(1);
  });

  it("two runs at once create each month once and neither fails", async () => {
    const other = year + 1;
    const now = dayOf(`${other}-01`, 2);
    const ahead = [`${other}-01`, `${other}-02`, `${other}-03`, `${other}-04`];
    for (const table of METRIC_TABLES) for (const m of ahead) created.push(partitionName(table, m));
    const runs = await Promise.all([maintainMetricPartitions(db, now), maintainMetricPartitions(db, now)]);
    for (const table of METRIC_TABLES) {
      expect([...runs[0][table].created, ...runs[1][table].created].sort()).toEqual(ahead);
    }
  });

  it("reports rows of a month it may not create (a year beyond 9999 cannot be a partition name)", async () => {
    // A 5-digit year: the date is valid in PostgreSQL, the month string is not one we build SQL from.
    const publication = await db.publication.create({ data: { organizationId: fx.organizationId, contentId: fx.contentId, connectionId: fx.connectionId, scheduledAt: new Date() } });
    await db.$executeRawUnsafe(
      `INSERT INTO content_metric_snapshots (id, organization_id, publication_id, date) VALUES ('far-future', $1, $2, '12000-01-05')`,
      fx.organizationId,
      publication.id,
    );
    try {
      const run = await maintainMetricPartitions(db, new Date());
      expect(run.content_metric_snapshots.leftInDefault).toBe(1);
    } finally {
      await db.$executeRawUnsafe(`DELETE FROM content_metric_snapshots WHERE id = 'far-future'`);
    }
  });
});

describe("partition pruning of the app's range queries", () => {
  type Captured = { query: string; params: string };
  const captured: Captured[] = [];
  // A second client on the same database that reports the SQL it sends; the repositories get it
  // in place of the app's client (same generated client, only the logging differs).
  const tracing = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL! }), log: [{ emit: "event", level: "query" }] });
  tracing.$on("query", (e) => captured.push({ query: e.query, params: e.params }));
  const traced = tracing as unknown as typeof db;
  afterAll(() => tracing.$disconnect());

  /** The partitions the plan of the last captured query (with the same parameters) reads. */
  async function scannedPartitions(table: string): Promise<string[]> {
    const last = captured.findLast((c) => c.query.includes(table))!;
    expect(last, `no query on ${table} was captured`).toBeDefined();
    const params = JSON.parse(last.params) as unknown[];
    const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": unknown }[]>(`EXPLAIN (FORMAT JSON) ${last.query}`, ...params);
    const names = new Set<string>();
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === "object") {
        for (const [key, value] of Object.entries(node)) {
          if (key === "Relation Name" && typeof value === "string" && value.startsWith(table)) names.add(value);
          else walk(value);
        }
      }
    };
    walk(plan[0]!["QUERY PLAN"]);
    return [...names].sort();
  }

  // Last month and the one before: partitions the migration created.
  const now = new Date();
  const last = monthOf(now, -1);
  const before = monthOf(now, -2);

  it("the analytics range read (accountSnapshotsInRange) scans only the month in range", async () => {
    await accountSnapshotsInRange(traced, fx.organizationId, [fx.connectionId], dayOf(last, 3), dayOf(last, 20));
    expect(await scannedPartitions("social_account_metric_snapshots")).toEqual([partitionName("social_account_metric_snapshots", last)]);
  });

  it("the health score window (metricSums) scans only the months it spans", async () => {
    await metricSums(traced, fx.organizationId, { since: dayOf(before, 20), until: dayOf(last, 19) });
    expect(await scannedPartitions("listing_metric_snapshots")).toEqual([
      partitionName("listing_metric_snapshots", before),
      partitionName("listing_metric_snapshots", last),
    ]);
  });

  it("the action effect totals (metricTotals) scan only the month in range", async () => {
    await metricTotals(traced, fx.organizationId, fx.listingId, dayOf(last, 1), firstOf(monthOf(now, 0)));
    expect(await scannedPartitions("listing_metric_snapshots")).toEqual([partitionName("listing_metric_snapshots", last)]);
  });

  it("the listing chart (listMetricSnapshots, open-ended) skips every month before its start", async () => {
    await listMetricSnapshots(traced, fx.organizationId, fx.listingId, dayOf(last, 5));
    const scanned = await scannedPartitions("listing_metric_snapshots");
    expect(scanned).toContain(partitionName("listing_metric_snapshots", last));
    expect(scanned).not.toContain(partitionName("listing_metric_snapshots", before));
    expect(scanned.every((p) => p === "listing_metric_snapshots_default" || p.slice(-7).replace("_", "-") >= last)).toBe(true);
  });
});
