// The driver adapter the WASM schema engine runs its SQL through: `@prisma/adapter-pg`'s
// `PrismaPg`, bound with `bindMigrationAwareSqlAdapterFactory`, with the fixes a schema engine
// needs that adapter-pg (made for the query engine) lacks. node_modules is left untouched: the
// fixes are applied to the adapter objects it returns.
//
// 1. Catalog queries return Postgres's internal one-byte `"char"` type (OID 18: pg_class.relkind,
//    pg_constraint.contype, ...), which adapter-pg refuses ("Unsupported column type char"). We
//    present such columns as text to adapter-pg and mark them `Character` for the engine.
// 2. adapter-pg's `executeScript` splits scripts on every `;`, which breaks migrations holding
//    functions, `DO $$ ... $$` blocks or string literals with semicolons. We send the script in
//    one simple-protocol query instead, as the native engine does (one implicit transaction).
// 3. adapter-pg's temporary shadow database is dropped before its pool is closed, which fails
//    while the pool still holds connections. We create and drop it ourselves: close the pool
//    first, then `DROP DATABASE ... WITH (FORCE)`. One temporary shadow database is reused
//    (wiped) for every shadow connection of the process and dropped at exit.
// 4. An explicit shadow database (`shadowDatabaseUrl`) is used as given, and wiped (every
//    non-system schema dropped) each time the engine connects to it, as the native engine does.

import { randomUUID } from "node:crypto";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { ColumnTypeEnum, bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { parsePgUrl, quoteIdent, sameDatabase } from "./pg-config.mjs";
import { log } from "./log.mjs";

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** Make `"char"` columns readable: text for adapter-pg's decoder, `Character` for the engine. */
function patchQueryRaw(queryable) {
  const baseQueryRaw = queryable.queryRaw;
  queryable.queryRaw = async function queryRaw(query) {
    const charColumns = [];
    // A per-call view of the adapter whose performIO rewrites the field types, so concurrent
    // queries on the same adapter do not share state.
    const view = Object.create(this);
    view.performIO = async (q) => {
      const result = await this.performIO(q);
      if (result.fields.some((f) => f.dataTypeID === PG_CHAR_OID)) {
        result.fields = result.fields.map((field, i) => {
          if (field.dataTypeID !== PG_CHAR_OID) return field;
          charColumns.push(i);
          return { ...field, dataTypeID: PG_TEXT_OID };
        });
      }
      return result;
    };
    const output = await baseQueryRaw.call(view, query);
    for (const i of charColumns) output.columnTypes[i] = ColumnTypeEnum.Character;
    return output;
  };
}

function patchAdapter(adapter) {
  patchQueryRaw(adapter);
  adapter.executeScript = async function executeScript(script) {
    try {
      // No parameters: node-postgres uses the simple query protocol, which accepts many
      // statements in one message and runs them as one implicit transaction.
      await this.client.query(script);
    } catch (error) {
      this.onError(error); // adapter-pg's own error mapping; always throws
    }
  };
  const baseStartTransaction = adapter.startTransaction;
  adapter.startTransaction = async function startTransaction(...args) {
    const tx = await baseStartTransaction.apply(this, args);
    patchQueryRaw(tx);
    return tx;
  };
  return adapter;
}

// The engine runs this probe as soon as it is constructed. The native engine connects lazily, so
// commands that need no database (`migrate diff --from-empty --to-schema ...`) work without one.
const ENGINE_PROBE = /^SELECT EXISTS\(SELECT 1 FROM pg_namespace WHERE nspname = \$1\), version\(\)/;
const CONNECTION_ERROR_KINDS = new Set([
  "DatabaseNotReachable",
  "DatabaseDoesNotExist",
  "DatabaseAccessDenied",
  "AuthenticationFailed",
  "SocketTimeout",
  "ConnectionClosed",
  "TlsConnectionError",
]);

/** If the database cannot be reached when the engine probes it at start-up, answer the probe
 * with a neutral result; every later query still goes to the server and fails with its error. */
function tolerateUnreachableProbe(adapter, parsed, tolerate = isConnectionError) {
  const realQueryRaw = adapter.queryRaw;
  let first = true;
  adapter.queryRaw = async function queryRaw(query) {
    if (!first || !ENGINE_PROBE.test(query.sql)) return realQueryRaw.call(this, query);
    first = false;
    try {
      return await realQueryRaw.call(this, query);
    } catch (error) {
      const kind = error?.cause?.kind;
      if (!tolerate(error)) throw error;
      log("WARN", `Database ${parsed.database} at ${parsed.host}:${parsed.port} is not usable (${kind ?? error.message}); continuing until a command needs it`);
      return {
        columnNames: ["exists", "version", "numeric_version"],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, "PostgreSQL (not connected)", 150000]],
      };
    }
  };
}

/** Stands in for the main database when the URL is missing or invalid: answers the start-up
 * probe, fails every other call with the URL error. */
function unusableAdapter(urlError) {
  const fail = async () => {
    throw urlError;
  };
  const adapter = {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    queryRaw: fail,
    executeRaw: fail,
    executeScript: fail,
    startTransaction: fail,
    getConnectionInfo: () => ({ schemaName: "public", supportsRelationJoins: true }),
    dispose: async () => {},
    underlyingDriver: () => ({ end: async () => {} }),
  };
  tolerateUnreachableProbe(adapter, { database: "(none)", host: "(no URL)", port: "" }, () => true);
  return adapter;
}

function isConnectionError(error) {
  return CONNECTION_ERROR_KINDS.has(error?.cause?.kind) || isNodeConnectionError(error);
}

function isNodeConnectionError(error) {
  return /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|timeout expired|Connection terminated/i.test(
    `${error?.code ?? ""} ${error?.message ?? ""}`,
  );
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

/**
 * @param {{ url?: string, shadowDatabaseUrl?: string }} datasource  the `--datasource` JSON
 */
export function createAdapterFactory(datasource) {
  /** Cleanups for everything still open: run by `dispose()` on shutdown. */
  const open = new Set();
  let main;
  const mainUrl = () => {
    main ??= parsePgUrl(datasource?.url);
    return main;
  };

  function track(adapter, cleanup) {
    let done = null;
    const run = () => (done ??= cleanup());
    open.add(run);
    adapter.dispose = async () => {
      open.delete(run);
      await run();
    };
    return adapter;
  }

  async function connectTo(parsed, { tolerateUnreachable = false } = {}) {
    const factory = new PrismaPg({ ...parsed.pgConfig }, { schema: parsed.schema });
    const adapter = patchAdapter(await factory.connect());
    if (tolerateUnreachable) tolerateUnreachableProbe(adapter, parsed);
    const pool = adapter.underlyingDriver();
    return track(adapter, () => pool.end().catch(() => {}));
  }

  /** Create an empty database next to the main one, with its own pool. Dropped by `release()`
   * (pool closed first, then `DROP DATABASE ... WITH (FORCE)`). */
  async function createTemporaryShadowDb() {
    const target = mainUrl();
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    const admin = new pg.Client({ ...target.pgConfig });
    admin.on("error", () => {});
    await admin.connect();
    const drop = async () => {
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      } catch (error) {
        if (error?.code !== "42601") throw error; // before PostgreSQL 13: no WITH (FORCE)
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      }
    };
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (error) {
      await admin.end().catch(() => {});
      throw error;
    }
    log("INFO", `Created temporary shadow database ${name}`);
    const pool = new pg.Pool({ ...target.pgConfig, database: name });
    pool.on("error", () => {});
    const release = async () => {
      // Close our own connections first, then drop the database (FORCE ends any stragglers).
      await withTimeout(pool.end().catch(() => {}), 1000);
      try {
        await drop();
        log("INFO", `Dropped temporary shadow database ${name}`);
      } catch (error) {
        log("WARN", `Could not drop temporary shadow database ${name}: ${error.message}`);
      } finally {
        await admin.end().catch(() => {});
      }
    };
    try {
      const { rows } = await pool.query("SELECT current_database() AS db");
      if (rows[0]?.db !== name) {
        throw new Error(
          `The database server at ${target.host}:${target.port} did not connect to the new shadow database ` +
            `(it answered from "${rows[0]?.db}"), so it serves one database only (PGlite does). ` +
            "Set shadowDatabaseUrl (SHADOW_DATABASE_URL) to a second, empty database server.",
        );
      }
    } catch (error) {
      await release();
      throw error;
    }
    return { name, pool, release, busy: false };
  }

  // One temporary shadow database serves every shadow connection of this process (`migrate dev`
  // asks for two or three): CREATE DATABASE costs ~0.1 s, wiping an empty-ish one much less.
  // It is dropped when the process shuts down.
  let spareShadow = null;

  async function connectToTemporaryShadowDb() {
    const target = mainUrl();
    let shadow;
    if (spareShadow && !spareShadow.busy) {
      shadow = spareShadow;
      await wipeDatabase(shadow.pool, "public");
    } else {
      shadow = await createTemporaryShadowDb();
      if (!spareShadow) {
        spareShadow = shadow;
        open.add(() => shadow.release());
      }
    }
    shadow.busy = true;
    const adapter = patchAdapter(await new PrismaPg(shadow.pool, { schema: target.schema }).connect());
    const baseDispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await baseDispose(); // with an external pool: only detaches adapter-pg's listener
      shadow.busy = false;
      if (shadow !== spareShadow) await shadow.release();
    };
    return adapter;
  }

  async function connectToExplicitShadowDb() {
    const shadow = parsePgUrl(datasource.shadowDatabaseUrl);
    if (datasource.url && sameDatabase(shadow, mainUrl())) {
      throw new Error(
        "The shadow database you configured appears to be the same as the main database. " +
          "Please specify another shadow database.",
      );
    }
    const adapter = await connectTo(shadow);
    await wipeDatabase(adapter.underlyingDriver(), shadow.schema);
    return adapter;
  }

  const factory = {
    provider: /** @type {const} */ ("postgres"),
    adapterName: "@prisma/adapter-pg",
    connect: async () => {
      let parsed;
      try {
        parsed = mainUrl();
      } catch (error) {
        return unusableAdapter(error);
      }
      return connectTo(parsed, { tolerateUnreachable: true });
    },
    connectToShadowDb: async () =>
      datasource?.shadowDatabaseUrl ? connectToExplicitShadowDb() : connectToTemporaryShadowDb(),
  };

  return {
    factory: bindMigrationAwareSqlAdapterFactory(factory),
    /** Close every pool and drop every temporary shadow database still open. */
    async dispose() {
      const pending = [...open];
      open.clear();
      await Promise.allSettled(pending.map((run) => run()));
    },
  };
}

/** Drop every non-system schema, then recreate the default one: an empty database again. */
export async function wipeDatabase(pool, schema = "public") {
  const { rows } = await pool.query(
    `SELECT nspname FROM pg_namespace
     WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'`,
  );
  for (const { nspname } of rows) {
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(nspname)} CASCADE`);
  }
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent("public")}`);
  if (schema !== "public") await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  log("INFO", `Wiped shadow database (${rows.length} schema(s) dropped)`);
}
