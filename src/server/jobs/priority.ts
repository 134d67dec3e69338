/**
 * The one priority policy of background functions: work a person is waiting for (an approved
 * action being applied, a due post, a sync someone asked for) goes ahead of bulk work (the daily
 * reconciliation, sales backfill, the hourly analytics fan-out, rescoring after them).
 *
 * Functions declare it with Inngest's own option, `priority: { run: "<expression>" }`, so an
 * Inngest server and the local runner read the same declaration:
 *   - Inngest: the expression returns a factor in seconds (-600..600); a run is ordered as if it
 *     had been queued that many seconds earlier (negative: later), among runs of the same function.
 *   - Local runner: the same factor, negated, becomes graphile-worker's job priority (lower runs
 *     first) for every queue message of the run, across all functions (docs/background-jobs.md).
 */
import type { TJobContext } from "./events";

/** Priority factors in seconds (Inngest's range is -600..600; higher runs first). */
export const PRIORITY = {
  USER_VISIBLE: 600,
  DEFAULT: 0,
  // Small on purpose: on an Inngest server a negative factor also delays the run's start by that
  // many seconds; a minute costs nothing to a nightly reconciliation.
  BULK: -60,
} as const;

/** Inngest's bounds for a factor; values outside are clipped, as Inngest does. */
export const PRIORITY_RANGE = { min: -600, max: 600 } as const;

/** Set on an event's data when a person asked for the work just now (see `jobContextOf`). */
export const MANUAL_TRIGGER = "manual" satisfies NonNullable<TJobContext["trigger"]>;

/** `priority` options for createFunction. */
export const runPriority = {
  /** Always user-visible (applying an approved action, publishing a due post). */
  userVisible: { run: String(PRIORITY.USER_VISIBLE) },
  /** Always bulk (fan-outs, backfills). */
  bulk: { run: String(PRIORITY.BULK) },
  /** User-visible when a person asked for it (`trigger: "manual"`), bulk when cron or a chain sent it. */
  manualElseBulk: { run: `event.data.trigger == "${MANUAL_TRIGGER}" ? ${PRIORITY.USER_VISIBLE} : ${PRIORITY.BULK}` },
} as const;

/** Clips a factor into Inngest's range; anything that is not a number counts as no priority (0). */
export function clampPriorityFactor(value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return PRIORITY.DEFAULT;
  return Math.min(PRIORITY_RANGE.max, Math.max(PRIORITY_RANGE.min, Math.trunc(value)));
}

/** graphile-worker's job priority for a factor: lower runs first, so the sign flips. */
export function queuePriorityOf(factor: unknown): number {
  return -clampPriorityFactor(factor) || 0;
}
