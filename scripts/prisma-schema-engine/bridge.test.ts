// The schema engine bridge, driven by the real Prisma CLI against a real PostgreSQL database:
// `migrate diff` writes the first migration of a tiny schema, `migrate deploy` applies it.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isPostgresReachable } from "../lib/postgres";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const bridge = path.join(import.meta.dirname, "bin.mjs");
const prismaCli = path.join(root, "node_modules/prisma/build/index.js");

// A PostgreSQL server on which the test creates, uses and drops a database of its own. `npm test`
// sets TEST_DATABASE_ADMIN_URL when it found a real server; on the embedded fallback (PGlite has
// one database per instance, CREATE DATABASE is impossible) this suite is skipped.
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? (process.env.CI ? undefined : "postgresql://postgres@127.0.0.1:5432/postgres");
const serverUp = !!adminUrl && (await isPostgresReachable(adminUrl, 3000));
const dbName = `bridge_test_${randomBytes(6).toString("hex")}`;
const scratchUrl = (() => {
  const url = new URL(adminUrl!);
  url.pathname = `/${dbName}`;
  url.searchParams.delete("schema");
  return url.toString();
})();

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "schema-engine-bridge-"));
const migrationsDir = path.join(tmp, "migrations");

const SCHEMA = `datasource db {
  provider = "postgresql"
}

enum Status {
  DRAFT
  LIVE
}

model Shop {
  id       Int       @id @default(autoincrement())
  name     String    @unique
  tags     String[]
  settings Json?
  products Product[]
}

model Product {
  id     Int    @id @default(autoincrement())
  title  String
  status Status @default(DRAFT)
  shopId Int
  shop   Shop   @relation(fields: [shopId], references: [id])

  @@index([shopId, status])
}
`;

async function prisma(...args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: scratchUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: bridge,
    CHECKPOINT_DISABLE: "1",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  };
  delete env.SHADOW_DATABASE_URL;
  return run(process.execPath, [prismaCli, ...args, "--config", path.join(tmp, "prisma.config.mjs")], {
    cwd: tmp,
    env,
    timeout: 60_000,
  });
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl! });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  if (!serverUp) return;
  fs.writeFileSync(path.join(tmp, "schema.prisma"), SCHEMA);
  // A config without imports: the temp folder has no node_modules to resolve `prisma/config`.
  fs.writeFileSync(
    path.join(tmp, "prisma.config.mjs"),
    `export default { schema: "schema.prisma", migrations: { path: "migrations" }, datasource: { url: process.env.DATABASE_URL } };\n`,
  );
  await withAdmin((client) => client.query(`CREATE DATABASE "${dbName}"`));
});

afterAll(async () => {
  if (!serverUp) return;
  await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!serverUp)("Prisma schema engine bridge (WASM engine over adapter-pg)", { timeout: 120_000 }, () => {
  it("exits when the CLI goes away, even with its log pipe closed (no busy loop left behind)", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, [bridge, "--datamodels", path.join(tmp, "none.prisma")], {
      env: { ...process.env, RUST_LOG: "info" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Nobody reads the logs any more, then the CLI ends the session: every log write now fails.
    child.stderr.destroy();
    child.stdout.destroy();
    child.stdin.end();
    // Liveness, not speed: before the fix the process spun on failed stderr writes for ever.
    const outcome = await Promise.race([exited, new Promise<"still running">((r) => setTimeout(() => r("still running"), 20_000))]);
    if (outcome === "still running") child.kill("SIGKILL");
    expect(outcome).not.toBe("still running");
  });

  it("answers --version like the native engine", async () => {
    const { stdout } = await run(process.execPath, [bridge, "--version"]);
    expect(stdout).toMatch(/^schema-engine-cli [0-9a-f]{40}/);
  });

  it("prints a migration script with `migrate diff` and applies it with `migrate deploy`", async () => {
    const diff = await prisma("migrate", "diff", "--from-empty", "--to-schema", "schema.prisma", "--script");
    expect(diff.stdout).toContain('CREATE TYPE "Status" AS ENUM');
    expect(diff.stdout).toContain('CREATE TABLE "Product"');
    expect(diff.stdout).toContain('CREATE INDEX "Product_shopId_status_idx"');

    fs.mkdirSync(path.join(migrationsDir, "20240101000000_init"), { recursive: true });
    fs.writeFileSync(path.join(migrationsDir, "20240101000000_init", "migration.sql"), diff.stdout);
    fs.writeFileSync(path.join(migrationsDir, "migration_lock.toml"), 'provider = "postgresql"\n');

    const deploy = await prisma("migrate", "deploy");
    expect(deploy.stdout).toContain("20240101000000_init");

    const client = new pg.Client({ connectionString: scratchUrl });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(["Product", "Shop", "_prisma_migrations"]);
      const applied = await client.query<{ migration_name: string; finished: boolean }>(
        "SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations",
      );
      expect(applied.rows).toEqual([{ migration_name: "20240101000000_init", finished: true }]);
      // The relation and the array column came through.
      await client.query(`INSERT INTO "Shop" (name, tags) VALUES ('a', '{x,y}')`);
      await expect(client.query(`INSERT INTO "Product" (title, "shopId") VALUES ('p', 999)`)).rejects.toThrow(
        /foreign key/,
      );
    } finally {
      await client.end();
    }

    // Nothing left to do, and the engine sees the same.
    const status = await prisma("migrate", "status");
    expect(status.stdout).toContain("Database schema is up to date");
  });
});
