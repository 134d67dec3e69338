import type { JobRunStatus } from "~/generated/prisma/enums";
import { AppError, notFound } from "~/server/lib/errors";
import { findRunOfOrganization, listRunsOfOrganization } from "~/server/repositories/jobs";
import { INNGEST_APP_ID } from "~/server/jobs/client";
import { functions } from "~/server/jobs/functions";
import { ensureQueueSchema } from "~/server/jobs/local/queue";
import { requeueFailedRun } from "~/server/jobs/local/state";
import { inngestDashboardUrl, jobsMode, type JobsMode } from "~/server/jobs/mode";
import { audit } from "../audit";
import type { TenantCtx } from "../context";

/** Short function ids ("purge-soft-deleted") and names by full id ("super-seller-purge-soft-deleted"). */
const FUNCTION_NAMES = new Map(functions.map((fn) => [fn.id(INNGEST_APP_ID), { slug: fn.id(), name: fn.name }]));

function describeFunction(fullId: string) {
  const failure = fullId.endsWith("-failure") ? FUNCTION_NAMES.get(fullId.slice(0, -"-failure".length)) : undefined;
  if (failure) return { slug: `${failure.slug}-failure`, name: `${failure.name} (failure)` };
  const known = FUNCTION_NAMES.get(fullId);
  const prefix = `${INNGEST_APP_ID}-`;
  return known ?? { slug: fullId.startsWith(prefix) ? fullId.slice(prefix.length) : fullId, name: fullId };
}

export type JobRunsPage = {
  mode: JobsMode;
  /** Where runs are watched when a real Inngest server executes them (then `items` is empty). */
  dashboardUrl: string | null;
  items: {
    id: string;
    functionSlug: string;
    functionName: string;
    status: JobRunStatus;
    attempts: number;
    maxAttempts: number;
    durationMs: number | null;
    error: string | null;
    createdAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
    nextAttemptAt: Date | null;
  }[];
  nextCursor: string | null;
};

/** The organization's recent runs, newest first (system-wide runs are never included). */
export async function listJobRuns(
  ctx: TenantCtx,
  input: { limit: number; cursor?: string; status?: JobRunStatus },
): Promise<JobRunsPage> {
  if (jobsMode === "inngest") return { mode: jobsMode, dashboardUrl: inngestDashboardUrl(), items: [], nextCursor: null };
  const page = await listRunsOfOrganization(ctx.db, ctx.tenant.organizationId, input);
  return {
    mode: jobsMode,
    dashboardUrl: null,
    nextCursor: page.nextCursor,
    items: page.items.map((run) => {
      const fn = describeFunction(run.functionId);
      const waiting = run.status === "QUEUED" || run.status === "SLEEPING";
      return {
        id: run.id,
        functionSlug: fn.slug,
        functionName: fn.name,
        status: run.status,
        attempts: run.attempts,
        maxAttempts: run.maxAttempts,
        durationMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
        error: run.error,
        createdAt: run.createdAt,
        startedAt: run.startedAt,
        finishedAt: run.finishedAt,
        nextAttemptAt: waiting ? run.runAt : null,
      };
    }),
  };
}

/**
 * Runs a failed run again from the step that failed: steps that had succeeded keep their results
 * and are not repeated (a listing is not updated twice, a post is not published twice).
 */
export async function retryJobRun(ctx: TenantCtx, input: { runId: string }) {
  if (jobsMode === "inngest") {
    throw new AppError("PRECONDITION_FAILED", "jobs.managedByInngest", "Runs are managed in the Inngest dashboard");
  }
  await ensureQueueSchema();
  return ctx.db.$transaction(async (tx) => {
    const run = await findRunOfOrganization(tx, ctx.tenant.organizationId, input.runId);
    if (!run) throw notFound("Job run");
    if (run.status !== "FAILED") throw new AppError("CONFLICT", "jobs.notRetryable", "Only failed runs can be retried");
    if (!(await requeueFailedRun(tx, run))) throw new AppError("CONFLICT", "jobs.notRetryable", "The run changed meanwhile");
    await audit(
      tx,
      { organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, request: ctx.request },
      "job.retried",
      { type: "jobRun", id: run.id },
      { functionId: run.functionId },
    );
    return { id: run.id, status: "QUEUED" as const };
  });
}
