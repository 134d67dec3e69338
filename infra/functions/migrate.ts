/**
 * The migrator Lambda (infra/migrations.ts): applies prisma/migrations/* (copied next to the
 * bundle as ./migrations) exactly like `prisma migrate deploy` records them, so `prisma migrate
 * status` and later `prisma migrate deploy` runs agree with it:
 * - `_prisma_migrations` with Prisma's columns; checksum = sha256 (hex) of migration.sql;
 * - Prisma's advisory lock (72707369), so it never runs beside another migrator or the CLI;
 * - each pending migration in name order, inside a transaction (a failure leaves no half-applied
 *   migration and no "failed" row: the deploy fails and the next one retries after the fix);
 * - a migration recorded as failed by the Prisma CLI (finished_at null, not rolled back) stops the
 *   run, as Prisma does (P3009): resolve it with `prisma migrate resolve`.
 *
 * It runs the SQL files only (no schema engine): the Lambda needs no Prisma binary.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export const PRISMA_ADVISORY_LOCK = 72707369;

export type MigrationResult = { applied: string[]; alreadyApplied: string[]; checksumMismatch: string[] };

type Row = { migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null };

export async function listMigrations(dir: string) {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

export async function applyMigrations(client: pg.Client, dir: string): Promise<MigrationResult> {
  const migrations = await listMigrations(dir);
  const result: MigrationResult = { applied: [], alreadyApplied: [], checksumMismatch: [] };
  await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const { rows } = await client.query<Row>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const failed = rows.filter((r) => r.finished_at === null).map((r) => r.migration_name);
    if (failed.length > 0) {
      throw new Error(
        `Migration(s) ${failed.join(", ")} failed earlier and are not resolved: fix the database, then run \`prisma migrate resolve --applied|--rolled-back <name>\`.`,
      );
    }
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));
    for (const migration of migrations) {
      const checksum = done.get(migration.name);
      if (checksum !== undefined) {
        result.alreadyApplied.push(migration.name);
        if (checksum !== migration.checksum) result.checksumMismatch.push(migration.name);
        continue;
      }
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`, { cause: error });
      }
      result.applied.push(migration.name);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]);
  }
  return result;
}

/** Lambda entry point: the linked database (through RDS Proxy, TLS), the copied migrations. */
export async function handler(): Promise<MigrationResult> {
  const { Resource } = await import("sst");
  const db = (Resource as unknown as Record<string, { host: string; port: number; username: string; password: string; database: string }>)
    .Database!;
  const client = new pg.Client({
    host: db.host,
    port: db.port,
    user: db.username,
    password: db.password,
    database: db.database,
    ssl: { rejectUnauthorized: true },
    connectionTimeoutMillis: 30_000,
  });
  await client.connect();
  try {
    const root = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
    const result = await applyMigrations(client, path.join(root, process.env.MIGRATIONS_DIR ?? "migrations"));
    // Names only: no connection details or secrets in the log.
    console.warn(
      `migrations: ${result.applied.length} applied (${result.applied.join(", ") || "none"}), ${result.alreadyApplied.length} already applied` +
        (result.checksumMismatch.length ? `; edited after being applied: ${result.checksumMismatch.join(", ")}` : ""),
    );
    return result;
  } finally {
    await client.end();
  }
}
