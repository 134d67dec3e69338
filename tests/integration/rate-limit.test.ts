/**
 * REST API rate limits: in memory and in Redis (TEST_REDIS_URL, else 127.0.0.1:6379; a unique key prefix per
 * run), through the catch-all route's handlers for the headers and the 429 envelope, and through
 * the limiter itself for what only a shared store can do (two instances, one budget) and for the
 * insurance limiter when Redis is unreachable.
 */
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GET, POST } from "~/app/api/v1/[...path]/route";
import { limitBearerTrpcCall, setRestSessionResolver } from "~/server/api/openapi/dispatch";
import { randomToken, sha256 } from "~/server/lib/crypto";
import {
  closeRateLimitStores,
  createApiRateLimiter,
  createLimiter,
  rateLimitStoreReady,
  setApiRateLimits,
  type ApiRateLimits,
  type RateLimitStore,
} from "~/server/lib/rate-limit";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

// npm test provides one (scripts/lib/test-redis.ts); by hand, the machine's.
const REDIS = (process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379") as RateLimitStore;
const DEAD_REDIS: RateLimitStore = "redis://127.0.0.1:6390";
const BASE = "http://localhost:3000/api/v1";
const HIGH: ApiRateLimits = { ipPerMinute: 10_000, readPerMinute: 10_000, writePerMinute: 10_000, authPerMinute: 10_000 };

let fx: OrgFixture;

async function createKey() {
  const key = `ssk_${randomToken(32)}`;
  await db.apiKey.create({
    data: { organizationId: fx.organizationId, name: "Rate limit", prefix: key.slice(0, 12), keyHash: sha256(key), scopes: ["listings:read"], createdById: fx.users.OWNER.userId },
  });
  return key;
}

function get(path: string, key: string | null, ip: string) {
  const headers = new Headers({ "x-forwarded-for": ip });
  if (key) headers.set("authorization", `Bearer ${key}`);
  return GET(new Request(`${BASE}${path}`, { headers }));
}

const limitHeaders = (res: Response) => ({
  limit: Number(res.headers.get("ratelimit-limit")),
  remaining: Number(res.headers.get("ratelimit-remaining")),
  reset: Number(res.headers.get("ratelimit-reset")),
  policy: res.headers.get("ratelimit-policy"),
});

const uniqueIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${randomUUID().slice(0, 6)}`;

beforeAll(async () => {
  setRestSessionResolver(async () => null);
  fx = await createOrgFixture("ratelimit");
});

afterAll(async () => {
  setApiRateLimits(null);
  setRestSessionResolver(null);
  await closeRateLimitStores();
});

describe.each([
  ["memory", "memory" as RateLimitStore],
  ["redis", REDIS],
])("through the API with the %s store", (_name, store) => {
  beforeAll(async () => {
    setApiRateLimits({ store, keyPrefix: `test-rl-${randomUUID()}`, limits: { ...HIGH, readPerMinute: 3 } });
    expect(await rateLimitStoreReady(store)).toBe(true);
  });

  it("headers count down and the (N+1)th call gets 429 with Retry-After and the envelope", async () => {
    const key = await createKey();
    const ip = uniqueIp();
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get("/listings?limit=1", key, ip);
      expect(res.status).toBe(200);
      const h = limitHeaders(res);
      expect(h.limit).toBe(3);
      expect(h.policy).toBe("3;w=60");
      expect(h.reset).toBeGreaterThan(0);
      expect(h.reset).toBeLessThanOrEqual(60);
      remaining.push(h.remaining);
    }
    expect(remaining).toEqual([2, 1, 0]);
    const refused = await get("/listings?limit=1", key, ip);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limitHeaders(refused).remaining).toBe(0);
    const body = (await refused.json()) as { data: unknown; meta: { correlationId: string }; errors: Array<{ code: string; reason: string }> };
    expect(body.data).toBeNull();
    expect(body.meta.correlationId).toBeTruthy();
    expect(body.errors).toEqual([expect.objectContaining({ code: "TOO_MANY_REQUESTS", reason: "rateLimited" })]);
  });

  it("the IP limit and the per-key limit are independent (two keys from one IP)", async () => {
    const ip = uniqueIp();
    const first = await createKey();
    const second = await createKey();
    for (let i = 0; i < 3; i++) expect((await get("/listings?limit=1", first, ip)).status).toBe(200);
    expect((await get("/listings?limit=1", first, ip)).status).toBe(429);
    // Same IP, another key: its own budget.
    const other = await get("/listings?limit=1", second, ip);
    expect(other.status).toBe(200);
    expect(limitHeaders(other).remaining).toBe(2);
  });
});

describe("bearer calls to /api/trpc", () => {
  const trpcCall = (key: string | null, ip: string, method = "GET") =>
    limitBearerTrpcCall(new Request("http://localhost:3000/api/trpc/listings.list", { method, headers: { "x-forwarded-for": ip, ...(key ? { authorization: `Bearer ${key}` } : {}) } }));

  it("spend the same per-key budget as /api/v1: a key cannot escape its limit by switching endpoints", async () => {
    setApiRateLimits({ store: "memory", keyPrefix: `test-trpc-${randomUUID()}`, limits: { ...HIGH, readPerMinute: 3, writePerMinute: 1 } });
    const key = await createKey();
    const ip = uniqueIp();
    expect((await get("/listings?limit=1", key, ip)).status).toBe(200);
    const second = await trpcCall(key, ip);
    expect(second.refused).toBeNull();
    expect(second.headers.get("ratelimit-remaining")).toBe("1");
    expect((await trpcCall(key, ip)).refused).toBeNull();
    const refused = (await trpcCall(key, ip)).refused;
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused?.json()).toMatchObject({ error: { data: { code: "TOO_MANY_REQUESTS", reason: "rateLimited" } } });
    expect((await get("/listings?limit=1", key, ip)).status).toBe(429);
    // Writes (POST) have their own budget.
    expect((await trpcCall(key, ip, "POST")).refused).toBeNull();
    expect((await trpcCall(key, ip, "POST")).refused?.status).toBe(429);
  });

  it("leave cookie calls (the web app itself) alone", async () => {
    setApiRateLimits({ store: "memory", keyPrefix: `test-trpc-cookie-${randomUUID()}`, limits: { ...HIGH, ipPerMinute: 1, readPerMinute: 1 } });
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) {
      const call = await trpcCall(null, ip);
      expect(call.refused).toBeNull();
      expect(call.headers.get("ratelimit-limit")).toBeNull();
    }
  });
});

describe("per IP and per class", () => {
  it("an IP over its limit is refused on every route, whatever the key", async () => {
    setApiRateLimits({ store: "memory", keyPrefix: `test-ip-${randomUUID()}`, limits: { ...HIGH, ipPerMinute: 2 } });
    const ip = uniqueIp();
    expect((await get("/listings?limit=1", await createKey(), ip)).status).toBe(200);
    expect((await get("/nowhere", null, ip)).status).toBe(404);
    const refused = await get("/listings?limit=1", await createKey(), ip);
    expect(refused.status).toBe(429);
    expect(limitHeaders(refused)).toMatchObject({ limit: 2, remaining: 0, policy: "2;w=60" });
    // Another IP is not affected.
    expect((await get("/listings?limit=1", await createKey(), uniqueIp())).status).toBe(200);
  });

  it("the auth class is limited per IP, separately from reads", async () => {
    setApiRateLimits({ store: "memory", keyPrefix: `test-auth-${randomUUID()}`, limits: { ...HIGH, authPerMinute: 2 } });
    const ip = uniqueIp();
    const login = () =>
      POST(new Request(`${BASE}/auth/login`, { method: "POST", headers: { "x-forwarded-for": ip, "content-type": "application/json" }, body: JSON.stringify({ email: "nobody@example.test", password: "wrong" }) }));
    expect((await login()).status).toBe(401);
    expect((await login()).status).toBe(401);
    const refused = await login();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    // Reads from that IP still pass.
    expect((await get("/listings?limit=1", await createKey(), ip)).status).toBe(200);
  });
});

describe("sign-in limiters (createLimiter)", () => {
  const outcomeOf = (call: Promise<unknown>) => call.then(() => "OK", (error: { code?: string; reason?: string }) => `${error.code}:${error.reason}`);

  it("share one budget across app instances through Redis, and reset together", async () => {
    const prefix = `test-signin-${randomUUID()}`;
    const first = createLimiter(prefix, 2, 60, REDIS);
    const second = createLimiter(prefix, 2, 60, REDIS);
    expect(await rateLimitStoreReady(REDIS)).toBe(true);
    expect(await outcomeOf(first.consume("ana@example.test"))).toBe("OK");
    expect(await outcomeOf(second.consume("ana@example.test"))).toBe("OK");
    expect(await outcomeOf(first.consume("ana@example.test"))).toBe("TOO_MANY_REQUESTS:rateLimited");
    expect((await second.isBlocked("ana@example.test")).blocked).toBe(true);
    await second.reset("ana@example.test");
    expect((await first.isBlocked("ana@example.test")).blocked).toBe(false);
  });

  it("keep limiting (per process) while Redis is unreachable", async () => {
    const limiter = createLimiter(`test-signin-dead-${randomUUID()}`, 1, 60, DEAD_REDIS);
    expect(await outcomeOf(limiter.consume("bia@example.test"))).toBe("OK");
    expect(await outcomeOf(limiter.consume("bia@example.test"))).toBe("TOO_MANY_REQUESTS:rateLimited");
    expect((await limiter.isBlocked("bia@example.test")).blocked).toBe(true);
  });
});

describe("the limiter store", () => {
  const limits: ApiRateLimits = { ...HIGH, writePerMinute: 4 };

  it("two limiter instances sharing Redis share one budget", async () => {
    const keyPrefix = `test-shared-${randomUUID()}`;
    const one = createApiRateLimiter({ limits, store: REDIS, keyPrefix });
    const two = createApiRateLimiter({ limits, store: REDIS, keyPrefix });
    expect(await one.ready()).toBe(true);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await (i % 2 ? two : one).consume("write", "key:shared"));
    expect(results.map((r) => r.remaining)).toEqual([3, 2, 1, 0]);
    const refused = await two.consume("write", "key:shared");
    expect(refused.blocked).toBe(true);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("two memory limiters do not (each process has its own)", async () => {
    const one = createApiRateLimiter({ limits, store: "memory", keyPrefix: "test-mem" });
    const two = createApiRateLimiter({ limits, store: "memory", keyPrefix: "test-mem" });
    for (let i = 0; i < 4; i++) await one.consume("write", "key:x");
    expect((await one.consume("write", "key:x")).blocked).toBe(true);
    expect((await two.consume("write", "key:x")).blocked).toBe(false);
  });

  it("with Redis unreachable the insurance limiter still limits", async () => {
    const limiter = createApiRateLimiter({ limits, store: DEAD_REDIS, keyPrefix: `test-dead-${randomUUID()}` });
    expect(await limiter.ready(300)).toBe(false);
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await limiter.consume("write", "key:dead"));
    expect(results.map((r) => r.blocked)).toEqual([false, false, false, false, true]);
    expect(results[4]!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("the API keeps answering (and limiting) while Redis is down", async () => {
    setApiRateLimits({ store: DEAD_REDIS, keyPrefix: `test-dead-api-${randomUUID()}`, limits: { ...HIGH, readPerMinute: 1 } });
    const key = await createKey();
    const ip = uniqueIp();
    expect((await get("/listings?limit=1", key, ip)).status).toBe(200);
    expect((await get("/listings?limit=1", key, ip)).status).toBe(429);
  });
});
