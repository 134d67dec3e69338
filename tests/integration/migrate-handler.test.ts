/**
 * The deploy-time migrator (infra/functions/migrate.ts) against real PostgreSQL: it must leave the
 * same schema and the same _prisma_migrations records as `prisma migrate deploy`, so the two can
 * take turns on one database; re-runs apply nothing; a failing migration is rolled back whole.
 * Uses two throw-away databases next to DATABASE_URL's.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, listMigrations } from "../../infra/functions/migrate";

const root = path.resolve(import.meta.dirname, "../..");
const migrationsDir = path.join(root, "prisma/migrations");
const baseUrl = process.env.DATABASE_URL;
const suffix = `${process.pid}`;
const dbMigrator = `ss_migrator_a_${suffix}`;
const dbPrisma = `ss_migrator_b_${suffix}`;

function urlFor(database: string) {
  const url = new URL(baseUrl!);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient<T>(database: string, fn: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: urlFor(database) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const admin = (sql: string) => withClient("postgres", (c) => c.query(sql));

/** Tables, columns, indexes, constraints and enum values: what the migrations build. */
async function schemaOf(database: string) {
  return withClient(database, async (c) => {
    const q = async (sql: string) => (await c.query(sql)).rows.map((r) => Object.values(r).join("|"));
    return {
      columns: await q(
        `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema='public' order by 1,2`,
      ),
      indexes: await q(`select tablename, indexname, indexdef from pg_indexes where schemaname='public' order by 1,2`),
      constraints: await q(
        `select conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint where connamespace='public'::regnamespace order by 1,2`,
      ),
      enums: await q(`select t.typname, e.enumlabel from pg_type t join pg_enum e on e.enumtypid=t.oid order by 1, e.enumsortorder`),
    };
  });
}

const records = (database: string) =>
  withClient(database, async (c) =>
    (
      await c.query<{ migration_name: string; checksum: string; done: boolean; applied_steps_count: number }>(
        `select migration_name, checksum, finished_at is not null as done, applied_steps_count from _prisma_migrations order by migration_name`,
      )
    ).rows,
  );

describe.skipIf(!baseUrl)("deploy-time migrator", () => {
  beforeAll(async () => {
    for (const db of [dbMigrator, dbPrisma]) {
      await admin(`drop database if exists ${db} with (force)`);
      await admin(`create database ${db}`);
    }
  });
  afterAll(async () => {
    for (const db of [dbMigrator, dbPrisma]) await admin(`drop database if exists ${db} with (force)`);
  });

  it("builds the schema `prisma migrate deploy` builds and records the same migrations", async () => {
    const result = await withClient(dbMigrator, (c) => applyMigrations(c, migrationsDir));
    const all = (await listMigrations(migrationsDir)).map((m) => m.name);
    expect(all.length).toBeGreaterThan(5);
    expect(result.applied).toEqual(all);

    execFileSync("npx", ["prisma", "migrate", "deploy"], { cwd: root, env: { ...process.env, DATABASE_URL: urlFor(dbPrisma) }, stdio: "pipe" });

    expect(await schemaOf(dbMigrator)).toEqual(await schemaOf(dbPrisma));
    const ours = await records(dbMigrator);
    expect(ours).toEqual(await records(dbPrisma));
    expect(ours.every((r) => r.done && r.applied_steps_count === 1)).toBe(true);
  }, 180_000);

  it("leaves Prisma nothing to do, and applies nothing on a second run", async () => {
    const status = execFileSync("npx", ["prisma", "migrate", "status"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: urlFor(dbMigrator) },
      encoding: "utf8",
    });
    expect(status).toMatch(/Database schema is up to date/);
    const again = await withClient(dbMigrator, (c) => applyMigrations(c, migrationsDir));
    expect(again.applied).toEqual([]);
    expect(again.checksumMismatch).toEqual([]);
  }, 120_000);

  it("applies only the new migration, rolls a failing one back whole, and reports edited ones", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ss-migrate-"));
    cpSync(migrationsDir, dir, { recursive: true });
    mkdirSync(path.join(dir, "29990101000000_good"));
    writeFileSync(path.join(dir, "29990101000000_good", "migration.sql"), `CREATE TABLE "deploy_probe" ("id" INTEGER PRIMARY KEY);`);
    const good = await withClient(dbMigrator, (c) => applyMigrations(c, dir));
    expect(good.applied).toEqual(["29990101000000_good"]);

    mkdirSync(path.join(dir, "29990102000000_bad"));
    writeFileSync(
      path.join(dir, "29990102000000_bad", "migration.sql"),
      `CREATE TABLE "half_done" ("id" INTEGER);\nALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;`,
    );
    await expect(withClient(dbMigrator, (c) => applyMigrations(c, dir))).rejects.toThrow(/29990102000000_bad failed and was rolled back/);
    await withClient(dbMigrator, async (c) => {
      expect((await c.query(`select to_regclass('public.half_done') as t`)).rows[0].t).toBeNull();
      expect((await c.query(`select 1 from _prisma_migrations where migration_name = '29990102000000_bad'`)).rowCount).toBe(0);
      // The lock was released: another session can take it at once.
      expect((await c.query(`select pg_try_advisory_lock(72707369) as ok`)).rows[0].ok).toBe(true);
      await c.query(`select pg_advisory_unlock(72707369)`);
    });

    writeFileSync(path.join(dir, "29990102000000_bad", "migration.sql"), `SELECT 1;`);
    writeFileSync(path.join(dir, "29990101000000_good", "migration.sql"), `CREATE TABLE "deploy_probe" ("id" BIGINT PRIMARY KEY);`);
    const fixed = await withClient(dbMigrator, (c) => applyMigrations(c, dir));
    expect(fixed.applied).toEqual(["29990102000000_bad"]);
    expect(fixed.checksumMismatch).toEqual(["29990101000000_good"]);
  });

  it("refuses to run over a migration the Prisma CLI left failed", async () => {
    await withClient(dbMigrator, (c) =>
      c.query(`insert into _prisma_migrations (id, checksum, migration_name, started_at) values ('failed-1', 'x', '29990103000000_failed', now())`),
    );
    await expect(withClient(dbMigrator, (c) => applyMigrations(c, migrationsDir))).rejects.toThrow(/29990103000000_failed failed earlier/);
  });
});
