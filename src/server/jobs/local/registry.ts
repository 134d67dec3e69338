/**
 * What the local runner knows about each function, read from the same `createFunction` options
 * Inngest gets: triggers, retries, the concurrency key, the priority. Options it cannot honour are refused (an
 * expression it cannot evaluate) or reported once at start-up (see docs/background-jobs.md).
 */
import { createHash } from "node:crypto";

import type { InngestFunction } from "inngest";

import { queuePriorityOf } from "../priority";
import { compileCondition, compileKey, compilePriority } from "./expressions";

/** Inngest's default when a function declares no `retries`. */
export const DEFAULT_RETRIES = 4;
/** Inngest retries an onFailure handler once. */
const FAILURE_HANDLER_RETRIES = 1;

export const FAILED_EVENT = "inngest/function.failed";
export const CRON_EVENT = "inngest/scheduled.timer";
const FAILURE_SUFFIX = "-failure";

type ConcurrencyOption = { limit: number; key?: string; scope?: "fn" | "env" | "account" };

export type RegisteredFunction = {
  /** "<app>-<function>", as Inngest names it (and as /api/inngest's `fnId` expects). */
  id: string;
  name: string;
  fn: InngestFunction.Any;
  kind: "main" | "failure";
  maxAttempts: number;
  events: { name: string; matches: (event: unknown) => boolean }[];
  crons: string[];
  /** Queue name for runs of this event, or null: runs sharing a queue execute one step at a time. */
  queueFor: (event: unknown) => string | null;
  /** graphile-worker job priority of this event's run (lower runs first), from `priority.run`. */
  priorityFor: (event: unknown) => number;
  /** Options present on the function that the local runner does not enforce. */
  ignoredOptions: string[];
};

export type Registry = {
  byId: Map<string, RegisteredFunction>;
  /** Main functions triggered by an event name. */
  forEvent(name: string, event: unknown): RegisteredFunction[];
  crons(): { fn: RegisteredFunction; expression: string }[];
};

const IGNORED_OPTIONS = [
  "throttle",
  "rateLimit",
  "debounce",
  "batchEvents",
  "idempotency",
  "timeouts",
  "singleton",
  "cancelOn",
] as const;

function queueNameOf(parts: string[]): string {
  const name = parts.join(":");
  // Keys come from event data: keep queue names short and free of surprises.
  return name.length <= 120 ? name : `${parts[0]}:${createHash("sha256").update(name).digest("hex")}`;
}

function concurrencyQueue(fnId: string, option: unknown): { queueFor: RegisteredFunction["queueFor"]; ignored: string[] } {
  const list: ConcurrencyOption[] = (Array.isArray(option) ? option : option === undefined ? [] : [option]).map((o) =>
    typeof o === "number" ? { limit: o } : (o as ConcurrencyOption),
  );
  const serial = list.find((c) => c.limit === 1);
  const ignored = list.filter((c) => c !== serial && c.limit > 0).map((c) => `concurrency(limit ${c.limit})`);
  if (!serial) return { queueFor: () => null, ignored };
  const key = serial.key ? compileKey(serial.key) : null;
  const scope = serial.scope ?? "fn";
  return {
    ignored,
    queueFor: (event) => {
      const keyValue = key ? key(event) : "";
      return scope === "fn" ? queueNameOf(["c", fnId, keyValue]) : queueNameOf(["c", scope, serial.key ?? "", keyValue]);
    },
  };
}

function eventNameOf(trigger: { event?: unknown }): string | null {
  const event = trigger.event;
  if (typeof event === "string") return event;
  if (event && typeof event === "object" && "name" in event && typeof event.name === "string") return event.name;
  return null;
}

export function buildRegistry(appId: string, functions: InngestFunction.Any[]): Registry {
  const byId = new Map<string, RegisteredFunction>();
  for (const fn of functions) {
    const opts = fn.opts as InngestFunction.Options & Record<string, unknown>;
    const id = fn.id(appId);
    if (byId.has(id)) throw new Error(`Duplicate function id "${id}"`);
    const triggers = (Array.isArray(opts.triggers) ? opts.triggers : opts.triggers ? [opts.triggers] : []) as {
      event?: unknown;
      cron?: string;
      if?: string;
    }[];
    const events: RegisteredFunction["events"] = [];
    const crons: string[] = [];
    for (const trigger of triggers) {
      if (typeof trigger.cron === "string") crons.push(trigger.cron);
      const name = eventNameOf(trigger);
      if (name) events.push({ name, matches: trigger.if ? compileCondition(trigger.if) : () => true });
    }
    const { queueFor, ignored } = concurrencyQueue(id, opts.concurrency);
    const ignoredOptions = [...ignored, ...IGNORED_OPTIONS.filter((k) => opts[k] !== undefined)];
    const priorityRun = opts.priority?.run ? compilePriority(opts.priority.run) : null;
    byId.set(id, {
      id,
      name: fn.name,
      fn,
      kind: "main",
      maxAttempts: (opts.retries ?? DEFAULT_RETRIES) + 1,
      events,
      crons,
      queueFor,
      priorityFor: (event) => (priorityRun ? queuePriorityOf(priorityRun(event)) : 0),
      ignoredOptions,
    });
    if (opts.onFailure) {
      const failureId = `${id}${FAILURE_SUFFIX}`;
      byId.set(failureId, {
        id: failureId,
        name: `${fn.name} (failure)`,
        fn,
        kind: "failure",
        maxAttempts: FAILURE_HANDLER_RETRIES + 1,
        events: [],
        crons: [],
        queueFor: () => null,
        priorityFor: () => 0,
        ignoredOptions: [],
      });
    }
  }
  return {
    byId,
    forEvent: (name, event) =>
      [...byId.values()].filter((f) => f.kind === "main" && f.events.some((e) => e.name === name && e.matches(event))),
    crons: () => [...byId.values()].flatMap((fn) => fn.crons.map((expression) => ({ fn, expression }))),
  };
}

export function failureHandlerOf(registry: Registry, fnId: string): RegisteredFunction | undefined {
  return registry.byId.get(`${fnId}${FAILURE_SUFFIX}`);
}
