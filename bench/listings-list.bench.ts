/**
 * listings.list at 100 000 listings under 50 concurrent clients, through the real tRPC caller
 * (session → tenant resolution → zod → service → Prisma → PostgreSQL). Figures, not assertions:
 * the target (p95 well under a page load) is judged in docs/benchmarks.md.
 */
import { it } from "vitest";

import { callerFor, db } from "../tests/integration/helpers/fixtures";
import { record, summarize } from "./helpers";

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 100_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const REQUESTS_PER_CLIENT = Number(process.env.BENCH_REQUESTS ?? 20);

it(`listings.list with ${LISTINGS} listings and ${CLIENTS} concurrent clients`, { timeout: 600_000 }, async () => {
  const org = await db.organization.create({ data: { name: "Bench", slug: `bench-${Date.now()}` } });
  const user = await db.user.create({ data: { email: `bench-${Date.now()}@example.test`, name: "Bench", passwordHash: "x", activeOrganizationId: org.id } });
  await db.membership.create({ data: { organizationId: org.id, userId: user.id, role: "VIEWER" } });
  const connection = await db.connection.create({
    data: { organizationId: org.id, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: "bench" },
  });

  const seedStarted = performance.now();
  // Set-based: one statement, realistic spread of prices, stock, scores and categories.
  await db.$executeRaw`
    INSERT INTO listings (id, organization_id, connection_id, provider, external_id, title, category_id, status,
                          price_cents, stock, sold_quantity, health_score, created_at, updated_at)
    SELECT 'bench' || g, ${org.id}, ${connection.id}, 'MERCADOLIVRE', 'MLB' || g,
           (ARRAY['Fone Bluetooth','Panela Antiaderente','Tênis Corrida','Mochila Notebook','Cafeteira Elétrica'])[1 + g % 5] || ' modelo ' || g,
           'MLB' || (1000 + g % 40), (ARRAY['ACTIVE','ACTIVE','ACTIVE','PAUSED'])[1 + g % 4]::"ListingStatus",
           1000 + (g * 7919) % 500000, (g * 31) % 200, (g * 17) % 900,
           CASE WHEN g % 10 = 0 THEN NULL ELSE (g * 37) % 101 END,
           now() - (g || ' minutes')::interval, now()
    FROM generate_series(1, ${LISTINGS}) AS g`;
  await db.$executeRaw`ANALYZE listings`;
  const seedMs = performance.now() - seedStarted;

  const caller = await callerFor(user.id);
  const shapes: { name: string; input: Record<string, unknown> }[] = [
    { name: "first page", input: { limit: 50 } },
    { name: "search title", input: { limit: 50, search: "cafeteira" } },
    { name: "poor health, worst first", input: { limit: 50, health: "poor", sort: "health_asc" } },
    { name: "price descending", input: { limit: 50, sort: "price_desc" } },
  ];
  const byShape: Record<string, number[]> = Object.fromEntries(shapes.map((s) => [s.name, []]));
  const all: number[] = [];

  // Warm-up: connection pool and query plans.
  for (const shape of shapes) await (caller.listings.list as (i: unknown) => Promise<unknown>)(shape.input);

  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      let cursor: string | null = null;
      for (let i = 0; i < REQUESTS_PER_CLIENT; i++) {
        const shape = shapes[(client + i) % shapes.length]!;
        // Half of the first-page requests follow the previous cursor: deep pages cost the same.
        const input = shape.name === "first page" && cursor ? { ...shape.input, cursor } : shape.input;
        const t0 = performance.now();
        const page = (await (caller.listings.list as (i: unknown) => Promise<{ nextCursor: string | null }>)(input));
        const ms = performance.now() - t0;
        if (shape.name === "first page") cursor = page.nextCursor;
        byShape[shape.name]!.push(ms);
        all.push(ms);
      }
    }),
  );
  const wallMs = performance.now() - started;

  record("listings-list", {
    listings: LISTINGS,
    clients: CLIENTS,
    requests: all.length,
    seedMs: Math.round(seedMs),
    throughputPerSecond: Math.round((all.length / wallMs) * 1000),
    latencyMs: summarize(all),
    latencyMsByShape: Object.fromEntries(Object.entries(byShape).map(([k, v]) => [k, summarize(v)])),
  });
});
