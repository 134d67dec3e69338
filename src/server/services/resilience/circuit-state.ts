/**
 * The circuit breaker's state machine, as pure functions over one stored row (provider_circuits),
 * so every process (web, local runner, Inngest workers) decides the same way from the same row.
 * The repository serializes the read-modify-write of a row with a row lock; see
 * docs/resilience.md for the concurrency semantics.
 *
 * Why not cockatiel's CircuitBreakerPolicy itself: its half-open state lives in the process that
 * runs the probe (`toJSON()` stores half-open as "open since 0", so any other process restoring it
 * would probe at once), while here exactly one probe across all processes must hold the lease. Its
 * ExponentialBackoff is what spaces the reopen windows.
 */
import { ExponentialBackoff, noJitterGenerator } from "cockatiel";

export const CIRCUIT_STATES = ["CLOSED", "OPEN", "HALF_OPEN"] as const;
export type CircuitStateName = (typeof CIRCUIT_STATES)[number];

export type CircuitRow = {
  state: CircuitStateName;
  failures: number;
  openedCount: number;
  openedAt: Date | null;
  reopenAt: Date | null;
  probeUntil: Date | null;
  lastErrorCode: string | null;
};

export type CircuitConfig = {
  /** Consecutive failures that open a connection's breaker. */
  failureThreshold: number;
  /** Consecutive failures (any connection) that open the provider-wide breaker. */
  providerFailureThreshold: number;
  /** First open window; doubled after every failed probe. */
  openMs: number;
  maxOpenMs: number;
  /** How long the one probe call holds the half-open state before another caller may probe. */
  probeLeaseMs: number;
};

export const CLOSED_ROW: CircuitRow = { state: "CLOSED", failures: 0, openedCount: 0, openedAt: null, reopenAt: null, probeUntil: null, lastErrorCode: null };

/** The open window after the breaker opened `openedCount` times in a row (1 = first time). */
export function reopenDelayMs(openedCount: number, config: Pick<CircuitConfig, "openMs" | "maxOpenMs">): number {
  // The context argument only matters to backoffs that look at the failure; this one does not.
  let backoff = new ExponentialBackoff({ initialDelay: config.openMs, maxDelay: Math.max(config.openMs, config.maxOpenMs), generator: noJitterGenerator }).next();
  for (let i = 1; i < Math.max(1, openedCount); i++) backoff = backoff.next(null);
  return backoff.duration;
}

export type Admission = { kind: "pass" } | { kind: "probe" } | { kind: "blocked"; until: Date };

/** May a call go out now? `probe`: it may, as the one trial call (the caller must claim it). */
export function admission(row: CircuitRow | null, now: Date): Admission {
  if (!row || row.state === "CLOSED") return { kind: "pass" };
  if (row.state === "OPEN") {
    if (row.reopenAt && row.reopenAt > now) return { kind: "blocked", until: row.reopenAt };
    return { kind: "probe" };
  }
  // HALF_OPEN: another caller's probe is in flight until its lease ends (then it is presumed lost).
  if (row.probeUntil && row.probeUntil > now) return { kind: "blocked", until: row.probeUntil };
  return { kind: "probe" };
}

/** The row once this caller holds the probe lease. */
export function claimProbe(row: CircuitRow, now: Date, config: Pick<CircuitConfig, "probeLeaseMs">): CircuitRow {
  return { ...row, state: "HALF_OPEN", probeUntil: new Date(now.getTime() + config.probeLeaseMs) };
}

/**
 * A call failed for provider reasons. `probe`: this call held the half-open lease — the breaker
 * reopens with a longer window. A failure of a call that started before someone else opened the
 * breaker only counts; it does not move the window.
 */
export function afterFailure(
  row: CircuitRow | null,
  input: { now: Date; threshold: number; probe: boolean; code: string },
  config: Pick<CircuitConfig, "openMs" | "maxOpenMs">,
): { row: CircuitRow; opened: boolean } {
  const base = row ?? CLOSED_ROW;
  const counted = { ...base, failures: base.failures + 1, lastErrorCode: input.code };
  const open = (openedCount: number): CircuitRow => ({
    ...counted,
    state: "OPEN",
    openedCount,
    openedAt: input.now,
    reopenAt: new Date(input.now.getTime() + reopenDelayMs(openedCount, config)),
    probeUntil: null,
  });
  if (input.probe && base.state === "HALF_OPEN") return { row: open(base.openedCount + 1), opened: true };
  if (base.state === "CLOSED" && counted.failures >= input.threshold) return { row: open(1), opened: true };
  return { row: counted, opened: false };
}

/**
 * A call got an answer from the provider (a success, or a business refusal: the provider is up).
 * Returns null when the row needs no write (the common case: closed with no failures).
 */
export function afterSuccess(row: CircuitRow | null, input: { probe: boolean }): { row: CircuitRow; closed: boolean } | null {
  if (!row) return null;
  if (input.probe && row.state === "HALF_OPEN") return { row: { ...CLOSED_ROW }, closed: true };
  if (row.state === "CLOSED" && (row.failures > 0 || row.lastErrorCode !== null)) return { row: { ...CLOSED_ROW }, closed: false };
  return null;
}
