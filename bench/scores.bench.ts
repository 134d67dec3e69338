/**
 * Health Score recompute of 100 000 listings with 30 days of metric snapshots each (3 million
 * rows), through the real service (keyset batches: one read, one UPDATE, one INSERT per batch).
 * Three runs: the first (every listing gets its first history row), a second with nothing changed
 * (no history rows: the history rule), and a third after a tenth of the catalog lost its pictures.
 * Also the summary the /seller/scores page reads. Target: a full recompute ≤ 10 s.
 */
import { it } from "vitest";

import { recomputeScores, RECOMPUTE_BATCH } from "~/server/services/scores/recompute";
import { callerFor, db } from "../tests/integration/helpers/fixtures";
import { record } from "./helpers";

const LISTINGS = Number(process.env.BENCH_SCORE_LISTINGS ?? 100_000);
const DAYS = 30;

it(`recomputes the Health Score of ${LISTINGS} listings`, { timeout: 1_800_000 }, async () => {
  const org = await db.organization.create({ data: { name: "Scores bench", slug: `scores-bench-${Date.now()}` } });
  const user = await db.user.create({ data: { email: `scores-bench-${Date.now()}@example.test`, name: "Bench", passwordHash: "x", activeOrganizationId: org.id } });
  await db.membership.create({ data: { organizationId: org.id, userId: user.id, role: "VIEWER" } });
  const connection = await db.connection.create({
    data: { organizationId: org.id, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: "scores-bench" },
  });

  const seedStarted = performance.now();
  // Set-based and varied: every component sees good, poor and missing inputs somewhere.
  await db.$executeRaw`
    INSERT INTO listings (id, organization_id, connection_id, provider, external_id, title, category_id, status,
                          price_cents, suggested_price_cents, stock, sold_quantity, listing_type, free_shipping,
                          picture_count, gtin, description, attributes, tags, quality_score, quality_level, quality_rules,
                          market_signals_at, visits_since, sales_since, created_at, updated_at)
    SELECT 'sb' || g, ${org.id}, ${connection.id}, 'MERCADOLIVRE', 'MLB' || g,
           (ARRAY['Fone Bluetooth','Panela Antiaderente','Tênis Corrida','Mochila Notebook','Cafeteira Elétrica'])[1 + g % 5]
             || CASE WHEN g % 3 = 0 THEN ' com estojo e cabo USB-C, garantia de 12 meses' ELSE '' END || ' ' || g,
           'MLB' || (1000 + g % 40),
           (ARRAY['ACTIVE','ACTIVE','ACTIVE','ACTIVE','ACTIVE','ACTIVE','PAUSED','UNDER_REVIEW'])[1 + g % 8]::"ListingStatus",
           1000 + (g * 7919) % 50000,
           CASE WHEN g % 5 = 0 THEN NULL ELSE 1000 + (g * 7919) % 50000 - (g % 7) * 300 END,
           (g * 31) % 120, (g * 17) % 900,
           (ARRAY['gold_special','gold_pro','free'])[1 + g % 3], g % 4 <> 0, g % 7,
           CASE WHEN g % 2 = 0 THEN '789' || lpad((g % 10000000000)::text, 10, '0') END,
           CASE WHEN g % 4 = 0 THEN NULL ELSE repeat('Descrição detalhada do produto. ', 1 + g % 6) END,
           jsonb_build_array(
             jsonb_build_object('id', 'BRAND', 'name', 'Marca', 'value', 'Acme'),
             jsonb_build_object('id', 'MODEL', 'name', 'Modelo', 'value', CASE WHEN g % 3 = 0 THEN NULL ELSE 'X' || g END),
             jsonb_build_object('id', 'COLOR', 'name', 'Cor', 'value', CASE WHEN g % 5 = 0 THEN NULL ELSE 'Preto' END)),
           CASE WHEN g % 17 = 0 THEN ARRAY['poor_quality_picture'] WHEN g % 53 = 0 THEN ARRAY['deboost'] ELSE ARRAY[]::text[] END,
           CASE WHEN g % 6 = 0 THEN NULL ELSE 30 + (g * 13) % 70 END,
           CASE WHEN g % 6 = 0 THEN NULL ELSE 'Satisfatória' END,
           CASE WHEN g % 6 = 0 THEN NULL ELSE jsonb_build_array(
             jsonb_build_object('key', 'PICTURES', 'mode', 'OPPORTUNITY', 'status', CASE WHEN g % 2 = 0 THEN 'PENDING' ELSE 'COMPLETED' END, 'progress', 0.5),
             jsonb_build_object('key', 'TECHNICAL_SPECS', 'mode', 'WARNING', 'status', 'COMPLETED', 'progress', 1)) END,
           now() AT TIME ZONE 'UTC',
           -- Visits and sales known for the whole window, as after a first sync and its backfill.
           (now() AT TIME ZONE 'UTC')::date - 60, (now() AT TIME ZONE 'UTC')::date - 60,
           now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM generate_series(1, ${LISTINGS}) AS g`;
  // 30 days per listing, except every tenth listing (new: no snapshots yet).
  await db.$executeRaw`
    INSERT INTO listing_metric_snapshots (id, organization_id, listing_id, date, visits, sales, price_cents, stock, created_at)
    SELECT 'sbs' || g || '-' || d, ${org.id}, 'sb' || g, (now() AT TIME ZONE 'UTC')::date - d,
           (g * 7 + d * 3) % 60, CASE WHEN (g + d) % 9 = 0 THEN 1 + g % 3 ELSE 0 END, 1000, 10, now() AT TIME ZONE 'UTC'
    FROM generate_series(1, ${LISTINGS}) AS g, generate_series(0, ${DAYS - 1}) AS d
    WHERE g % 10 <> 0`;
  // What autovacuum does to freshly loaded tables (an import of 100k listings takes minutes, it
  // runs meanwhile); without it the first read of each page also sets its hint bits.
  await db.$executeRaw`VACUUM ANALYZE listings`;
  await db.$executeRaw`VACUUM ANALYZE listing_metric_snapshots`;
  const seedMs = performance.now() - seedStarted;

  const timed = async <T,>(fn: () => Promise<T>) => {
    const t0 = performance.now();
    const result = await fn();
    return { result, ms: Math.round(performance.now() - t0) };
  };

  const first = await timed(() => recomputeScores(db, org.id));
  const unchanged = await timed(() => recomputeScores(db, org.id));
  // A tenth of the catalog loses its pictures (as after a moderation): their scores move.
  await db.$executeRaw`UPDATE listings SET picture_count = 0 WHERE organization_id = ${org.id} AND id LIKE 'sb%1'`;
  const tenthChanged = await timed(() => recomputeScores(db, org.id));

  const caller = await callerFor(user.id);
  await caller.scores.summary();
  const summary = await timed(() => caller.scores.summary());
  const historyCount = await db.healthScore.count({ where: { organizationId: org.id } });

  record("scores", {
    listings: LISTINGS,
    snapshotDays: DAYS,
    batchSize: RECOMPUTE_BATCH,
    seedMs: Math.round(seedMs),
    firstRecompute: { ms: first.ms, ...first.result, listingsPerSecond: Math.round((first.result.scored / first.ms) * 1000) },
    unchangedRecompute: { ms: unchanged.ms, ...unchanged.result },
    tenthChangedRecompute: { ms: tenthChanged.ms, ...tenthChanged.result },
    historyRows: historyCount,
    summaryMs: summary.ms,
    bands: summary.result.bands,
    average: summary.result.average,
    averageConfidence: summary.result.averageConfidence,
  });
});
