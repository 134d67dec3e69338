/**
 * Starts the local runner inside the Next.js server process (`next dev`, `next start`) when no
 * Inngest server is configured, and stops it cleanly on SIGTERM/SIGINT: no new jobs are taken,
 * steps in progress may finish (bounded), the queue is released. Anything cut short runs again on
 * the next start — every step is at-least-once, as with Inngest.
 */
import { env } from "~/env";
import { logger } from "~/server/lib/logger";
import { jobsMode } from "../mode";
import { startLocalRunner, type LocalRunner } from "./runner";

const globalForRunner = globalThis as unknown as { localJobsRunner?: Promise<LocalRunner | null> };

export function registerLocalRunner(): Promise<LocalRunner | null> {
  // Dev reloads re-run instrumentation: keep one runner per process.
  globalForRunner.localJobsRunner ??= start();
  return globalForRunner.localJobsRunner;
}

async function start(): Promise<LocalRunner | null> {
  if (jobsMode !== "local" || !env.JOBS_LOCAL_RUNNER) return null;
  const log = logger.child({ component: "local-jobs-runner" });
  let runner: LocalRunner;
  try {
    runner = await startLocalRunner();
  } catch (error) {
    // The web app must still serve pages; jobs wait in PostgreSQL for the next start.
    log.error({ err: error }, "local jobs runner failed to start; background functions will not run in this process");
    return null;
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void runner.stop().finally(() => {
        // If nothing else (e.g. Next.js) handles the signal, exit as the default handler would.
        if (process.listenerCount(signal) === 0) process.exit(0);
      });
    });
  }
  return runner;
}
