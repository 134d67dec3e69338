import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

import { env } from "~/env";
import { AppError } from "./errors";
import { logger } from "./logger";

/**
 * Named limiters (sign-in and sign-up attempts and the like), in the same store as the API limits:
 * Redis when REDIS_URL is set, so every app instance counts one budget against password guessing;
 * memory otherwise (the embedded default and a single server). With Redis unreachable, an
 * in-process memory limiter with the same budget answers instead.
 */
export function createLimiter(keyPrefix: string, points: number, durationSeconds: number, store: RateLimitStore = (env.REDIS_URL as RateLimitStore | undefined) ?? "memory") {
  const memory = new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
  const limiter =
    store === "memory"
      ? memory
      : new RateLimiterRedis({ storeClient: redisClient(store), keyPrefix, points, duration: durationSeconds, rejectIfRedisNotReady: true, insuranceLimiter: memory });
  /** Reads and resets fall back to the memory limiter while Redis is unreachable. */
  const orMemory = async <T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> => {
    if (limiter === memory) return local();
    try {
      return await shared();
    } catch (error) {
      if (error instanceof RateLimiterRes) throw error;
      return local();
    }
  };
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
      const res = await orMemory(() => limiter.get(key), () => memory.get(key));
      const blocked = !!res && res.remainingPoints <= 0;
      return { blocked, retryAfterSeconds: blocked ? Math.ceil(res.msBeforeNext / 1000) : 0 };
    },
    reset: (key: string) => orMemory(() => limiter.delete(key), () => memory.delete(key)),
  };
}

function tooManyRequests(res: RateLimiterRes): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new AppError("TOO_MANY_REQUESTS", "rateLimited", "Too many attempts, try again later", {
    retryAfterSeconds,
  });
}

// ─── Shared store (Redis) and the REST API limits ──────────────────────────────────────────

/**
 * Where limiter counters live: "memory" (this process only) or a Redis URL (shared by every app
 * instance). With Redis, each limiter is insured by an in-process memory limiter with the same
 * budget: while Redis is unreachable the limits hold per process instead of taking the API down.
 */
export type RateLimitStore = "memory" | `redis://${string}` | `rediss://${string}`;

export type RateLimitResult = {
  /** The budget of the window. */
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  blocked: boolean;
  /** Seconds to wait when blocked (0 otherwise). */
  retryAfterSeconds: number;
};

export type StoreLimiter = {
  points: number;
  durationSeconds: number;
  /** Spends one point of the key's budget (refused calls spend nothing more than they count). */
  consume(key: string): Promise<RateLimitResult>;
};

const redisClients = new Map<string, Redis>();

/** One ioredis client per URL, connecting on first use; commands fail fast while it is down. */
export function redisClient(url: string): Redis {
  let client = redisClients.get(url);
  if (!client) {
    client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      // Keep trying in the background; the insurance limiter answers meanwhile.
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
    let warned = false;
    client.on("error", (error: Error) => {
      if (warned) return;
      warned = true;
      logger.warn({ err: { message: error.message } }, "rate limit store (Redis) unreachable; limiting per process");
    });
    client.on("ready", () => {
      warned = false;
    });
    client.connect().catch(() => undefined);
    redisClients.set(url, client);
  }
  return client;
}

/** Resolves when the store's Redis connection is ready (or after `timeoutMs`); memory: at once. */
export async function rateLimitStoreReady(store: RateLimitStore, timeoutMs = 2000): Promise<boolean> {
  if (store === "memory") return true;
  const client = redisClient(store);
  if (client.status === "ready") return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.once("ready", onReady);
  });
}

/** Closes the Redis clients (tests). */
export async function closeRateLimitStores(): Promise<void> {
  const clients = [...redisClients.values()];
  redisClients.clear();
  await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
}

export function createStoreLimiter(opts: { store: RateLimitStore; keyPrefix: string; points: number; durationSeconds: number }): StoreLimiter {
  const { store, keyPrefix, points, durationSeconds } = opts;
  const memory = new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
  const limiter =
    store === "memory"
      ? memory
      : new RateLimiterRedis({
          storeClient: redisClient(store),
          keyPrefix,
          points,
          duration: durationSeconds,
          rejectIfRedisNotReady: true,
          insuranceLimiter: memory,
        });
  const result = (res: RateLimiterRes, blocked: boolean): RateLimitResult => {
    const resetSeconds = Math.max(0, Math.ceil(res.msBeforeNext / 1000));
    return { limit: points, remaining: Math.max(0, res.remainingPoints), resetSeconds, blocked, retryAfterSeconds: blocked ? Math.max(1, resetSeconds) : 0 };
  };
  return {
    points,
    durationSeconds,
    async consume(key) {
      try {
        return result(await limiter.consume(key), false);
      } catch (error) {
        if (error instanceof RateLimiterRes) return result(error, true);
        throw error;
      }
    },
  };
}

/** Consumes one point of `key` and reports the budget (never throws for "over the limit"). */
export function consumeRateLimit(limiter: StoreLimiter, key: string): Promise<RateLimitResult> {
  return limiter.consume(key);
}

export type ApiRateLimits = {
  /** Every request from one client IP, all routes. */
  ipPerMinute: number;
  /** GET requests per credential (API key, else user, else IP). */
  readPerMinute: number;
  /** Other methods per credential. */
  writePerMinute: number;
  /** Sign-in and sign-up calls per IP. */
  authPerMinute: number;
};

export type ApiRateLimitKind = "ip" | "read" | "write" | "auth";

export type ApiRateLimiter = {
  limits: ApiRateLimits;
  store: RateLimitStore;
  consume(kind: ApiRateLimitKind, key: string): Promise<RateLimitResult>;
  /** Resolves when the store can answer (Redis connected), false after the timeout. */
  ready(timeoutMs?: number): Promise<boolean>;
};

export function createApiRateLimiter(opts: { limits: ApiRateLimits; store: RateLimitStore; keyPrefix?: string }): ApiRateLimiter {
  const prefix = opts.keyPrefix ?? "rl:api";
  const perMinute: Record<ApiRateLimitKind, number> = {
    ip: opts.limits.ipPerMinute,
    read: opts.limits.readPerMinute,
    write: opts.limits.writePerMinute,
    auth: opts.limits.authPerMinute,
  };
  const limiters = Object.fromEntries(
    (Object.keys(perMinute) as ApiRateLimitKind[]).map((kind) => [
      kind,
      createStoreLimiter({ store: opts.store, keyPrefix: `${prefix}:${kind}`, points: perMinute[kind], durationSeconds: 60 }),
    ]),
  ) as Record<ApiRateLimitKind, StoreLimiter>;
  return {
    limits: opts.limits,
    store: opts.store,
    consume: (kind, key) => limiters[kind].consume(key),
    ready: (timeoutMs) => rateLimitStoreReady(opts.store, timeoutMs),
  };
}

let apiOverride: { limits?: Partial<ApiRateLimits>; store?: RateLimitStore; keyPrefix?: string } | null = null;
let apiLimiter: ApiRateLimiter | null = null;

function defaultApiLimits(): ApiRateLimits {
  return {
    ipPerMinute: env.API_RATE_LIMIT_IP_PER_MINUTE,
    readPerMinute: env.API_RATE_LIMIT_READ_PER_MINUTE,
    writePerMinute: env.API_RATE_LIMIT_WRITE_PER_MINUTE,
    authPerMinute: env.API_RATE_LIMIT_AUTH_PER_MINUTE,
  };
}

/**
 * Replaces the REST API limits, store or key prefix (tests); `null` goes back to the environment
 * (REDIS_URL, API_RATE_LIMIT_*). Fresh counters either way.
 */
export function setApiRateLimits(next: { limits?: Partial<ApiRateLimits>; store?: RateLimitStore; keyPrefix?: string } | null) {
  apiOverride = next;
  apiLimiter = null;
}

/** The process's REST API limiter: Redis when REDIS_URL is set, else memory; chosen once. */
export function getApiRateLimiter(): ApiRateLimiter {
  apiLimiter ??= createApiRateLimiter({
    limits: { ...defaultApiLimits(), ...apiOverride?.limits },
    store: apiOverride?.store ?? ((env.REDIS_URL as RateLimitStore | undefined) ?? "memory"),
    keyPrefix: apiOverride?.keyPrefix,
  });
  return apiLimiter;
}
