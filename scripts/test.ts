/**
 * `npm test`: every test against real parts, on any machine.
 *
 *  1. Finds a PostgreSQL server: TEST_DATABASE_ADMIN_URL, else DATABASE_URL's server, else
 *     127.0.0.1:5432 — and creates a throw-away database there. With none reachable it starts an
 *     embedded PostgreSQL (PGlite) in a temporary folder instead.
 *     A Redis for the shared rate-limit tests: TEST_REDIS_URL, else 127.0.0.1:6379, else a
 *     throw-away redis-server (scripts/lib/test-redis.ts).
 *  2. Applies the migrations (`prisma migrate deploy`, offline through the engine bridge).
 *  3. vitest: unit + integration projects.
 *  4. `next build` into .next-test, then Playwright (Debian's Chromium) against `next start`.
 *  5. Prints one closing line `N passed, N failed, N skipped`, drops the database, and exits
 *     non-zero if anything failed.
 *
 *  Flags: --no-e2e (skip step 4), --only=unit|integration|e2e. TEST_EMBEDDED_DB=1 forces the
 *  embedded database even when a server is reachable.
 */
import fs from "node:fs";
import path from "node:path";

import { formatFindings, literalPatterns, PATTERNS, scanPaths } from "./lib/leak-scan";
import { CommandFailedError, nodeBin, run, stopAllChildren } from "./lib/process";
import { provisionDatabase } from "./lib/test-database";
import { provisionRedis } from "./lib/test-redis";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "test-results");
const args = new Set(process.argv.slice(2));
const only = [...args].find((a) => a.startsWith("--only="))?.slice("--only=".length);
// Every log line (LOG_FILE) and recorded response (LEAK_SCAN_DIR) of the run, for the secret-leak scan.
const leakDir = path.join(resultsDir, "leak-scan");
const wants = (part: "unit" | "integration" | "e2e") => (only ? only === part : part !== "e2e" || !args.has("--no-e2e"));

// Fixed test-only secrets: `next start` runs in production mode, which requires real values.
const TEST_ENV = {
  AUTH_SECRET: "test-only-auth-secret-0123456789abcdefghijklmnop",
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  NEXT_TELEMETRY_DISABLED: "1",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
};

type Counts = { passed: number; failed: number; skipped: number };
const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];

function addVitest(file: string) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
}

function addPlaywright(file: string) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8")) as {
    stats: { expected: number; unexpected: number; skipped: number; flaky: number };
  };
  totals.passed += report.stats.expected + report.stats.flaky;
  totals.failed += report.stats.unexpected;
  totals.skipped += report.stats.skipped;
}

let interrupted = false;

async function step(name: string, fn: () => Promise<unknown>) {
  if (interrupted) return;
  console.log(`\n▸ ${name}`);
  try {
    await fn();
  } catch (error) {
    failures.push(name);
    console.error(`✖ ${name}: ${error instanceof CommandFailedError ? error.message : String(error)}`);
  }
}

async function main() {
  fs.mkdirSync(resultsDir, { recursive: true });
  const database = await provisionDatabase();
  console.log(`Test database: ${database.label}`);
  const redis = await provisionRedis();
  console.log(`Test Redis: ${redis?.label ?? "none found (the Redis rate-limit tests will fail: install redis-server or set TEST_REDIS_URL)"}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...TEST_ENV,
    DATABASE_URL: database.url,
    ...(redis ? { TEST_REDIS_URL: redis.url } : {}),
    ...(database.adminUrl ? { TEST_DATABASE_ADMIN_URL: database.adminUrl } : {}),
  };
  // The embedded server cannot create databases: tests that need their own skip (and say so).
  if (!database.adminUrl) delete env.TEST_DATABASE_ADMIN_URL;

  fs.rmSync(leakDir, { recursive: true, force: true });
  fs.mkdirSync(leakDir, { recursive: true });
  // debug: the scan sees everything the code logs; the run's cost was measured (see docs/security.md).
  env.LOG_FILE_LEVEL = "debug";
  env.LEAK_SCAN_DIR = leakDir;

  const cleanups: (() => Promise<void>)[] = [];
  const prisma = nodeBin("prisma", "prisma", root);
  try {
    await run(prisma[0], [prisma[1], "migrate", "deploy"], { cwd: root, env, label: "prisma migrate deploy" });

    const vitest = nodeBin("vitest", "vitest", root);
    for (const project of ["unit", "integration"] as const) {
      if (!wants(project)) continue;
      const report = path.join(resultsDir, `vitest-${project}.json`);
      fs.rmSync(report, { force: true });
      await step(`vitest (${project})`, () =>
        run(vitest[0], [vitest[1], "run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile=${report}`], {
          cwd: root,
          env: { ...env, NODE_ENV: "test", LOG_FILE: path.join(leakDir, `vitest-${project}.log`) },
          label: `vitest ${project}`,
        }),
      );
      addVitest(report);
    }

    if (wants("e2e") && !interrupted) {
      // A database of its own: the app under test runs the background-job queue, which must not
      // pick up what the integration tests left queued (their sandboxes are gone).
      const e2eDatabase = await provisionDatabase("ss_e2e");
      cleanups.push(e2eDatabase.cleanup);
      // A production build (next start) serves the provider sandboxes only when asked: the journeys use them.
      const e2eEnv: NodeJS.ProcessEnv = { ...env, DATABASE_URL: e2eDatabase.url, NODE_ENV: "production", NEXT_DIST_DIR: ".next-test", ENABLE_SANDBOXES: "1", LOG_FILE: path.join(leakDir, "e2e-server.log") };
      await run(prisma[0], [prisma[1], "migrate", "deploy"], { cwd: root, env: e2eEnv, label: "prisma migrate deploy (e2e)" });
      // The demo organization a new user gets from `npm run dev` (scored listings, pending actions):
      // the journeys on it sign in as the demo user. APP_URL is the server Playwright starts, whose
      // sandbox must accept the tokens the seed stores.
      await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "prisma/seed.ts"], {
        cwd: root,
        env: { ...e2eEnv, APP_URL: process.env.E2E_BASE_URL ?? "http://localhost:3100" },
        label: "prisma/seed.ts (e2e)",
      });
      const next = nodeBin("next", "next", root);
      const built = await run(next[0], [next[1], "build"], { cwd: root, env: e2eEnv, label: "next build" }).then(
        () => true,
        (error: unknown) => {
          failures.push("next build");
          console.error(`✖ next build: ${String(error)}`);
          return false;
        },
      );
      if (built && !interrupted) {
        const report = path.join(resultsDir, "playwright.json");
        fs.rmSync(report, { force: true });
        const playwright = nodeBin("@playwright/test", "playwright", root);
        await step("playwright (e2e)", () =>
          run(playwright[0], [playwright[1], "test", "--reporter=list,json"], {
            cwd: root,
            env: { ...e2eEnv, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
            label: "playwright test",
          }),
        );
        addPlaywright(report);
      }
    }
  } finally {
    await stopAllChildren(5000);
    for (const cleanup of [database.cleanup, ...cleanups]) {
      await cleanup().catch((error: unknown) => console.error(`Could not clean up a test database: ${String(error)}`));
    }
  }

  if (interrupted) process.exit(130);
  leakScan(env);
  console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  if (failures.length > 0 || totals.failed > 0) {
    console.error(`Failed steps: ${failures.join(", ") || "(see failed tests above)"}`);
    process.exit(1);
  }
  if (totals.passed === 0) {
    console.error("No test ran.");
    process.exit(1);
  }
}

/** Fails the run when a log line or a response of the run holds a secret (printed masked). */
function leakScan(env: NodeJS.ProcessEnv) {
  const secrets = Object.fromEntries(
    Object.entries(env).filter(([name]) => /^(AUTH_SECRET|TOKEN_ENCRYPTION_KEY\w*|STRIPE_\w*(SECRET|KEY)\w*|\w+_CLIENT_SECRET)$/.test(name)),
  );
  // The seeded demo login (prisma/seed.ts DEMO_PASSWORD) and the fixtures' test password.
  secrets.DEMO_PASSWORD = "Demo#SuperSeller2026";
  secrets.FIXTURE_PASSWORD = "correct horse battery staple 9";
  const result = scanPaths([leakDir], [...PATTERNS, ...literalPatterns(secrets)]);
  console.log(`\n▸ leak scan: ${result.files} files, ${result.lines} lines, ${result.responses} responses, ${result.findings.length} findings`);
  if (result.findings.length > 0) {
    for (const finding of formatFindings(result).slice(0, 50)) console.error(`  ✖ ${finding}`);
    failures.push(`leak scan (${result.findings.length} findings)`);
  }
}

// First signal: stop the children; main() then falls through to dropping the database.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.error(`\n${signal}: stopping the test run, then removing the test database…`);
    void stopAllChildren(3000);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
