/**
 * The REST layer's cost: GET /api/v1/listings?limit=50 through the dispatcher (route match, rate
 * limits, Bearer API key resolution, query coercion, the procedure, the public contract parse,
 * the envelope) against the same page through the tRPC caller with a session, at 20 concurrent
 * clients, with the rate limits counted in memory and in Redis. Figures, not assertions: the
 * target (REST within a few ms of tRPC; Redis adding under a millisecond) is judged in
 * docs/benchmarks.md.
 */
import { afterAll, it } from "vitest";

import { dispatchRest } from "~/server/api/openapi/dispatch";
import { closeRateLimitStores, getApiRateLimiter, setApiRateLimits } from "~/server/lib/rate-limit";
import { randomToken, sha256 } from "~/server/lib/crypto";
import { callerFor, db } from "../tests/integration/helpers/fixtures";
import { record, summarize } from "./helpers";

const LISTINGS = Number(process.env.BENCH_REST_LISTINGS ?? 5_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const REQUESTS_PER_CLIENT = Number(process.env.BENCH_REQUESTS ?? 25);
const REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
// High enough that nothing is refused: the benchmark measures the counting, not the refusals.
const LIMITS = { ipPerMinute: 1_000_000, readPerMinute: 1_000_000, writePerMinute: 1_000_000, authPerMinute: 1_000_000 };

afterAll(async () => {
  setApiRateLimits(null);
  await closeRateLimitStores();
});

async function timed(run: () => Promise<void>, clients = CLIENTS) {
  const samples: number[] = [];
  // Warm-up: connection pool, query plans, the route table and the document.
  for (let i = 0; i < 5; i++) await run();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
        const t0 = performance.now();
        await run();
        samples.push(performance.now() - t0);
      }
    }),
  );
  const wallMs = performance.now() - started;
  return { throughputPerSecond: Math.round((samples.length / wallMs) * 1000), latencyMs: summarize(samples) };
}

it(`REST vs tRPC: listings page of 50 out of ${LISTINGS}, ${CLIENTS} clients`, { timeout: 600_000 }, async () => {
  const org = await db.organization.create({ data: { name: "Bench REST", slug: `bench-rest-${Date.now()}` } });
  const user = await db.user.create({ data: { email: `bench-rest-${Date.now()}@example.test`, name: "Bench", passwordHash: "x", activeOrganizationId: org.id } });
  await db.membership.create({ data: { organizationId: org.id, userId: user.id, role: "OWNER" } });
  const connection = await db.connection.create({ data: { organizationId: org.id, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: "bench-rest" } });
  await db.$executeRaw`
    INSERT INTO listings (id, organization_id, connection_id, provider, external_id, title, category_id, status,
                          price_cents, stock, sold_quantity, health_score, created_at, updated_at)
    SELECT 'brest' || g, ${org.id}, ${connection.id}, 'MERCADOLIVRE', 'MLB' || g, 'Produto ' || g, 'MLB1000', 'ACTIVE',
           1000 + g, g % 50, g % 90, g % 101, now() - (g || ' minutes')::interval, now()
    FROM generate_series(1, ${LISTINGS}) AS g`;
  await db.$executeRaw`ANALYZE listings`;
  const key = `ssk_${randomToken(32)}`;
  await db.apiKey.create({ data: { organizationId: org.id, name: "bench", prefix: key.slice(0, 12), keyHash: sha256(key), scopes: ["listings:read"], createdById: user.id } });

  const caller = await callerFor(user.id);
  const trpcPage = async () => {
    await caller.listings.list({ limit: 50 });
  };
  // One client first (the per-request overhead, nothing queued), then CLIENTS at once.
  const trpcSequential = await timed(trpcPage, 1);
  const trpc = await timed(trpcPage);

  const rest = async () => {
    const response = await dispatchRest(new Request("http://bench.test/api/v1/listings?limit=50", { headers: { authorization: `Bearer ${key}`, "x-forwarded-for": "198.51.100.9" } }));
    if (response.status !== 200) throw new Error(`REST answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
  };
  setApiRateLimits({ limits: LIMITS, store: "memory", keyPrefix: `bench-${Date.now()}` });
  const restMemorySequential = await timed(rest, 1);
  const restMemory = await timed(rest);
  setApiRateLimits({ limits: LIMITS, store: REDIS as `redis://${string}`, keyPrefix: `bench-${Date.now()}` });
  if (!(await getApiRateLimiter().ready(5000))) throw new Error(`No Redis at ${REDIS}`);
  const restRedisSequential = await timed(rest, 1);
  const restRedis = await timed(rest);

  record("rest", {
    listings: LISTINGS,
    sequential: { requests: REQUESTS_PER_CLIENT, trpcCaller: trpcSequential, restMemoryLimits: restMemorySequential, restRedisLimits: restRedisSequential },
    concurrent: { clients: CLIENTS, requests: CLIENTS * REQUESTS_PER_CLIENT, trpcCaller: trpc, restMemoryLimits: restMemory, restRedisLimits: restRedis },
  });
});
