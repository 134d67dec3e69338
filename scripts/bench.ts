/**
 * `npm run bench`: the benchmarks in bench/ against a throw-away, migrated database (the same
 * provisioning as `npm test`). Figures are printed and written to docs/benchmarks/<name>.json;
 * docs/benchmarks.md interprets them. Pass a file filter to run one: `npm run bench -- listings`.
 */
import path from "node:path";

import { nodeBin, run, stopAllChildren } from "./lib/process";
import { provisionDatabase } from "./lib/test-database";

const root = path.resolve(import.meta.dirname, "..");

async function main() {
  const database = await provisionDatabase("ss_bench");
  console.log(`Bench database: ${database.label}`);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: "silent", NODE_ENV: "test" };
  try {
    const prisma = nodeBin("prisma", "prisma", root);
    await run(prisma[0], [prisma[1], "migrate", "deploy"], { cwd: root, env, label: "prisma migrate deploy" });
    const vitest = nodeBin("vitest", "vitest", root);
    await run(vitest[0], [vitest[1], "run", "--project", "bench", ...process.argv.slice(2)], { cwd: root, env, label: "vitest bench" });
  } finally {
    await stopAllChildren(5000);
    await database.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
