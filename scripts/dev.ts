/**
 * `npm run dev`: database, migrations, demo data and the Next.js dev server in one command.
 *
 *  1. Loads .env / .env.local (like Next.js does).
 *  2. DATABASE_URL set → that server (checked first). Unset → an embedded PostgreSQL (PGlite) with
 *     its data in .data/pglite on EMBEDDED_DB_PORT (default 54329), and an in-memory shadow
 *     database on the next port for `prisma migrate dev` (started on its first connection).
 *  3. `prisma generate` when the client is missing or older than the schema, `prisma migrate
 *     deploy`, `prisma/seed.ts` (idempotent; prints the demo login), then `next dev` on PORT
 *     (default 3000), and a banner once it answers.
 *  Ctrl-C / SIGTERM stops the children (their whole process groups), then the embedded database.
 *  A failing step stops everything and exits non-zero.
 */
import nextEnv from "@next/env";
import fs from "node:fs";
import path from "node:path";
import { DEFAULT_DATA_DIR, DEFAULT_EMBEDDED_PORT, PortInUseError, startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-db";
import { checkPostgres, redactUrl } from "./lib/postgres";
import { isPortFree, nodeBin, run, spawnLongRunning, stopAllChildren, waitForPort, type ManagedChild } from "./lib/process";

const root = path.resolve(import.meta.dirname, "..");
const databases: EmbeddedPostgres[] = [];
let shuttingDown: Promise<never> | null = null;

class SetupError extends Error {}

function portFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0 || value > 65535) throw new SetupError(`${name}=${process.env[name]} is not a valid port.`);
  return value;
}

/** Stop children first, then the embedded databases; then exit. Idempotent. */
function shutdown(exitCode: number, reason?: string): Promise<never> {
  return (shuttingDown ??= (async () => {
    if (reason) console.error(`\n${exitCode === 0 ? "" : "✖ "}${reason}`);
    await stopAllChildren(5000);
    await Promise.allSettled(databases.map((db) => db.stop()));
    process.exit(exitCode);
  })());
}

let firstSignalAt = 0;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (firstSignalAt === 0) {
      firstSignalAt = Date.now();
      void shutdown(0, `${signal}: stopping… (press Ctrl-C again to force)`);
    } else if (Date.now() - firstSignalAt > 1000) {
      // (Within a second it is the same Ctrl-C relayed by npm, not a second press.)
      console.error(`\n${signal} again: exiting now.`); // the "exit" hook SIGKILLs the children
      process.exit(1);
    }
  });
}

async function setUpDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) {
    const url = process.env.DATABASE_URL;
    const check = await checkPostgres(url, 5000);
    if (!check.ok) {
      throw new SetupError(
        `DATABASE_URL (${redactUrl(url)}) is not reachable: ${check.error}\n` +
          `  Start that PostgreSQL, or remove DATABASE_URL from your environment/.env to use the embedded database.`,
      );
    }
    return `PostgreSQL at ${redactUrl(url)} (DATABASE_URL)`;
  }

  const port = portFromEnv("EMBEDDED_DB_PORT", DEFAULT_EMBEDDED_PORT);
  const main = await startEmbeddedPostgres({ dataDir: path.join(root, DEFAULT_DATA_DIR), port });
  databases.push(main);
  process.env.DATABASE_URL = main.url;
  let label = `embedded PostgreSQL (PGlite), data in ${DEFAULT_DATA_DIR} — ${main.url} (ready in ${main.startupMs} ms)`;
  if (!process.env.SHADOW_DATABASE_URL) {
    try {
      const shadow = await startEmbeddedPostgres({ dataDir: null, port: port + 1, lazy: true });
      databases.push(shadow);
      process.env.SHADOW_DATABASE_URL = shadow.url;
      label += `\n             shadow (prisma migrate dev): ${shadow.url}, in memory`;
    } catch (error) {
      if (!(error instanceof PortInUseError)) throw error;
      console.warn(`⚠ No shadow database for \`prisma migrate dev\`: port ${port + 1} (EMBEDDED_DB_PORT + 1) is in use.`);
    }
  }
  return label;
}

/** Regenerate the Prisma client when it is missing or older than the schema (fresh clones, pulls). */
async function generateClientIfStale(prisma: [string, string]) {
  const schema = path.join(root, "prisma/schema.prisma");
  const client = path.join(root, "src/generated/prisma/client.ts");
  if (!fs.existsSync(schema)) return;
  if (fs.existsSync(client) && fs.statSync(client).mtimeMs >= fs.statSync(schema).mtimeMs) return;
  console.log("\n▸ prisma generate (client missing or older than the schema)");
  await run(prisma[0], [prisma[1], "generate"], { cwd: root, label: "prisma generate" });
}

/** Lines of the seed's output worth repeating in the banner. */
function demoLoginLines(seedOutput: string): string[] {
  return seedOutput
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /demo|login|e-?mail|password|senha|usu[aá]rio/i.test(line));
}

async function main() {
  nextEnv.loadEnvConfig(root, true);
  // Next.js would otherwise spawn a detached telemetry process on exit (and try the network).
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  const appPort = portFromEnv("PORT", 3000);
  // The app calls its own built-in sandboxes and builds links from APP_URL: on another port the
  // default (http://localhost:3000) would point at nothing.
  process.env.APP_URL ??= `http://localhost:${appPort}`;
  if (!(await isPortFree(appPort))) {
    throw new SetupError(`Port ${appPort} is already in use (another dev server?). Stop it or set PORT=<free port>.`);
  }

  const databaseLabel = await setUpDatabase();
  const prisma = nodeBin("prisma", "prisma", root);
  await generateClientIfStale(prisma);

  console.log("\n▸ prisma migrate deploy");
  await run(prisma[0], [prisma[1], "migrate", "deploy"], { cwd: root, label: "prisma migrate deploy" });

  let loginLines: string[] = [];
  const seed = path.join(root, "prisma/seed.ts");
  if (fs.existsSync(seed)) {
    console.log("\n▸ seed (prisma/seed.ts)");
    const output = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", seed], { cwd: root, label: "prisma/seed.ts", captureStdout: true });
    loginLines = demoLoginLines(output);
  } else {
    console.warn("\n⚠ prisma/seed.ts not found: skipping demo data.");
  }

  console.log(`\n▸ next dev --port ${appPort}`);
  const next = nodeBin("next", "next", root);
  const server: ManagedChild = spawnLongRunning(next[0], [next[1], "dev", "--port", String(appPort)], {
    cwd: root,
    label: "next dev",
  });
  void server.exited.then((exit) => {
    if (shuttingDown) return;
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    void shutdown(exit.code === 0 ? 0 : 1, `next dev ${how}.`);
  });

  await waitForPort(appPort, "localhost", 120_000, server.exited);
  const rule = "─".repeat(72);
  console.log(
    [
      "",
      rule,
      `  Super Seller is running: http://localhost:${appPort}`,
      `  Database:  ${databaseLabel}`,
      ...(loginLines.length > 0
        ? [`  Demo login:`, ...loginLines.map((line) => `    ${line}`)]
        : [`  Demo login: ${fs.existsSync(seed) ? "see the seed output above" : "none (no prisma/seed.ts)"}`]),
      `  Stop:      Ctrl-C`,
      rule,
      "",
    ].join("\n"),
  );
}

main().catch((error: unknown) => {
  if (shuttingDown) return; // a signal interrupted a step; shutdown is already under way
  const message = error instanceof Error ? error.message : String(error);
  void shutdown(1, `${message}\n  Everything started by the dev runner has been stopped.`);
});
