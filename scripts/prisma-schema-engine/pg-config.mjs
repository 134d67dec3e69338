// Turns a Prisma PostgreSQL connection string into a `pg` client config.
//
// Why not `{ connectionString }`: node-postgres lets `connectionString` override every other
// field, `database` included, so a config derived from it cannot be pointed at another database
// (the temporary shadow database, the `postgres` admin database). We parse once and hand `pg`
// plain fields instead.

import fs from "node:fs";

/**
 * @typedef {object} ParsedPgUrl
 * @property {import("pg").ClientConfig} pgConfig  fields for `new pg.Pool()` / `new pg.Client()`
 * @property {string} schema   the `?schema=` parameter, default "public"
 * @property {boolean} explicitSchema  whether the URL named a schema
 * @property {string} host     for messages ("host" or the socket directory)
 * @property {number} port
 * @property {string} database
 * @property {string} user
 */

/** @returns {ParsedPgUrl} */
export function parsePgUrl(url) {
  if (typeof url !== "string" || url.trim() === "") {
    throw new Error("No database URL was given (set `datasource.url` in prisma.config.ts).");
  }
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("The database URL is not a valid URL (expected postgresql://user:password@host:port/database).");
  }
  if (parsed.protocol !== "postgresql:" && parsed.protocol !== "postgres:") {
    throw new Error(
      `This schema engine bridge only supports PostgreSQL URLs (postgresql://...), not \`${parsed.protocol}\`. ` +
        "Unset PRISMA_SCHEMA_ENGINE_BINARY to use Prisma's native schema engine for other databases.",
    );
  }
  const params = parsed.searchParams;
  const decode = (value) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  };

  const hostParam = params.get("host");
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  const host = hostParam || decode(hostname) || "localhost";
  const port = parsed.port ? Number(parsed.port) : Number(params.get("port") || 5432);
  const database = decode(parsed.pathname.replace(/^\//, "")) || "postgres";
  const user = decode(parsed.username) || process.env.PGUSER || process.env.USER || "postgres";
  const password = parsed.password ? decode(parsed.password) : undefined;
  const schemaParam = params.get("schema");

  /** @type {import("pg").ClientConfig} */
  const pgConfig = { host, port, database, user };
  if (password !== undefined) pgConfig.password = password;

  const connectTimeout = params.get("connect_timeout");
  // Prisma's default is 5 s; 0 means "no timeout" for both.
  pgConfig.connectionTimeoutMillis = connectTimeout !== null ? Number(connectTimeout) * 1000 : 5000;
  const appName = params.get("application_name");
  if (appName) pgConfig.application_name = appName;
  const options = [];
  if (params.get("options")) options.push(params.get("options"));
  if (schemaParam) options.push(`-c search_path=${escapeOption(quoteIdent(schemaParam))}`);
  if (options.length > 0) pgConfig.options = options.join(" ");

  const ssl = sslConfig(params);
  if (ssl !== undefined) pgConfig.ssl = ssl;

  return {
    pgConfig,
    schema: schemaParam || "public",
    explicitSchema: Boolean(schemaParam),
    host,
    port,
    database,
    user,
  };
}

function sslConfig(params) {
  const mode = params.get("sslmode");
  if (!mode || mode === "disable" || mode === "prefer" || mode === "allow") return undefined;
  /** @type {import("tls").ConnectionOptions} */
  const ssl = {};
  // `require` encrypts without verifying the certificate, like libpq and Prisma's engine.
  ssl.rejectUnauthorized = mode === "verify-ca" || mode === "verify-full";
  if (params.get("sslaccept") === "accept_invalid_certs") ssl.rejectUnauthorized = false;
  const readIfSet = (name) => (params.get(name) ? fs.readFileSync(params.get(name)) : undefined);
  const ca = readIfSet("sslrootcert");
  const cert = readIfSet("sslcert");
  const key = readIfSet("sslkey");
  if (ca) ssl.ca = ca;
  if (cert) ssl.cert = cert;
  if (key) ssl.key = key;
  return ssl;
}

export function quoteIdent(name) {
  return `"${String(name).replaceAll('"', '""')}"`;
}

/** Backslash-escape spaces and backslashes for the libpq `options` startup parameter. */
function escapeOption(value) {
  return value.replace(/[\\ ]/g, (c) => `\\${c}`);
}

/** "host:port", as Prisma's error messages print it. */
export function describeServer(parsed) {
  return `${parsed.host}:${parsed.port}`;
}

/** Whether two parsed URLs name the same database on the same server. */
export function sameDatabase(a, b) {
  const norm = (h) => (h === "localhost" || h === "::1" ? "127.0.0.1" : h);
  return norm(a.host) === norm(b.host) && a.port === b.port && a.database === b.database;
}
