/**
 * Readiness against real outages: a TCP proxy (node `net`) in front of the local PostgreSQL and
 * one in front of Redis. Stopping a proxy (listener closed, open sockets destroyed) is a stopped
 * dependency for the app; starting it again on the same port is the dependency coming back.
 */
import net from "node:net";

import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PrismaClient } from "~/generated/prisma/client";
import { GET as readyRoute } from "~/app/api/v1/health/ready/route";
import { checkReadiness } from "~/server/services/health/health";
import "./helpers/fixtures"; // explains a missing DATABASE_URL

type Proxy = { port: number; start(): Promise<void>; stop(): Promise<void> };

/** A TCP proxy to `target` on a fixed local port that can be stopped and started again. */
async function tcpProxy(target: { host: string; port: number }): Promise<Proxy> {
  let server: net.Server | null = null;
  const sockets = new Set<net.Socket>();
  let port = 0;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const proxy: Proxy = {
    get port() {
      return port;
    },
    async start() {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        track(client);
        track(upstream);
        client.pipe(upstream);
        upstream.pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, "127.0.0.1", () => resolve());
      });
      port = (server.address() as net.AddressInfo).port;
    },
    async stop() {
      const closing = server;
      server = null;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
  };
  await proxy.start();
  return proxy;
}

const databaseUrl = new URL(process.env.DATABASE_URL!);
const redisUrl = new URL(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
const TIMEOUT_MS = 1500;

let pgProxy: Proxy;
let redisProxy: Proxy;
let prisma: PrismaClient;
let proxiedRedisUrl: string;

beforeAll(async () => {
  pgProxy = await tcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
  redisProxy = await tcpProxy({ host: redisUrl.hostname, port: Number(redisUrl.port || 6379) });
  const proxiedDb = new URL(databaseUrl);
  proxiedDb.hostname = "127.0.0.1";
  proxiedDb.port = String(pgProxy.port);
  // Same construction as src/server/db.ts, through the proxy.
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: proxiedDb.toString(), max: 2 }) });
  const proxiedRedis = new URL(redisUrl);
  proxiedRedis.hostname = "127.0.0.1";
  proxiedRedis.port = String(redisProxy.port);
  proxiedRedisUrl = proxiedRedis.toString();
});

afterAll(async () => {
  await prisma?.$disconnect().catch(() => undefined);
  await pgProxy?.stop();
  await redisProxy?.stop();
});

async function timed<T>(work: Promise<T>) {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

/** Polls until the readiness answer satisfies `accept` (a pool may need one failed query to notice). */
async function until(check: () => ReturnType<typeof checkReadiness>, accept: (r: Awaited<ReturnType<typeof checkReadiness>>) => boolean, attempts = 10) {
  let last = await check();
  for (let i = 1; i < attempts && !accept(last); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await check();
  }
  return last;
}

describe("readiness: database", () => {
  const check = () => checkReadiness(prisma, { redisUrl: null, timeoutMs: TIMEOUT_MS });

  it("is ready with the database up and every migration applied", async () => {
    expect(await check()).toEqual({ ready: true, checks: { database: "ok", migrations: "ok", redis: "not_configured" } });
  });

  it("answers unreachable within the timeout while the database is down, and ready again when it is back", async () => {
    await pgProxy.stop();
    const down = await timed(check());
    expect(down.value).toEqual({ ready: false, checks: { database: "unreachable", migrations: "unknown", redis: "not_configured" } });
    expect(down.ms).toBeLessThan(TIMEOUT_MS + 1000);
    // Still down on a second probe (a fresh connection attempt, not a broken pooled socket).
    expect((await check()).checks.database).toBe("unreachable");

    await pgProxy.start();
    const up = await until(check, (r) => r.ready);
    expect(up).toEqual({ ready: true, checks: { database: "ok", migrations: "ok", redis: "not_configured" } });
  });

  it("answers unreachable within the timeout when the database accepts connections but never answers", async () => {
    // A black hole: the listener accepts and then says nothing (a hung network path).
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    const url = new URL(databaseUrl);
    url.hostname = "127.0.0.1";
    url.port = String((silent.address() as net.AddressInfo).port);
    const hung = new PrismaClient({ adapter: new PrismaPg({ connectionString: url.toString(), max: 1 }) });
    try {
      const result = await timed(checkReadiness(hung, { redisUrl: null, timeoutMs: TIMEOUT_MS }));
      expect(result.value.checks.database).toBe("unreachable");
      expect(result.value.ready).toBe(false);
      expect(result.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(result.ms).toBeLessThan(TIMEOUT_MS + 1000);
    } finally {
      silent.close();
      silent.unref();
      void hung.$disconnect().catch(() => undefined);
    }
  });

  it("reports pending migrations as not ready", async () => {
    await prisma.$executeRawUnsafe(
      `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations WHERE rolled_back_at IS NULL)
       RETURNING migration_name`,
    );
    try {
      const result = await check();
      expect(result.ready).toBe(false);
      expect(result.checks.database).toBe("ok");
      expect(result.checks.migrations).toBe("pending");
      expect(result.checks.pending).toHaveLength(1);
    } finally {
      await prisma.$executeRawUnsafe(
        `UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = (SELECT max(migration_name) FROM _prisma_migrations)`,
      );
    }
    expect((await check()).ready).toBe(true);
  });
});

describe("readiness: Redis", () => {
  const check = () => checkReadiness(prisma, { redisUrl: proxiedRedisUrl, timeoutMs: TIMEOUT_MS });

  it("is ready with Redis answering PING", async () => {
    expect(await check()).toEqual({ ready: true, checks: { database: "ok", migrations: "ok", redis: "ok" } });
  });

  it("is not ready while Redis is down (within the timeout), and ready again when it is back", async () => {
    await redisProxy.stop();
    const down = await timed(check());
    expect(down.value).toEqual({ ready: false, checks: { database: "ok", migrations: "ok", redis: "unreachable" } });
    expect(down.ms).toBeLessThan(TIMEOUT_MS + 1000);

    await redisProxy.start();
    expect(await until(check, (r) => r.ready)).toEqual({ ready: true, checks: { database: "ok", migrations: "ok", redis: "ok" } });
  });

  it("answers unreachable within the timeout when Redis accepts connections but never answers", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const result = await timed(checkReadiness(prisma, { redisUrl: `redis://127.0.0.1:${port}`, timeoutMs: TIMEOUT_MS }));
      expect(result.value).toEqual({ ready: false, checks: { database: "ok", migrations: "ok", redis: "unreachable" } });
      expect(result.ms).toBeLessThan(TIMEOUT_MS + 1000);
    } finally {
      silent.close();
      silent.unref();
    }
  });
});

describe("GET /api/v1/health/ready", () => {
  it("keeps its JSON shape (status + the checks) and adds the Redis check", async () => {
    const response = await readyRoute();
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: "ready", database: "ok", migrations: "ok" });
    expect(["ok", "not_configured"]).toContain(body.redis);
  });
});
