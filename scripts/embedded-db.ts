/**
 * Embedded PostgreSQL: PGlite (PostgreSQL compiled to WASM, in this Node process) served over the
 * PostgreSQL wire protocol on a TCP port, so the app, Prisma's CLI and tests connect with the same
 * `pg` / `@prisma/adapter-pg` code path as against a real server.
 *
 *   node --import tsx scripts/embedded-db.ts [--data-dir .data/pglite] [--port 54329] [--host 127.0.0.1] [--memory]
 *
 * Or import it: `const db = await startEmbeddedPostgres({ dataDir, port }); …; await db.stop()`.
 *
 * What clients should know:
 *  - URL: `postgresql://postgres@HOST:PORT/postgres`. No password, no TLS. PGlite has ONE database:
 *    whatever database name a client asks for, it gets `postgres` (CREATE DATABASE cannot give you a
 *    second one you can connect to) — that is why the shadow database is a second instance.
 *  - Many concurrent connections are accepted (a pg Pool, Next.js, the Prisma CLI), but they share
 *    one backend: requests run one at a time and a transaction holds the database until it ends.
 *    See scripts/lib/pglite-wire-server.ts for why we do not use pglite-socket's server, and limits.
 *  - A data directory is used by one process at a time (`<dataDir>.lock`, with the owner's pid).
 *    PGlite itself does not stop a second process from opening it, and that loses writes.
 *  - Stop with SIGINT/SIGTERM: the server closes first, then PGlite flushes and closes. After a
 *    hard kill PGlite recovers from its WAL on the next start (committed rows survive).
 */
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite-pgvector";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { startPgliteWireServer } from "./lib/pglite-wire-server";

export const DEFAULT_EMBEDDED_PORT = 54329;
export const DEFAULT_DATA_DIR = ".data/pglite";

export interface EmbeddedPostgresOptions {
  /** Folder for the data files (created if missing). Omit, `null` or "memory://" for in-memory. */
  dataDir?: string | null;
  /** TCP port; 0 (the default) lets the OS pick a free one — read it back from `port`/`url`. */
  port?: number;
  host?: string;
  /**
   * Start PGlite only when the first client connects (the port is bound at once). For the
   * shadow database: `migrate dev` needs it, a normal dev start never does (in-memory start ≈ 2 s).
   */
  lazy?: boolean;
  maxConnections?: number;
  /** Where warnings go (default: console.error with a prefix). */
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** e.g. postgresql://postgres@127.0.0.1:54329/postgres */
  url: string;
  host: string;
  port: number;
  /** Absolute data folder, or null when in memory. */
  dataDir: string | null;
  /** Milliseconds until it accepted queries (0 when lazy). */
  startupMs: number;
  /** The PGlite instance (starts it when lazy). Use it only while no client holds a transaction. */
  getDb(): Promise<PGlite>;
  /** Close the server (clients are disconnected, open transactions rolled back), then PGlite. */
  stop(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(
      `Port ${port} on ${host} is already in use. Another embedded database or PostgreSQL may be running ` +
        `there: stop it, or choose another port (EMBEDDED_DB_PORT / --port).`,
    );
    this.name = "PortInUseError";
  }
}

export function embeddedUrl(host: string, port: number): string {
  const urlHost = host === "0.0.0.0" || host === "" ? "127.0.0.1" : host === "::" ? "[::1]" : host.includes(":") ? `[${host}]` : host;
  return `postgresql://postgres@${urlHost}:${port}/postgres`;
}

function isMemory(dataDir: string | null | undefined): dataDir is null | undefined {
  return dataDir == null || dataDir === "" || dataDir.startsWith("memory://");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const lockedHere = new Set<string>();

/** One instance per data folder, across processes too. Returns the release function. */
function lockDataDir(dataDir: string, port: number): () => void {
  const lockFile = `${dataDir}.lock`;
  if (lockedHere.has(dataDir)) throw new Error(`The embedded database folder ${dataDir} is in use by process ${process.pid} (this one).`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, port }), { flag: "wx" });
      lockedHere.add(dataDir);
      return () => {
        lockedHere.delete(dataDir);
        try {
          const owner = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { pid?: number };
          if (owner.pid === process.pid) fs.rmSync(lockFile);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let owner: { pid?: number; port?: number } = {};
      try {
        owner = JSON.parse(fs.readFileSync(lockFile, "utf8")) as typeof owner;
      } catch {
        // unreadable lock: treat as stale
      }
      if (owner.pid && owner.pid !== process.pid && isAlive(owner.pid)) {
        throw new Error(
          `The embedded database folder ${dataDir} is in use by process ${owner.pid}` +
            `${owner.port ? ` (port ${owner.port})` : ""}. Stop that process first (two processes on one ` +
            `folder lose data). If it is not a database, delete ${lockFile}.`,
        );
      }
      fs.rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const host = options.host ?? "127.0.0.1";
  const log = options.log ?? ((message: string) => console.error(`[embedded-db] ${message}`));
  const dataDir = isMemory(options.dataDir) ? null : path.resolve(options.dataDir);

  const started = performance.now();
  let pglite: Promise<PGlite> | null = null;
  // pgvector is loaded so the semantic search migration installs it and searches use `<=>`
  // (docs/semantic-search.md); PostgreSQL servers without the extension use the SQL fallback.
  const getDb = () => (pglite ??= PGlite.create({ ...(dataDir ? { dataDir } : {}), extensions: { vector } }));

  let server;
  try {
    // Bind first: a taken port fails fast, before a data folder is initialised for nothing.
    server = await startPgliteWireServer({ getDb, host, port: options.port ?? 0, maxConnections: options.maxConnections, log });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortInUseError(host, options.port ?? 0);
    throw error;
  }

  let release = () => {};
  if (dataDir) {
    try {
      fs.mkdirSync(dataDir, { recursive: true }); // PGlite only creates the last path segment
      release = lockDataDir(dataDir, server.port);
    } catch (error) {
      await server.close();
      throw error;
    }
  }

  let startupMs = 0;
  if (!options.lazy) {
    try {
      await getDb();
      startupMs = Math.round(performance.now() - started);
    } catch (error) {
      await server.close();
      release();
      throw new Error(`PGlite could not start${dataDir ? ` in ${dataDir}` : ""}: ${(error as Error).message}`, { cause: error });
    }
  }

  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      try {
        await server.close();
        const db = pglite ? await pglite.catch(() => null) : null;
        if (db && !db.closed) await db.close(); // flushes and closes the data files
      } finally {
        release();
      }
    })());

  return { url: embeddedUrl(host, server.port), host, port: server.port, dataDir, startupMs, getDb, stop };
}

/** A throw-away instance in memory (Prisma's shadow database, tests). */
export function startInMemoryPostgres(options: Omit<EmbeddedPostgresOptions, "dataDir"> = {}): Promise<EmbeddedPostgres> {
  return startEmbeddedPostgres({ ...options, dataDir: null });
}

function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith("..") ? relative : dir;
}

async function main() {
  const { values } = parseArgs({
    options: {
      "data-dir": { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      memory: { type: "boolean" },
    },
  });
  const port = Number(values.port ?? process.env.EMBEDDED_DB_PORT ?? DEFAULT_EMBEDDED_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port: ${values.port ?? process.env.EMBEDDED_DB_PORT}`);
  const dataDir = values.memory ? null : (values["data-dir"] ?? DEFAULT_DATA_DIR);

  const db = await startEmbeddedPostgres({ dataDir, port, host: values.host });
  console.log(
    `Embedded PostgreSQL (PGlite) ready in ${db.startupMs} ms\n` +
      `  URL:  ${db.url}\n` +
      `  Data: ${db.dataDir ? displayPath(db.dataDir) : "in memory (lost on stop)"}\n` +
      `  Stop: Ctrl-C`,
  );

  let signals = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    if (++signals > 1) {
      console.error(`\n${signal} again: exiting without closing the database (it recovers on next start).`);
      process.exit(1);
    }
    console.log(`\n${signal}: stopping the embedded database…`);
    db.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Could not stop cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`embedded-db: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
