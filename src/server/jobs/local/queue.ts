/**
 * The durable queue under the local runner: graphile-worker 0.16 (Node ≥ 14; 0.18 needs Node 22)
 * in its own PostgreSQL schema, `graphile_worker`. Prisma manages the `public` schema only, so the
 * queue's tables never show up as migration drift.
 *
 * Why graphile-worker: jobs in the same named queue run one at a time (per-key concurrency 1 with
 * no polling or leases of our own), `run_at` schedules future work, LISTEN/NOTIFY picks new jobs
 * up at once, and `graphile_worker.add_job()` is plain SQL, so a run's state change and its next
 * queue message commit in one transaction.
 */
import type { Logger as GraphileLogger } from "graphile-worker";

import { env } from "~/env";
import { logger } from "~/server/lib/logger";

export const QUEUE_SCHEMA = "graphile_worker";

/** Queue task names. */
export const TASK = {
  /** An event was sent: start a run of every function it triggers. */
  event: "ss.inngest.event",
  /** Advance one run by one SDK call (one step). */
  run: "ss.inngest.run",
} as const;

export type EventJobPayload = { event: StoredEvent };
export type RunJobPayload = { runId: string; version: number };

/** An event as the SDK sends it, with the id and timestamp filled in. */
export type StoredEvent = {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
  v?: string;
  user?: Record<string, unknown>;
};

let migrated: Promise<void> | null = null;

/** Installs or upgrades the queue's schema once per process (idempotent, safe under concurrency). */
export function ensureQueueSchema(connectionString: string = env.DATABASE_URL): Promise<void> {
  migrated ??= import("graphile-worker")
    .then(async ({ runMigrations, Logger }) => {
      await runMigrations({ connectionString, schema: QUEUE_SCHEMA, logger: graphileLogger(Logger) });
    })
    .catch((error: unknown) => {
      migrated = null; // let the next call try again (e.g. the database was still starting)
      throw error;
    });
  return migrated;
}

type GraphileLoggerClass = typeof GraphileLogger;

/** graphile-worker's log lines, through the app's logger (its debug chatter stays at debug). */
export function graphileLogger(LoggerClass: GraphileLoggerClass) {
  const log = logger.child({ component: "graphile-worker" });
  return new LoggerClass((scope) => (level, message, meta) => {
    const fields = { ...scope, ...(meta ?? {}) };
    if (level === "error") log.error(fields, message);
    else if (level === "warning") log.warn(fields, message);
    else if (level === "info") log.debug(fields, message);
    else log.trace(fields, message);
  });
}
