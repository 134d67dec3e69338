import { readdir } from "node:fs/promises";
import path from "node:path";

import { Redis } from "ioredis";

import { env } from "~/env";
import type { Db } from "~/server/db";
import { appliedMigrationNames } from "~/server/repositories/health";

/** Migration folders shipped with this build (prisma/migrations/<timestamp>_<name>). */
async function expectedMigrations(): Promise<string[]> {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

export type Readiness = {
  ready: boolean;
  checks: {
    database: "ok" | "unreachable";
    migrations: "ok" | "pending" | "unknown";
    pending?: string[];
    redis: "ok" | "unreachable" | "not_configured";
  };
};

export type ReadinessOptions = {
  /** Redis to PING; default REDIS_URL. `null`: not configured. */
  redisUrl?: string | null;
  /** Bound on each check (ms, default 2500): a stopped dependency answers "unreachable", never hangs the probe. */
  timeoutMs?: number;
};

class CheckTimeout extends Error {}

/** Resolves with `work` or rejects after `ms`; the work itself is not cancelled (its result is dropped). */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout(`check timed out after ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure after the timeout must not become unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function checkDatabase(db: Db, timeoutMs: number): Promise<Pick<Readiness["checks"], "database" | "migrations" | "pending">> {
  let applied: Set<string>;
  try {
    applied = new Set(await within(appliedMigrationNames(db), timeoutMs));
  } catch {
    return { database: "unreachable", migrations: "unknown" };
  }
  const pending = (await expectedMigrations()).filter((name) => !applied.has(name));
  return pending.length === 0 ? { database: "ok", migrations: "ok" } : { database: "ok", migrations: "pending", pending };
}

/**
 * One short-lived connection per probe: it answers for Redis as it is now, not for a pooled
 * client's reconnect state, and leaves nothing behind (no retries, no offline queue).
 */
async function checkRedis(url: string | null, timeoutMs: number): Promise<Readiness["checks"]["redis"]> {
  if (!url) return "not_configured";
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  client.on("error", () => undefined); // reported through the result, not as an unhandled event
  try {
    const answer = await within(
      client.connect().then(() => client.ping()),
      timeoutMs,
    );
    return answer === "PONG" ? "ok" : "unreachable";
  } catch {
    return "unreachable";
  } finally {
    client.disconnect();
  }
}

export async function checkReadiness(db: Db, options: ReadinessOptions = {}): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 2500;
  const redisUrl = options.redisUrl === undefined ? (env.REDIS_URL ?? null) : options.redisUrl;
  const [database, redis] = await Promise.all([checkDatabase(db, timeoutMs), checkRedis(redisUrl, timeoutMs)]);
  const ready = database.database === "ok" && database.migrations === "ok" && redis !== "unreachable";
  return { ready, checks: { ...database, redis } };
}
