/**
 * Background functions: runs of the local runner, its queue messages, and the maintenance
 * queries the purge function needs. Tenant reads take the organization id as a required argument;
 * the runner's own reads are by run id (it serves every tenant, like the Inngest server does).
 */
import type { DbOrTx } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import type { JobRunStatus } from "~/generated/prisma/enums";
import { paginate } from "./pagination";

// ─── Runs ────────────────────────────────────────────────────────────────────────────────

export type NewJobRun = {
  functionId: string;
  eventName: string;
  eventId: string;
  event: Prisma.InputJsonObject;
  organizationId: string | null;
  userId: string | null;
  correlationId: string | null;
  maxAttempts: number;
  queueName: string | null;
  runAt: Date;
  state: Prisma.InputJsonObject;
};

/** Inserts the runs that do not exist yet ((functionId, eventId) is unique) and returns those. */
export function createRunsIfAbsent(db: DbOrTx, runs: NewJobRun[]) {
  if (runs.length === 0) return Promise.resolve([]);
  return db.jobRun.createManyAndReturn({
    data: runs,
    skipDuplicates: true,
    select: { id: true, functionId: true, version: true, queueName: true, runAt: true },
  });
}

export function findRun(db: DbOrTx, id: string) {
  return db.jobRun.findUnique({ where: { id } });
}

export type JobRunRow = NonNullable<Awaited<ReturnType<typeof findRun>>>;

/** Marks a run as executing without changing its version (no queue message depends on it). */
export function markRunExecuting(db: DbOrTx, id: string, version: number, now: Date) {
  return db.$executeRaw`
    UPDATE job_runs
       SET status = 'RUNNING', started_at = COALESCE(started_at, ${now}), updated_at = ${now}
     WHERE id = ${id} AND version = ${version}`;
}

export type RunTransition = {
  status: JobRunStatus;
  state: Prisma.InputJsonObject;
  attempts: number;
  error: string | null;
  output?: Prisma.InputJsonValue;
  finishedAt?: Date | null;
  startedAt?: Date | null;
  runAt?: Date;
};

/**
 * Moves a run to its next state if nobody else did since `expectedVersion` was read (optimistic
 * lock). Returns false when the run changed meanwhile: the caller then drops its result.
 */
export async function transitionRun(db: DbOrTx, id: string, expectedVersion: number, data: RunTransition) {
  const { count } = await db.jobRun.updateMany({
    where: { id, version: expectedVersion },
    data: { ...data, version: { increment: 1 } },
  });
  return count === 1;
}

export function latestRunOfFunction(db: DbOrTx, functionId: string, eventName: string) {
  return db.jobRun.findFirst({
    where: { functionId, eventName },
    orderBy: { runAt: "desc" },
    select: { runAt: true },
  });
}

const runListFields = {
  id: true,
  functionId: true,
  eventName: true,
  status: true,
  attempts: true,
  maxAttempts: true,
  error: true,
  runAt: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
} as const;

/** Newest first, keyset-paginated; only this organization's runs (never system-wide ones). */
export async function listRunsOfOrganization(
  db: DbOrTx,
  organizationId: string,
  page: { limit: number; cursor?: string; status?: JobRunStatus },
) {
  const rows = await db.jobRun.findMany({
    where: { organizationId, ...(page.status ? { status: page.status } : {}) },
    select: runListFields,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  return paginate(rows, page.limit);
}

export function findRunOfOrganization(db: DbOrTx, organizationId: string, id: string) {
  return db.jobRun.findFirst({ where: { id, organizationId } });
}

/** Finished runs older than `before` (their payloads may hold personal data: keep them briefly). */
export function deleteFinishedRunsBefore(db: DbOrTx, before: Date) {
  return db.jobRun
    .deleteMany({ where: { status: { in: ["COMPLETED", "FAILED"] }, finishedAt: { lt: before } } })
    .then((r) => r.count);
}

export function organizationExists(db: DbOrTx, organizationId: string) {
  return db.organization.count({ where: { id: organizationId } }).then((n) => n > 0);
}

// ─── Queue messages (graphile-worker, schema `graphile_worker`) ────────────────────────────

export type QueueJob = {
  task: string;
  payload: Record<string, unknown>;
  /** Jobs sharing a queue name run one at a time. */
  queueName?: string | null;
  runAt?: Date | null;
  /** While a job with this key is waiting or running, adding another one is a no-op. */
  dedupeKey?: string | null;
  maxAttempts?: number;
  /** Among jobs due, lower runs first (graphile-worker's priority; default 0). */
  priority?: number;
};

/** Adds a queue message; inside a transaction it is committed (or not) with the rest. */
export function enqueueJob(db: DbOrTx, job: QueueJob) {
  return db.$executeRaw`
    SELECT graphile_worker.add_job(
      ${job.task}::text,
      payload => ${JSON.stringify(job.payload)}::json,
      queue_name => ${job.queueName ?? null}::text,
      run_at => ${job.runAt ?? null}::timestamptz,
      max_attempts => ${job.maxAttempts ?? 25}::int,
      job_key => ${job.dedupeKey ?? null}::text,
      priority => ${job.priority ?? 0}::int,
      job_key_mode => ${job.dedupeKey ? "unsafe_dedupe" : "replace"}::text
    )`;
}

/**
 * Adds many queue messages in one round trip (one add_job per row, evaluated in the database):
 * what a dispatcher sending thousands of events at once needs. Same semantics as enqueueJob.
 */
export function enqueueJobs(db: DbOrTx, jobs: QueueJob[]) {
  if (jobs.length === 0) return Promise.resolve(0);
  const tasks = jobs.map((j) => j.task);
  const payloads = jobs.map((j) => JSON.stringify(j.payload));
  const queues = jobs.map((j) => j.queueName ?? null);
  const runAts = jobs.map((j) => j.runAt ?? null);
  const attempts = jobs.map((j) => j.maxAttempts ?? 25);
  const keys = jobs.map((j) => j.dedupeKey ?? null);
  const priorities = jobs.map((j) => j.priority ?? 0);
  return db.$executeRaw`
    SELECT graphile_worker.add_job(
      t.task,
      payload => t.payload::json,
      queue_name => t.queue_name,
      run_at => t.run_at,
      max_attempts => t.max_attempts,
      job_key => t.job_key,
      priority => t.priority,
      job_key_mode => CASE WHEN t.job_key IS NULL THEN 'replace' ELSE 'unsafe_dedupe' END
    )
    FROM unnest(${tasks}::text[], ${payloads}::text[], ${queues}::text[], ${runAts}::timestamptz[], ${attempts}::int[], ${keys}::text[], ${priorities}::int[])
      WITH ORDINALITY AS t(task, payload, queue_name, run_at, max_attempts, job_key, priority, n)
    ORDER BY t.n`;
}

// ─── Maintenance: purge of soft-deleted rows ─────────────────────────────────────────────

export const PURGEABLE_TABLES = [
  "publications",
  "listings",
  "media",
  "automations",
  "webhookEndpoints",
  "contents",
  "campaigns",
  "connections",
  "organizations",
  "users",
] as const;
export type PurgeableTable = (typeof PURGEABLE_TABLES)[number];

export type PurgedRow = { id: string; organizationId: string | null };

const BATCH = 500;

/** Rows that must survive a purge: live, or soft-deleted on/after the cutoff. */
const kept = (cutoff: Date) => ({ OR: [{ deletedAt: null }, { deletedAt: { gte: cutoff } }] });

/**
 * Hard-deletes one table's rows soft-deleted before `cutoff`, in batches, and returns them.
 * A row whose deletion would cascade into rows that must be kept (a connection with a live listing,
 * a content with a live publication) stays until those are gone too. Users still referenced as the
 * author of invitations or API keys stay (those references do not cascade).
 */
export async function purgeTable(
  db: DbOrTx,
  table: PurgeableTable,
  cutoff: Date,
  organizationId?: string,
): Promise<PurgedRow[]> {
  const old = { deletedAt: { lt: cutoff } };
  const org = organizationId ? { organizationId } : {};
  const purged: PurgedRow[] = [];
  for (;;) {
    let batch: PurgedRow[];
    switch (table) {
      case "publications":
        batch = await db.publication.findMany({ where: { ...old, ...org }, select: { id: true, organizationId: true }, take: BATCH });
        await db.publication.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "listings":
        batch = await db.listing.findMany({ where: { ...old, ...org }, select: { id: true, organizationId: true }, take: BATCH });
        await db.listing.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "media":
        batch = await db.media.findMany({ where: { ...old, ...org }, select: { id: true, organizationId: true }, take: BATCH });
        await db.media.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "automations":
        batch = await db.automation.findMany({ where: { ...old, ...org }, select: { id: true, organizationId: true }, take: BATCH });
        await db.automation.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "webhookEndpoints":
        batch = await db.webhookEndpoint.findMany({ where: { ...old, ...org }, select: { id: true, organizationId: true }, take: BATCH });
        await db.webhookEndpoint.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "contents":
        batch = await db.content.findMany({
          where: { ...old, ...org, publications: { none: kept(cutoff) } },
          select: { id: true, organizationId: true },
          take: BATCH,
        });
        await db.content.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "campaigns":
        batch = await db.campaign.findMany({ where: { ...old, ...org }, select: { id: true, organizationId: true }, take: BATCH });
        await db.campaign.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "connections":
        batch = await db.connection.findMany({
          where: { ...old, ...org, listings: { none: kept(cutoff) }, publications: { none: kept(cutoff) } },
          select: { id: true, organizationId: true },
          take: BATCH,
        });
        await db.connection.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      case "organizations": {
        // Deleting an organization cascades to everything it owns, its audit log included.
        const rows = await db.organization.findMany({ where: { ...old, ...(organizationId ? { id: organizationId } : {}) }, select: { id: true }, take: BATCH });
        batch = rows.map((r) => ({ id: r.id, organizationId: null }));
        await db.organization.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      }
      case "users": {
        const rows = await db.user.findMany({
          where: { ...old, invitationsSent: { none: {} }, apiKeysCreated: { none: {} } },
          select: { id: true },
          take: BATCH,
        });
        batch = rows.map((r) => ({ id: r.id, organizationId: null }));
        await db.user.deleteMany({ where: { id: { in: batch.map((r) => r.id) } } });
        break;
      }
    }
    purged.push(...batch);
    if (batch.length < BATCH) return purged;
  }
}

/** Soft-deleted users kept because something still references them (reported, not deleted). */
export function countBlockedUsers(db: DbOrTx, cutoff: Date) {
  return db.user.count({
    where: { deletedAt: { lt: cutoff }, OR: [{ invitationsSent: { some: {} } }, { apiKeysCreated: { some: {} } }] },
  });
}
