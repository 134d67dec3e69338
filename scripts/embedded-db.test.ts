import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { PortInUseError, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-db";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "embedded-db-test-"));
const dataDir = path.join(tmp, "pglite");
const running: EmbeddedPostgres[] = [];

async function start(): Promise<EmbeddedPostgres> {
  const db = await startEmbeddedPostgres({ dataDir, port: 0 });
  running.push(db);
  return db;
}

afterAll(async () => {
  await Promise.allSettled(running.map((db) => db.stop()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("embedded PostgreSQL (PGlite over TCP)", { timeout: 90_000 }, () => {
  it("serves concurrent connections, and rows survive a restart from the same folder", async () => {
    const first = await start();
    expect(first.url).toMatch(/^postgresql:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);

    const pool = new pg.Pool({ connectionString: first.url, max: 5 });
    await pool.query("CREATE TABLE item (id int PRIMARY KEY, title text NOT NULL, body text)");
    // 5 connections, 100 parameterised queries in flight at once; big bodies span several TCP
    // reads, which is where a per-message multiplexer mixes up clients' statements.
    const big = "x".repeat(200_000);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0
          ? pool.query<{ id: number; len: number }>(
              "INSERT INTO item (id, title, body) VALUES ($1, $2, $3) RETURNING id, length(body) AS len",
              [i, `item ${i}`, big],
            )
          : pool.query<{ n: number; lit: number }>(`SELECT $1::int AS n, ${i} AS lit`, [i]),
      ),
    );
    results.forEach((result, i) =>
      expect(result.rows[0]).toEqual(i % 2 === 0 ? { id: i, len: big.length } : { n: i, lit: i }),
    );
    expect(new Set(await Promise.all([1, 2, 3].map(() => pool.query("SELECT 1")))).size).toBe(3);

    // Transactions from different connections do not interleave.
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          await client.query("INSERT INTO item (id, title) VALUES ($1, $2)", [1000 + i, `tx ${i}`]);
          await new Promise((resolve) => setTimeout(resolve, 5));
          await client.query(i % 2 === 0 ? "COMMIT" : "ROLLBACK");
        } finally {
          client.release();
        }
      }),
    );
    await pool.end();

    // A client that disconnects inside a transaction is rolled back.
    const quitter = new pg.Client({ connectionString: first.url });
    await quitter.connect();
    await quitter.query("BEGIN");
    await quitter.query("INSERT INTO item (id, title) VALUES (9999, 'never committed')");
    await quitter.end();

    await first.stop();

    const second = await start();
    const client = new pg.Client({ connectionString: second.url });
    await client.connect();
    const { rows } = await client.query<{ id: number; title: string }>("SELECT id, title FROM item ORDER BY id");
    await client.end();
    expect(rows.map((row) => row.id)).toEqual([
      ...Array.from({ length: 50 }, (_, i) => i * 2),
      ...[0, 2, 4, 6, 8].map((i) => 1000 + i),
    ]);
    expect(rows[1]).toEqual({ id: 2, title: "item 2" });
    await second.stop();
  });

  it("refuses a second process-level user of the same folder and a taken port", async () => {
    const db = await start();
    await expect(startEmbeddedPostgres({ dataDir, port: 0 })).rejects.toThrow(/is in use by process/);
    await expect(startEmbeddedPostgres({ dataDir: null, port: db.port })).rejects.toBeInstanceOf(PortInUseError);
    await db.stop();
    // The lock is released on stop: the folder opens again.
    const again = await start();
    await again.stop();
  });

  it("answers to any database name with its single database, postgres", async () => {
    const db = await start();
    const url = db.url.replace(/\/postgres$/, "/some_other_name");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>("SELECT current_database() AS db");
    await client.end();
    expect(rows[0]?.db).toBe("postgres");
    await db.stop();
  });

  it("binds the port at once and starts PGlite on the first connection when lazy", async () => {
    const db = await startEmbeddedPostgres({ dataDir: null, port: 0, lazy: true });
    running.push(db);
    expect(db.startupMs).toBe(0);
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(db.port, "127.0.0.1", () => (socket.destroy(), resolve()));
      socket.once("error", reject);
    });
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    expect((await client.query<{ one: number }>("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await client.end();
    await db.stop();
  });
});
