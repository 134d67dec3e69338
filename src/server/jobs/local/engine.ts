/**
 * The local executor: what an Inngest server does for a run, done in-process against PostgreSQL.
 *
 * Each queue message advances one run by one call to the SDK's own serve handler (the same
 * `serve()` as /api/inngest, over the same HTTP step protocol): the request carries the event and
 * the memoized steps; the answer is the function's result (200), the next step's outcome or plan
 * (206), or an error (4xx/5xx). The new state and the next queue message are committed in one
 * transaction, guarded by the run's version, so a message delivered twice (a crash between commit
 * and acknowledgement) finds a newer version and does nothing.
 */
import { durationToMs, headerKeys, type Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/edge";

import type { Db } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import type { Logger } from "~/server/lib/logger";
import {
  createRunsIfAbsent,
  enqueueJob,
  enqueueJobs,
  findRun,
  markRunExecuting,
  organizationExists,
  transitionRun,
  type JobRunRow,
  type RunTransition,
} from "~/server/repositories/jobs";
import type { EventJobPayload, RunJobPayload, StoredEvent } from "./queue";
import { CRON_EVENT, FAILED_EVENT, failureHandlerOf, type RegisteredFunction, type Registry } from "./registry";
import { newRun, parseState, runJob, toJson, type RunState, type SerializedError } from "./state";

export type RetryDelay = (attempt: number) => number;

/** Exponential backoff with jitter: ~10 s, 20 s, 40 s … capped at 1 h (attempt counts from 1). */
export function defaultRetryDelay(baseMs = 10_000, maxMs = 3_600_000): RetryDelay {
  return (attempt) => {
    const delay = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
    return Math.round(delay * (0.8 + Math.random() * 0.4));
  };
}

type Op = {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: SerializedError;
  opts?: Record<string, unknown>;
};

const MAX_ERROR_CHARS = 1000;
const MAX_OUTPUT_CHARS = 32_000;

function errorText(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const e = error as SerializedError;
    const text = e.message ? `${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}` : JSON.stringify(error);
    return text.slice(0, MAX_ERROR_CHARS);
  }
  return String(error).slice(0, MAX_ERROR_CHARS);
}

function outputJson(data: unknown): Prisma.InputJsonValue {
  const text = JSON.stringify(data ?? null);
  if (text.length > MAX_OUTPUT_CHARS) return { truncated: true, bytes: text.length };
  return JSON.parse(text) as Prisma.InputJsonValue;
}

function wakeTime(op: Op, now: number): number {
  const target = op.name ?? "";
  if (/^\d{4}-\d{2}-\d{2}T/.test(target)) {
    const at = Date.parse(target);
    if (!Number.isNaN(at)) return at;
  }
  return now + durationToMs(target, { name: "sleep" });
}

function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  if (!Number.isNaN(at)) return Math.max(0, at - now);
  try {
    return durationToMs(header);
  } catch {
    return null;
  }
}

const UNSUPPORTED_OPS: Record<string, string> = {
  WaitForEvent: "step.waitForEvent",
  WaitForSignal: "step.waitForSignal",
  InvokeFunction: "step.invoke",
  AIGateway: "step.ai.infer",
  Gateway: "step.fetch",
  DeferAdd: "defer",
  DeferAbort: "defer",
};

export type EngineOptions = {
  client: Inngest.Any;
  functions: InngestFunction.Any[];
  registry: Registry;
  db: Db;
  log: Logger;
  retryDelay: RetryDelay;
};

export function createEngine({ client, functions, registry, db, log, retryDelay }: EngineOptions) {
  // The same handler /api/inngest serves, called in-process (the client is in dev mode here, so
  // no request signature is involved).
  const handler = serve({ client, functions });

  /** Starts one run per (function, event); an event seen again starts nothing new. */
  async function startRuns(fns: RegisteredFunction[], event: StoredEvent) {
    if (fns.length === 0) return [];
    const orgId = event.data.organizationId;
    const orgExists = typeof orgId === "string" && (await organizationExists(db, orgId));
    return db.$transaction(async (tx) => {
      const created = await createRunsIfAbsent(tx, fns.map((fn) => newRun(fn, event, orgExists)));
      await enqueueJobs(tx, created.map((run) => runJob(run, run.runAt, priorityOf(run.functionId, event))));
      return created.map((r) => r.id);
    });
  }

  /**
   * Every queue message of a run carries the priority its function declares for the run's event,
   * so a user-visible run's later steps also go ahead of a bulk backlog.
   */
  function priorityOf(functionId: string, event: unknown): number {
    return registry.byId.get(functionId)?.priorityFor(event) ?? 0;
  }

  async function handleEvent({ event }: EventJobPayload) {
    const fns = registry.forEvent(event.name, event);
    const started = await startRuns(fns, event);
    log.debug({ event: event.name, eventId: event.id, runs: started.length }, "event received");
  }

  /** A cron tick: `inngest/scheduled.timer`, id unique per function and tick (ticks fire once). */
  function startCronRun(fn: RegisteredFunction, expression: string, scheduledAt: Date) {
    const event: StoredEvent = {
      id: `cron:${fn.id}:${scheduledAt.toISOString()}`,
      name: CRON_EVENT,
      data: { cron: expression },
      ts: scheduledAt.getTime(),
    };
    return startRuns([fn], event);
  }

  async function commit(run: JobRunRow, next: RunTransition, after?: { runAt: Date }) {
    return db.$transaction(async (tx) => {
      const ok = await transitionRun(tx, run.id, run.version, next);
      if (!ok) return false;
      if (after) {
        await enqueueJob(tx, runJob({ id: run.id, version: run.version + 1, queueName: run.queueName }, after.runAt, priorityOf(run.functionId, run.event)));
      }
      if (next.status === "FAILED") {
        const onFailure = failureHandlerOf(registry, run.functionId);
        if (onFailure) {
          const event: StoredEvent = {
            id: `failed:${run.id}:${run.version}`,
            name: FAILED_EVENT,
            data: {
              function_id: run.functionId,
              run_id: run.id,
              error: { name: "Error", message: next.error ?? "Function failed" },
              event: run.event,
              organizationId: run.organizationId ?? undefined,
            },
            ts: Date.now(),
          };
          const created = await createRunsIfAbsent(tx, [newRun(onFailure, event, run.organizationId !== null)]);
          await enqueueJobs(tx, created.map((r) => runJob(r, r.runAt, priorityOf(r.functionId, event))));
        }
      }
      return true;
    });
  }

  function fail(run: JobRunRow, state: RunState, attempts: number, error: string, now: number) {
    return commit(run, {
      status: "FAILED",
      state: toJson(state),
      attempts,
      error,
      finishedAt: new Date(now),
    });
  }

  async function handleRun({ runId, version }: RunJobPayload) {
    const run = await findRun(db, runId);
    // Stale or duplicate message: the run moved on (or finished) since it was queued.
    if (!run || run.version !== version || run.status === "COMPLETED" || run.status === "FAILED") return;
    const now = Date.now();
    const state = parseState(run.state);
    const fn = registry.byId.get(run.functionId);
    if (!fn) {
      await fail(run, state, Math.max(run.attempts, 1), `Function "${run.functionId}" is not part of this app any more`, now);
      return;
    }

    // Sleeps that are over become memoized (null) results, as Inngest reports a finished sleep.
    for (const [id, at] of Object.entries(state.sleeps)) {
      if (Date.parse(at) <= now) {
        state.steps[id] = { type: "data", data: null };
        state.stack.push(id);
        delete state.sleeps[id];
      }
    }
    const sleepsLeft = Object.values(state.sleeps).map((at) => Date.parse(at));
    if (state.planned.length === 0 && sleepsLeft.length > 0) {
      // Woken early (e.g. a retry by hand): go back to sleep until the first wake-up.
      await commit(run, { status: "SLEEPING", state: toJson(state), attempts: run.attempts, error: run.error }, { runAt: new Date(Math.min(...sleepsLeft)) });
      return;
    }

    await markRunExecuting(db, run.id, run.version, new Date(now));
    const target = state.planned[0];
    const url = new URL("http://local-runner.invalid/api/inngest");
    url.searchParams.set("fnId", fn.id);
    url.searchParams.set("stepId", target ?? "step");
    const body = {
      event: run.event,
      events: [run.event],
      steps: state.steps,
      ctx: {
        run_id: run.id,
        attempt: state.attempt,
        max_attempts: run.maxAttempts,
        disable_immediate_execution: state.parallel,
        use_api: false,
        stack: { stack: state.stack, current: Math.max(0, state.stack.length - 1) },
      },
    };

    let response: Response;
    try {
      response = await handler(
        // The web adapter resolves the URL against the Host header, which a bare Request lacks.
        new Request(url, { method: "POST", headers: { "content-type": "application/json", host: url.host }, body: JSON.stringify(body) }),
      );
    } catch (error) {
      response = Response.json({ name: "Error", message: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
    const text = await response.text();
    let payload: unknown = null;
    try {
      payload = text ? JSON.parse(text) : null;
    } catch {
      payload = { message: text.slice(0, MAX_ERROR_CHARS) };
    }
    const done = Date.now();
    const attempts = Math.max(run.attempts, state.attempt + 1);
    const noRetry = response.headers.get(headerKeys.NoRetry) === "true";

    /** Schedules another call after a failed attempt, or fails the run when attempts are used up. */
    const retryOrFail = (error: string) => {
      state.attempt += 1;
      if (noRetry || state.attempt >= run.maxAttempts) return fail(run, state, attempts, error, done);
      const delay = retryAfterMs(response.headers.get(headerKeys.RetryAfter), done) ?? retryDelay(state.attempt);
      const at = new Date(done + delay);
      log.warn({ runId: run.id, functionId: run.functionId, attempt: state.attempt, retryAt: at.toISOString(), error }, "job attempt failed; retrying");
      return commit(run, { status: "QUEUED", state: toJson(state), attempts, error, runAt: at }, { runAt: at });
    };

    if (response.status === 200) {
      await commit(run, {
        status: "COMPLETED",
        state: toJson(state),
        attempts,
        error: null,
        output: outputJson(payload),
        finishedAt: new Date(done),
      });
      return;
    }
    if (response.status !== 206) {
      const error = errorText(payload);
      if (response.status >= 400 && response.status < 500) await fail(run, state, attempts, error, done);
      else await retryOrFail(error);
      return;
    }

    const ops = (Array.isArray(payload) ? payload : [payload]) as Op[];
    let result: { complete: unknown } | null = null;
    for (const op of ops) {
      switch (op.op) {
        case "StepRun":
        case "Step":
          state.steps[op.id] = { type: "data", data: op.data ?? null };
          state.stack.push(op.id);
          state.planned = state.planned.filter((id) => id !== op.id);
          state.attempt = 0;
          break;
        case "StepFailed":
          // Retries are used up: memoize the error so the function's `step.run` throws it.
          state.steps[op.id] = { type: "error", error: op.error ?? { name: "Error", message: "Step failed" } };
          state.stack.push(op.id);
          state.planned = state.planned.filter((id) => id !== op.id);
          state.attempt = 0;
          break;
        case "StepError":
          await retryOrFail(errorText(op.error));
          return;
        case "StepPlanned":
          if (ops.length > 1) state.parallel = true;
          if (!(op.id in state.steps) && !state.planned.includes(op.id)) state.planned.push(op.id);
          break;
        case "Sleep":
          if (!(op.id in state.steps)) state.sleeps[op.id] = new Date(wakeTime(op, done)).toISOString();
          break;
        case "RunComplete":
          result = { complete: op.data ?? null };
          break;
        default: {
          const what = UNSUPPORTED_OPS[op.op] ?? op.op;
          await fail(run, state, attempts, `${what} is not supported by the local jobs runner (see docs/background-jobs.md); run an Inngest server for this function.`, done);
          return;
        }
      }
    }
    if (result) {
      await commit(run, {
        status: "COMPLETED",
        state: toJson(state),
        attempts,
        error: null,
        output: outputJson(result.complete),
        finishedAt: new Date(done),
      });
      return;
    }
    const wakeUps = Object.values(state.sleeps).map((at) => Date.parse(at));
    const sleeping = state.planned.length === 0 && wakeUps.length > 0;
    const nextAt = new Date(sleeping ? Math.min(...wakeUps) : done);
    await commit(run, { status: sleeping ? "SLEEPING" : "RUNNING", state: toJson(state), attempts, error: null, runAt: nextAt }, { runAt: nextAt });
  }

  return { handleEvent, handleRun, startCronRun };
}

export type Engine = ReturnType<typeof createEngine>;
