import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

import { AppError } from "./errors";

/**
 * Named limiters. In-process memory for now: correct for one app process (the embedded default
 * and a single server). A shared store (Redis) is needed once several instances serve traffic.
 */
export function createLimiter(keyPrefix: string, points: number, durationSeconds: number) {
  const limiter = new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
  return {
    /** Throws TOO_MANY_REQUESTS (with retryAfterSeconds) when the key is over its budget. */
    async consume(key: string, points = 1): Promise<void> {
      try {
        await limiter.consume(key, points);
      } catch (error) {
        if (error instanceof RateLimiterRes) throw tooManyRequests(error);
        throw error;
      }
    },
    /** True when the key has no budget left, without spending any. */
    async isBlocked(key: string): Promise<{ blocked: boolean; retryAfterSeconds: number }> {
      const res = await limiter.get(key);
      const blocked = !!res && res.remainingPoints <= 0;
      return { blocked, retryAfterSeconds: blocked ? Math.ceil(res.msBeforeNext / 1000) : 0 };
    },
    reset: (key: string) => limiter.delete(key),
  };
}

function tooManyRequests(res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many attempts, try again later", {
    retryAfterSeconds,
  });
}
