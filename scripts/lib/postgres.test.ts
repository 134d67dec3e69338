import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkPostgres,
  createDatabase,
  dropDatabase,
  isPostgresReachable,
  redactUrl,
  startEmbeddedPostgresOnFreePort,
  uniqueDatabaseName,
  withDatabase,
} from "./postgres";

// The machine's PostgreSQL (trust auth). Only databases created here are ever dropped.
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const serverUp = await isPostgresReachable(adminUrl, 3000);
if (!serverUp) console.warn(`postgres.test: ${redactUrl(adminUrl)} is not reachable; server tests skipped.`);

const created: string[] = [];
afterAll(async () => {
  for (const name of created) await dropDatabase(adminUrl, name).catch(() => {});
});

describe("URL helpers", () => {
  it("withDatabase swaps the database name and keeps user, host and parameters", () => {
    expect(withDatabase("postgresql://u:p@db.example:6543/app?schema=public&sslmode=require", "other")).toBe(
      "postgresql://u:p@db.example:6543/other?schema=public&sslmode=require",
    );
  });

  it("redactUrl removes the password only", () => {
    expect(redactUrl("postgresql://u:secret@h:5432/d")).toBe("postgresql://u@h:5432/d");
    expect(redactUrl("not a url")).toBe("(unparseable URL)");
  });

  it("uniqueDatabaseName gives distinct valid identifiers", () => {
    const a = uniqueDatabaseName("t");
    expect(a).toMatch(/^t_[a-z0-9]+_[a-z0-9]+$/);
    expect(uniqueDatabaseName("t")).not.toBe(a);
  });
});

describe("reachability", () => {
  it("reports a closed port as unreachable, quickly, with a reason", async () => {
    const started = Date.now();
    const result = await checkPostgres("postgresql://postgres@127.0.0.1:1/postgres", 1000);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("sees an embedded instance while it runs, not after it stopped", { timeout: 60_000 }, async () => {
    const db = await startEmbeddedPostgresOnFreePort();
    try {
      expect(db.port).toBeGreaterThan(0);
      expect(await isPostgresReachable(db.url, 2000)).toBe(true);
    } finally {
      await db.stop();
    }
    expect(await isPostgresReachable(db.url, 1000)).toBe(false);
  });
});

describe.skipIf(!serverUp)("databases on the machine's PostgreSQL", () => {
  it("reaches the server", async () => {
    expect(await isPostgresReachable(adminUrl, 2000)).toBe(true);
  });

  it("creates a database, then drops it even with a session still open (FORCE)", async () => {
    const name = uniqueDatabaseName("scripts_pg_helpers");
    created.push(name);
    const url = await createDatabase(adminUrl, name);
    expect(url).toBe(withDatabase(adminUrl, name));

    const client = new pg.Client({ connectionString: url });
    client.on("error", () => {}); // it will be terminated by the forced drop
    await client.connect();
    await client.query("CREATE TABLE t (id int)");
    expect((await client.query<{ db: string }>("SELECT current_database() AS db")).rows[0]?.db).toBe(name);

    await dropDatabase(adminUrl, name);
    await client.end().catch(() => {});

    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    await admin.end();
    expect(rowCount).toBe(0);
    await dropDatabase(adminUrl, name); // IF EXISTS: a second drop is fine
  });

  it("refuses unsafe names and the admin database itself", async () => {
    await expect(createDatabase(adminUrl, 'x"; DROP DATABASE test; --')).rejects.toThrow(/Refusing/);
    await expect(dropDatabase(adminUrl, "postgres")).rejects.toThrow(/Refusing/);
  });
});
