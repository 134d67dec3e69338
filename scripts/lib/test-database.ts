/**
 * A throw-away database for a test or benchmark run: a new database on the first reachable
 * PostgreSQL server (TEST_DATABASE_ADMIN_URL, else DATABASE_URL's server, else 127.0.0.1:5432), or
 * an embedded PostgreSQL in a temporary folder when none is reachable (or TEST_EMBEDDED_DB=1).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import type { EmbeddedPostgres } from "../embedded-db";
import { checkPostgres, createDatabase, dropDatabase, redactUrl, startEmbeddedPostgresOnFreePort, uniqueDatabaseName, withDatabase } from "./postgres";

export type Database = { url: string; adminUrl: string | null; label: string; cleanup: () => Promise<void> };

export async function provisionDatabase(prefix = "ss_test"): Promise<Database> {
  const candidates = [
    process.env.TEST_DATABASE_ADMIN_URL,
    process.env.DATABASE_URL && withDatabase(process.env.DATABASE_URL, "postgres"),
    "postgresql://postgres@127.0.0.1:5432/postgres",
  ].filter((url): url is string => !!url);

  // TEST_EMBEDDED_DB=1 skips the servers: what a machine without PostgreSQL would run.
  for (const adminUrl of process.env.TEST_EMBEDDED_DB === "1" ? [] : candidates) {
    if (!(await checkPostgres(adminUrl, 3000)).ok) continue;
    const name = uniqueDatabaseName(prefix);
    const url = await createDatabase(adminUrl, name);
    return { url, adminUrl, label: `${redactUrl(url)} (dropped afterwards)`, cleanup: () => dropDatabase(adminUrl, name) };
  }

  // No server anywhere: the embedded one, in a temporary folder, is the test database itself.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ss-test-pglite-"));
  const embedded: EmbeddedPostgres = await startEmbeddedPostgresOnFreePort({ dataDir });
  return {
    url: embedded.url,
    adminUrl: null,
    label: `embedded PostgreSQL (PGlite) at ${embedded.url}, no server was reachable`,
    cleanup: async () => {
      await embedded.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

