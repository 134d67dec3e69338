/**
 * A local runner in its own process, for the SIGKILL test (tests/integration/jobs.test.ts).
 * Run with: node --conditions=react-server --import tsx tests/integration/helpers/runner-child.ts
 */
import { startLocalRunner } from "~/server/jobs/local/runner";
import { testFunctions } from "./job-functions";

const runner = await startLocalRunner({ functions: testFunctions, cron: false, pollIntervalMs: 100, retryDelay: () => 150, concurrency: 5 });
await runner.ready;
process.stdout.write("runner-ready\n");
// Stay up until killed.
setInterval(() => undefined, 60_000);
