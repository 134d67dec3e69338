/**
 * Recommended actions generated per second with the local generator: N listings (default 20 000)
 * with a realistic spread of problems and 30 days of metrics, inserted set-based, then one
 * recommendation run exactly as the background function runs it (keyset batches → engine +
 * applicability in memory → INSERT … ON CONFLICT → retirement), then a second run in which every
 * recommendation already exists (the steady state after each sync). Figures, not assertions.
 */
import { it } from "vitest";

import { generateRecommendations } from "~/server/services/actions/generate";
import { db } from "../tests/integration/helpers/fixtures";
import { record } from "./helpers";

const LISTINGS = Number(process.env.BENCH_ACTIONS_LISTINGS ?? 20_000);
const DAYS = 45;

it(`generates recommended actions for ${LISTINGS} listings with the local generator`, { timeout: 900_000 }, async () => {
  const org = await db.organization.create({ data: { name: "Bench actions", slug: `bench-actions-${Date.now()}` } });
  const connection = await db.connection.create({
    data: { organizationId: org.id, provider: "MERCADOLIVRE", kind: "MARKETPLACE", externalAccountId: "bench-actions" },
  });

  // Row ids unique per run, so the benchmark also runs against a database it ran on before.
  const tag = `bench-actions-${Date.now().toString(36)}`;
  const seedStarted = performance.now();
  // Problems by residue (independent enough): short title 1/10, no GTIN 1/4, few photos 1/5,
  // no free shipping 1/3, overpriced 1/7, no description 1/6, variations 1/11, catalog 1/13,
  // paused 1/20, sold out 1/12; a third without sales (their title can still change).
  await db.$executeRaw`
    INSERT INTO listings (id, organization_id, connection_id, provider, external_id, title, category_id, status,
                          price_cents, suggested_price_cents, stock, sold_quantity, listing_type, free_shipping,
                          picture_count, gtin, description, attributes, has_variations, catalog_listing, tags,
                          quality_score, quality_rules, sales_since, visits_since, created_at, updated_at)
    SELECT ${tag} || '-' || g, ${org.id}, ${connection.id}, 'MERCADOLIVRE', 'MLB' || g,
           CASE WHEN g % 10 = 0 THEN split_part(p.noun, ' ', 1) || ' ' || p.brand
                ELSE p.noun || ' ' || p.brand || ' ' || p.model || ' ' || p.variant END,
           p.category, CASE WHEN g % 20 = 0 THEN 'PAUSED' ELSE 'ACTIVE' END::"ListingStatus",
           CASE WHEN g % 7 = 0 THEN p.ref * 13 / 10 ELSE p.ref END, p.ref,
           CASE WHEN g % 12 = 0 THEN 0 ELSE 1 + (g * 31) % 200 END,
           CASE WHEN g % 3 = 1 THEN 0 ELSE (g * 17) % 900 END,
           'gold_special', g % 3 <> 0,
           CASE WHEN g % 5 = 0 THEN 1 ELSE 3 + g % 8 END,
           CASE WHEN g % 4 = 0 THEN NULL ELSE '789' || lpad((g % 1000000000)::text, 10, '0') END,
           CASE WHEN g % 6 = 0 THEN NULL ELSE p.noun || ' ' || p.brand || ' ' || p.model || '. Produto novo, original, com nota fiscal e garantia do fabricante. Envio no mesmo dia útil.' END,
           jsonb_build_array(
             jsonb_build_object('id', 'BRAND', 'name', 'Marca', 'value', p.brand),
             jsonb_build_object('id', 'MODEL', 'name', 'Modelo', 'value', p.model),
             jsonb_build_object('id', 'COLOR', 'name', 'Cor', 'value', p.variant),
             jsonb_build_object('id', 'GTIN', 'name', 'Código universal de produto',
                                'value', CASE WHEN g % 4 = 0 THEN NULL ELSE '789' || lpad((g % 1000000000)::text, 10, '0') END),
             jsonb_build_object('id', 'PACKAGE_WEIGHT', 'name', 'Peso da embalagem', 'value', CASE WHEN g % 8 = 0 THEN NULL ELSE (100 + g % 900) || ' g' END)
           ),
           g % 11 = 0, g % 13 = 0, CASE WHEN g % 17 = 0 THEN ARRAY['poor_quality_picture'] ELSE ARRAY[]::text[] END,
           40 + g % 60,
           CASE WHEN g % 10 = 0 THEN '[{"key":"TITLE_QUALITY","mode":"OPPORTUNITY","status":"PENDING","progress":0.3}]'::jsonb
                ELSE '[{"key":"TITLE_QUALITY","mode":"OPPORTUNITY","status":"COMPLETED","progress":1}]'::jsonb END,
           current_date - ${DAYS - 1}::int, current_date - ${DAYS - 1}::int, now(), now()
    FROM generate_series(1, ${LISTINGS}) AS g
    CROSS JOIN LATERAL (
      SELECT (ARRAY['Fone de Ouvido Bluetooth','Smartphone','Kit Panelas Antiaderente','Tênis de Corrida','Air Fryer Fritadeira Elétrica'])[1 + g % 5] AS noun,
             (ARRAY['JBL','Samsung','Tramontina','Olympikus','Mondial','Philco','Xiaomi'])[1 + g % 7] AS brand,
             (ARRAY['Tune 510BT','Galaxy A15 128GB','Paris 5 Peças','Corre 3','AFN-40 4L','PFR15PG'])[1 + g % 6] AS model,
             (ARRAY['Preto','Azul','Vermelho','Branco'])[1 + g % 4] AS variant,
             (ARRAY['MLB196208','MLB1055','MLB1575','MLB1276','MLB1644'])[1 + g % 5] AS category,
             9990 + (g * 7919) % 200000 AS ref
    ) p`;
  // 30 days of metrics: every 9th listing sells nothing (with visits: a dead-listing candidate).
  await db.$executeRaw`
    INSERT INTO listing_metric_snapshots (id, organization_id, listing_id, date, visits, sales, price_cents, stock, created_at)
    SELECT ${tag} || '-' || g || '-' || d, ${org.id}, ${tag} || '-' || g, current_date - d, 5 + (g * 7 + d) % 20,
           CASE WHEN g % 9 = 0 THEN 0 ELSE ((g + d) % 4 = 0)::int END, 10000, 10, now()
    FROM generate_series(1, ${LISTINGS}) AS g CROSS JOIN generate_series(0, ${DAYS - 1}) AS d`;
  await db.$executeRaw`ANALYZE listings`;
  await db.$executeRaw`ANALYZE listing_metric_snapshots`;
  const seedMs = performance.now() - seedStarted;

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const firstStarted = performance.now();
    const first = await generateRecommendations(db, org.id, { aiProvider: null });
    const firstMs = performance.now() - firstStarted;

    const secondStarted = performance.now();
    const second = await generateRecommendations(db, org.id, { aiProvider: null });
    const secondMs = performance.now() - secondStarted;

    const byType = await db.action.groupBy({ by: ["type"], where: { organizationId: org.id, status: "PENDING" }, _count: { _all: true } });
    const bySource = await db.action.groupBy({ by: ["source"], where: { organizationId: org.id, status: "PENDING" }, _count: { _all: true } });
    const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
    record("actions", {
      listings: LISTINGS,
      metricSnapshots: LISTINGS * DAYS,
      seedSeconds: Math.round(seedMs / 100) / 10,
      firstRun: {
        ...first,
        wallSeconds: Math.round(firstMs / 100) / 10,
        actionsCreatedPerSecond: perSecond(first.created, firstMs),
        listingsPerSecond: perSecond(LISTINGS, firstMs),
      },
      secondRunAllDuplicates: {
        ...second,
        wallSeconds: Math.round(secondMs / 100) / 10,
        listingsPerSecond: perSecond(LISTINGS, secondMs),
      },
      pendingByType: Object.fromEntries(byType.map((r) => [r.type, r._count._all])),
      pendingBySource: Object.fromEntries(bySource.map((r) => [r.source, r._count._all])),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
    });
  } finally {
    clearInterval(sampler);
  }
});
