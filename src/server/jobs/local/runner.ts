/**
 * The local runner: executes the app's Inngest functions where no Inngest server exists.
 *
 * One runner per database processes jobs (the "leader", elected with a PostgreSQL advisory lock
 * held on a dedicated connection); other processes that start one wait as standbys and take over
 * within `standbyRetryMs` if the leader goes away. Because only the leader works, a job still
 * locked when a new leader starts belonged to a runner that died without releasing it (SIGKILL,
 * power loss): the new leader unlocks those at once instead of waiting for graphile-worker's
 * 4-hour lock timeout. Any process can still *send* events: they are rows in PostgreSQL.
 */
import type { Inngest, InngestFunction } from "inngest";
import pg from "pg";

import { env } from "~/env";
import { db as defaultDb, type Db } from "~/server/db";
import { logger } from "~/server/lib/logger";
import { inngest, INNGEST_APP_ID } from "../client";
import { functions as appFunctions } from "../functions";
import { startCronTicker, type CronTicker } from "./cron";
import { createEngine, defaultRetryDelay, type RetryDelay } from "./engine";
import { ensureQueueSchema, graphileLogger, QUEUE_SCHEMA, TASK, type EventJobPayload, type RunJobPayload } from "./queue";
import { buildRegistry } from "./registry";

/** Arbitrary but fixed: the advisory lock that makes one process the runner of a database. */
const LEADER_LOCK_KEY = 7_215_003_117;

export type LocalRunnerOptions = {
  /** Functions to run (default: the app's list). */
  functions?: InngestFunction.Any[];
  client?: Inngest.Any;
  databaseUrl?: string;
  db?: Db;
  /** Jobs processed at once (default JOBS_CONCURRENCY). */
  concurrency?: number;
  /** How often future jobs (delays, retries, sleeps) are looked for, in ms (default 1000). */
  pollIntervalMs?: number;
  /** Delay before retry number n (default exponential from 10 s, with jitter, capped at 1 h). */
  retryDelay?: RetryDelay;
  /** Fire cron triggers (default true). */
  cron?: boolean;
  cronIntervalMs?: number;
  cronBackfillMs?: number;
  /** How often a standby tries to become the runner (default 5000 ms). */
  standbyRetryMs?: number;
  /** How long stop() waits for steps in progress before letting go (default 15 s). */
  shutdownTimeoutMs?: number;
};

export type LocalRunner = {
  /** Resolves once this process is the runner and processing jobs. */
  readonly ready: Promise<void>;
  isLeader(): boolean;
  /** Stops taking jobs, waits for the ones in progress (bounded), releases the database. */
  stop(): Promise<void>;
};

export async function startLocalRunner(options: LocalRunnerOptions = {}): Promise<LocalRunner> {
  const log = logger.child({ component: "local-jobs-runner" });
  const databaseUrl = options.databaseUrl ?? env.DATABASE_URL;
  const functions = options.functions ?? appFunctions;
  const client = options.client ?? inngest;
  const registry = buildRegistry(client.id ?? INNGEST_APP_ID, functions);
  for (const fn of registry.byId.values()) {
    if (fn.ignoredOptions.length > 0) {
      log.warn({ functionId: fn.id, ignored: fn.ignoredOptions }, "options not enforced by the local runner (see docs/background-jobs.md)");
    }
  }
  const engine = createEngine({
    client,
    functions,
    registry,
    db: options.db ?? defaultDb,
    log,
    retryDelay: options.retryDelay ?? defaultRetryDelay(),
  });

  await ensureQueueSchema(databaseUrl);
  const graphile = await import("graphile-worker");

  let stopped = false;
  let leaderClient: pg.Client | null = null;
  let worker: Awaited<ReturnType<typeof graphile.run>> | null = null;
  let ticker: CronTicker | null = null;
  let standbyTimer: NodeJS.Timeout | null = null;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  async function becomeLeader(): Promise<boolean> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: "super-seller local jobs runner" });
    client.on("error", (error) => {
      // The lock went with the connection: stop working and compete again.
      log.error({ err: error }, "runner lost its database connection; stepping down");
      void stepDown().then(() => scheduleStandby());
    });
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [LEADER_LOCK_KEY]);
    if (!rows[0]?.ok) {
      await client.end();
      return false;
    }
    leaderClient = client;
    // Only the leader works, so whatever is still locked was left by a runner that died.
    const orphans = await client.query<{ locked_by: string }>(
      `SELECT DISTINCT locked_by FROM ${QUEUE_SCHEMA}.jobs WHERE locked_by IS NOT NULL`,
    );
    if (orphans.rows.length > 0) {
      const ids = orphans.rows.map((r) => r.locked_by);
      await client.query(`SELECT ${QUEUE_SCHEMA}.force_unlock_workers($1::text[])`, [ids]);
      log.warn({ workers: ids }, "released jobs left locked by a runner that stopped abruptly");
    }
    worker = await graphile.run({
      connectionString: databaseUrl,
      schema: QUEUE_SCHEMA,
      concurrency: options.concurrency ?? env.JOBS_CONCURRENCY,
      pollInterval: options.pollIntervalMs ?? 1000,
      // Named prepared statements belong to a session; the embedded PostgreSQL (PGlite) serves every
      // connection from one session, where a second worker connection's PREPARE collides with the
      // first and the queue silently stops. Unnamed statements cost little here.
      noPreparedStatements: true,
      noHandleSignals: true,
      logger: graphileLogger(graphile.Logger),
      taskList: {
        [TASK.event]: async (payload) => engine.handleEvent(payload as EventJobPayload),
        [TASK.run]: async (payload) => engine.handleRun(payload as RunJobPayload),
      },
    });
    if (options.cron !== false) {
      ticker = await startCronTicker({
        db: options.db ?? defaultDb,
        registry,
        engine,
        log,
        intervalMs: options.cronIntervalMs ?? 15_000,
        backfillMs: options.cronBackfillMs ?? 24 * 3_600_000,
      });
    }
    log.info({ functions: [...registry.byId.keys()] }, "local jobs runner started");
    markReady();
    return true;
  }

  async function stepDown() {
    ticker?.stop();
    ticker = null;
    const running = worker;
    worker = null;
    if (running) {
      const timeout = options.shutdownTimeoutMs ?? 15_000;
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        running.stop().then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeout))),
      ]).catch((error: unknown) => {
        log.error({ err: error }, "error while stopping the queue worker");
        return true;
      });
      clearTimeout(timer);
      if (!finished) log.warn({ timeoutMs: timeout }, "steps still running at shutdown; they will run again on the next start");
    }
    const held = leaderClient;
    leaderClient = null;
    if (held) {
      held.removeAllListeners("error");
      held.on("error", () => undefined);
      await held.end().catch(() => undefined);
    }
  }

  function scheduleStandby() {
    if (stopped || standbyTimer) return;
    standbyTimer = setTimeout(() => {
      standbyTimer = null;
      void attempt();
    }, options.standbyRetryMs ?? 5000);
    standbyTimer.unref();
  }

  async function attempt() {
    if (stopped) return;
    try {
      if (!(await becomeLeader())) {
        log.debug("another process runs the jobs of this database; standing by");
        scheduleStandby();
      }
    } catch (error) {
      log.error({ err: error }, "local jobs runner could not start; retrying");
      await stepDown().catch(() => undefined);
      scheduleStandby();
    }
  }

  await attempt();

  return {
    ready,
    isLeader: () => leaderClient !== null,
    async stop() {
      stopped = true;
      if (standbyTimer) clearTimeout(standbyTimer);
      standbyTimer = null;
      await stepDown();
      log.info("local jobs runner stopped");
    },
  };
}
