/**
 * PostgreSQL helpers for the dev runner and the test orchestrator.
 * They work against a real server and (except create/drop database) the embedded one.
 */
import pg from "pg";
import type { EmbeddedPostgres, EmbeddedPostgresOptions } from "../embedded-db";

export type { EmbeddedPostgres, EmbeddedPostgresOptions };

/** Connects and runs `SELECT 1`; gives the reason when it cannot. */
export async function checkPostgres(url: string, timeoutMs = 2000): Promise<{ ok: true } | { ok: false; error: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs });
  client.on("error", () => {}); // a server that drops us later must not crash the caller
  try {
    await client.connect();
    await client.query("SELECT 1");
    return { ok: true };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { errors?: Error[] };
    // ECONNREFUSED on "localhost" arrives as an AggregateError (IPv4 and IPv6) with an empty message.
    const message = e.message || e.errors?.map((inner) => inner.message).join("; ") || e.code || String(error);
    return { ok: false, error: message };
  } finally {
    await Promise.race([client.end().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500).unref())]);
  }
}

export async function isPostgresReachable(url: string, timeoutMs = 2000): Promise<boolean> {
  return (await checkPostgres(url, timeoutMs)).ok;
}

/** The same URL with another database name (query parameters kept). */
export function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(name)}`;
  return parsed.toString();
}

/** The URL without its password, for logs and banners. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** A name unlikely to collide with another run: `${prefix}_<time>_<random>`, lower case. */
export function uniqueDatabaseName(prefix = "test"): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}_${Date.now().toString(36)}_${random}`.toLowerCase();
}

function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`Refusing database name ${JSON.stringify(name)}: use letters, digits and _ (max 63).`);
  }
  return `"${name}"`;
}

async function withAdminClient<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** CREATE DATABASE on the server behind adminUrl (any database you may connect to, e.g. postgres). */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const quoted = quoteIdentifier(name);
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${quoted}`));
  return withDatabase(adminUrl, name);
}

/** DROP DATABASE IF EXISTS … WITH (FORCE): disconnects its remaining sessions (PostgreSQL ≥ 13). */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const quoted = quoteIdentifier(name);
  if (name === new URL(adminUrl).pathname.slice(1)) throw new Error(`Refusing to drop ${name}: it is the admin connection's database.`);
  await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`));
}

/**
 * An embedded PostgreSQL on a free port (in memory unless dataDir is given). PGlite serves one
 * database: every database name in a URL reaches the same data, so give each test run its own
 * instance instead of createDatabase.
 */
export async function startEmbeddedPostgresOnFreePort(
  options: Omit<EmbeddedPostgresOptions, "port"> = {},
): Promise<EmbeddedPostgres> {
  const { startEmbeddedPostgres } = await import("../embedded-db"); // PGlite loads only when used
  return startEmbeddedPostgres({ ...options, port: 0 });
}
