/** The retry schedule and error hygiene of deliveries (pure: unit-tested). */

const MAX_ERROR_LENGTH = 500;

/** "60,300,…" (WEBHOOK_RETRY_DELAYS_S) → seconds. */
export function parseRetryDelays(raw: string): number[] {
  return raw.split(",").map((s) => Number(s));
}

/**
 * When attempt number `attempts` (1-based, just failed) is retried, or null when it was the last.
 * `random` in [0, 1) gives the jitter (≤ 10 % of the delay).
 */
export function nextAttemptAfter(attempts: number, now: Date, delays: number[], random = Math.random()): Date | null {
  const delay = delays[attempts - 1];
  if (delay === undefined) return null;
  return new Date(now.getTime() + Math.round(delay * 1000 * (1 + 0.1 * random)));
}

/** Cuts an error text to size and drops anything that looks like a credential. */
export function cleanError(text: string): string {
  return text
    .replace(/whsec_[A-Za-z0-9_-]+/g, "whsec_…")
    .replace(/(authorization["':=\s]+)(?:(?:bearer|basic)\s+)?[^\s"',;]+/gi, "$1…")
    .replace(/(bearer\s+)[^\s"',;]+/gi, "$1…")
    .replace(/((?:token|secret|password|api[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi, "$1…")
    .slice(0, MAX_ERROR_LENGTH);
}
