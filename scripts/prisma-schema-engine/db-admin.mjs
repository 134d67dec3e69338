// Database-level operations the WASM engine does not offer (it only ever sees a connection
// through its driver adapter): can we connect, create the database, drop it. They back the
// one-shot `cli can-connect-to-database|create-database|drop-database` mode and the
// `createDatabase` JSON-RPC method.

import pg from "pg";
import { parsePgUrl, quoteIdent } from "./pg-config.mjs";
import { fromPgError } from "./errors.mjs";

async function withClient(config, fn) {
  const client = new pg.Client(config);
  // An error event after connect (server closing) must not crash the process.
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connect to a maintenance database on the same server: `postgres`, else `template1`. */
async function withAdminClient(parsed, fn) {
  let lastError;
  for (const database of ["postgres", "template1"]) {
    try {
      return await withClient({ ...parsed.pgConfig, database }, fn);
    } catch (error) {
      // Only fall back when the maintenance database itself is missing or forbidden.
      if (error?.code !== "3D000" && error?.code !== "28000") throw error;
      lastError = error;
    }
  }
  throw lastError;
}

export async function canConnectToDatabase(url) {
  const parsed = parsePgUrl(url);
  try {
    await withClient({ ...parsed.pgConfig }, (client) => client.query("SELECT 1"));
  } catch (error) {
    throw fromPgError(error, parsed);
  }
  return "Connection successful";
}

/** @returns {Promise<string>} the name of the created database */
export async function createDatabase(url) {
  const parsed = parsePgUrl(url);
  try {
    await withAdminClient(parsed, (client) => client.query(`CREATE DATABASE ${quoteIdent(parsed.database)}`));
    if (parsed.schema !== "public") {
      await withClient({ ...parsed.pgConfig }, (client) =>
        client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(parsed.schema)}`),
      );
    }
  } catch (error) {
    throw fromPgError(error, parsed);
  }
  return parsed.database;
}

export async function dropDatabase(url) {
  const parsed = parsePgUrl(url);
  try {
    await withAdminClient(parsed, (client) => client.query(`DROP DATABASE ${quoteIdent(parsed.database)}`));
  } catch (error) {
    throw fromPgError(error, parsed);
  }
}
