/**
 * Cron triggers for the local runner. Inngest cron strings are standard 5-field expressions with
 * an optional "TZ=<zone> " prefix; croner evaluates them in that zone (UTC by default).
 *
 * Every tick the ticker starts a run for each schedule time passed since the previous tick. The
 * run's event id is "cron:<function>:<time>", unique per function, so a time is never run twice —
 * not after a restart, and not by two runners. When the runner starts, the latest schedule time
 * missed while the app was down runs once if it is at most `backfillMs` old.
 */
import { Cron } from "croner";

import type { Db } from "~/server/db";
import type { Logger } from "~/server/lib/logger";
import { latestRunOfFunction } from "~/server/repositories/jobs";
import type { Engine } from "./engine";
import { CRON_EVENT, type Registry } from "./registry";

export function parseInngestCron(expression: string): { pattern: string; timezone: string } {
  const match = /^TZ=(\S+)\s+(.+)$/.exec(expression.trim());
  return match ? { pattern: match[2]!, timezone: match[1]! } : { pattern: expression.trim(), timezone: "UTC" };
}

/** Schedule times in (after, until], oldest first, at most `limit` of the latest. */
export function scheduleTimes(expression: string, after: Date, until: Date, limit = 1000): Date[] {
  const { pattern, timezone } = parseInngestCron(expression);
  const cron = new Cron(pattern, { timezone, paused: true });
  const times: Date[] = [];
  let cursor: Date | null = after;
  while ((cursor = cron.nextRun(cursor)) && cursor.getTime() <= until.getTime()) {
    times.push(cursor);
    if (times.length > limit) times.shift();
  }
  return times;
}

export type CronTicker = { stop(): void };

export async function startCronTicker(opts: {
  db: Db;
  registry: Registry;
  engine: Engine;
  log: Logger;
  intervalMs: number;
  backfillMs: number;
}): Promise<CronTicker> {
  const { db, registry, engine, log } = opts;
  const schedules = registry.crons();
  if (schedules.length === 0) return { stop: () => undefined };
  for (const { expression } of schedules) scheduleTimes(expression, new Date(), new Date()); // fail fast on a bad expression

  const startedAt = new Date();
  const since = new Map<string, Date>();
  for (const { fn, expression } of schedules) {
    const last = await latestRunOfFunction(db, fn.id, CRON_EVENT);
    const floor = new Date(startedAt.getTime() - opts.backfillMs);
    since.set(`${fn.id} ${expression}`, last && last.runAt > floor ? last.runAt : floor);
  }

  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    const now = new Date();
    try {
      for (const { fn, expression } of schedules) {
        const key = `${fn.id} ${expression}`;
        const after = since.get(key)!;
        // Only the latest missed time runs: a schedule is "at most once per time", not a backlog.
        const times = scheduleTimes(expression, after, now).slice(-1);
        for (const at of times) {
          await engine.startCronRun(fn, expression, at);
          log.info({ functionId: fn.id, scheduledAt: at.toISOString() }, "cron fired");
        }
        since.set(key, now);
      }
    } catch (error) {
      log.error({ err: error }, "cron tick failed; retrying on the next tick");
    } finally {
      running = false;
    }
  };
  await tick();
  const timer = setInterval(() => void tick(), opts.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
