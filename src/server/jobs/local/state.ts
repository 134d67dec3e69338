/**
 * A local run's execution state, stored as JSON on the run (job_runs.state). It is exactly what
 * the Inngest server keeps for a run and hands back to the SDK on every call: memoized step
 * results (keyed by the SDK's hashed step ids) and the order they completed in.
 */
import type { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";
import { enqueueJob, transitionRun, type JobRunRow, type NewJobRun } from "~/server/repositories/jobs";
import { TASK, type RunJobPayload, type StoredEvent } from "./queue";

export type SerializedError = { name?: string; message?: string; stack?: string; [key: string]: unknown };

export type MemoizedStep = { type: "data"; data: unknown } | { type: "error"; error: SerializedError };

export type RunState = {
  steps: Record<string, MemoizedStep>;
  /** Hashed step ids in completion order (the SDK's `ctx.stack`). */
  stack: string[];
  /** Parallel steps the SDK planned; the runner executes them one by one. */
  planned: string[];
  /** Sleeping steps and when they wake (ISO). */
  sleeps: Record<string, string>;
  /** Attempt of the step (or function call) in progress, from 0; reset when a step completes. */
  attempt: number;
  /** Once a run has shown parallel steps, every step is planned before it runs (as Inngest does). */
  parallel: boolean;
};

export function emptyState(): RunState {
  return { steps: {}, stack: [], planned: [], sleeps: {}, attempt: 0, parallel: false };
}

export function parseState(json: Prisma.JsonValue): RunState {
  const s = (typeof json === "object" && json !== null && !Array.isArray(json) ? json : {}) as Partial<RunState>;
  return {
    steps: s.steps ?? {},
    stack: s.stack ?? [],
    planned: s.planned ?? [],
    sleeps: s.sleeps ?? {},
    attempt: s.attempt ?? 0,
    parallel: s.parallel ?? false,
  };
}

export function toJson(state: RunState): Prisma.InputJsonObject {
  return state as unknown as Prisma.InputJsonObject;
}

/** The run row for a function triggered by an event. */
export function newRun(fn: { id: string; maxAttempts: number; queueFor: (e: unknown) => string | null }, event: StoredEvent, organizationExists: boolean): NewJobRun {
  const data = event.data;
  const str = (v: unknown) => (typeof v === "string" && v.length > 0 && v.length <= 128 ? v : null);
  return {
    functionId: fn.id,
    eventName: event.name,
    eventId: event.id,
    event: event as unknown as Prisma.InputJsonObject,
    organizationId: organizationExists ? str(data.organizationId) : null,
    userId: str(data.userId),
    correlationId: str(data.correlationId),
    maxAttempts: fn.maxAttempts,
    queueName: fn.queueFor(event),
    runAt: new Date(Math.max(event.ts, Date.now())),
    state: toJson(emptyState()),
  };
}

/** The queue message that advances a run; `priority` is graphile-worker's (lower runs first). */
export function runJob(run: { id: string; version: number; queueName: string | null }, runAt?: Date, priority = 0) {
  const payload: RunJobPayload = { runId: run.id, version: run.version };
  return { task: TASK.run, payload, queueName: run.queueName, runAt: runAt ?? null, priority };
}

/**
 * Puts a failed run back in the queue, resuming where it failed: completed steps keep their
 * memoized results (their side effects are not repeated), the failed step starts again from its
 * first attempt. Returns false if the run changed meanwhile.
 */
export async function requeueFailedRun(tx: DbOrTx, run: JobRunRow): Promise<boolean> {
  const state = parseState(run.state);
  const failedIds = Object.entries(state.steps)
    .filter(([, step]) => step.type === "error")
    .map(([id]) => id);
  for (const id of failedIds) delete state.steps[id];
  state.stack = state.stack.filter((id) => !failedIds.includes(id));
  state.attempt = 0;
  const now = new Date();
  const ok = await transitionRun(tx, run.id, run.version, {
    status: "QUEUED",
    state: toJson(state),
    attempts: run.attempts,
    error: null,
    finishedAt: null,
    runAt: now,
  });
  if (ok) await enqueueJob(tx, runJob({ id: run.id, version: run.version + 1, queueName: run.queueName }, now));
  return ok;
}
