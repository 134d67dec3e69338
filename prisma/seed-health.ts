/**
 * Demo data for the Health Score and the action queue, so both are alive right after `npm run dev`:
 * the demo listings' market signals (quality report, price reference) read from the in-process
 * sandbox, a score history, recommended actions from the real engine, and a few actions applied
 * in the past with their measured effects.
 *
 * Everything goes through the app's own services (scoring, generation, effect measurement). Two
 * things are staged for the demo and say so in their rows (`result.seed = true`, audit metadata):
 * - the score history is the real engine run "as of" earlier days over the ingested metrics
 *   (today's market signals are used for those days, the provider keeps no history of them);
 * - the applied actions were never sent to the sandbox: their change is written to our listing
 *   row only, so a later full resync of the demo account shows the sandbox's values again.
 * Idempotent: an organization that already has scores is left alone.
 */
import type { PrismaClient } from "../src/generated/prisma/client";
import { decryptSecret, parseKey } from "../src/server/lib/crypto";
import { env } from "../src/env.js";
import { writeMarketSignals, type MarketSignals } from "../src/server/repositories/listings";
import { generateRecommendations } from "../src/server/services/actions/generate";
import { backfillSalesHistory } from "../src/server/services/listings/sales-history";
import { measureDueEffects } from "../src/server/services/actions/effects";
import { recomputeScores } from "../src/server/services/scores/recompute";
import { DEMO_HISTORY_DAYS, inProcessMercadoLivre } from "./seed-marketplace";

const DAY_MS = 86_400_000;
/** Days back at which the history is computed (the chart and the 7-day movers read these). */
const HISTORY_DAYS_AGO = [28, 21, 14, 10, 7, 3, 1] as const;
/** Applied demo actions: how many days ago, and which kinds (ones whose change our row holds). */
const APPLIED_DEMO = [
  { daysAgo: 35, type: "ENABLE_FREE_SHIPPING" },
  { daysAgo: 33, type: "ADJUST_PRICE" },
  { daysAgo: 12, type: "ENABLE_FREE_SHIPPING" },
  { daysAgo: 10, type: "ADJUST_PRICE" },
  { daysAgo: 9, type: "RESTOCK_ALERT" },
] as const;

type Demo = { organizationId: string; userId: string };

export async function seedDemoHealth(db: PrismaClient, demo: Demo) {
  const connection = await db.connection.findFirst({
    where: { organizationId: demo.organizationId, provider: "MERCADOLIVRE", status: "ACTIVE" },
    select: { id: true, accessTokenEnc: true, externalAccountId: true },
  });
  if (!connection?.accessTokenEnc) return { skipped: "no demo marketplace account" };
  if (await db.healthScore.findFirst({ where: { organizationId: demo.organizationId }, select: { id: true } })) {
    return { skipped: "already scored" };
  }

  const now = new Date();
  const { signals, salesDays } = await seedProviderData(db, demo.organizationId, { ...connection, accessTokenEnc: connection.accessTokenEnc }, now);

  // Score history: the engine as it would have scored each earlier day, oldest first, with the
  // demo's applied actions taking effect on their day.
  const days = [...new Set([...HISTORY_DAYS_AGO, ...APPLIED_DEMO.map((a) => a.daysAgo)])].sort((a, b) => b - a);
  let applied = 0;
  for (const daysAgo of days) {
    const at = new Date(now.getTime() - daysAgo * DAY_MS);
    await recomputeScores(db, demo.organizationId, { now: at });
    for (const spec of APPLIED_DEMO.filter((a) => a.daysAgo === daysAgo)) {
      if (await seedAppliedAction(db, demo, spec.type, at)) applied++;
    }
  }
  await recomputeScores(db, demo.organizationId, { now });
  // The runs "as of" earlier days left suggestions dated then: today's queue is generated today.
  await db.action.deleteMany({ where: { organizationId: demo.organizationId, status: { not: "APPLIED" } } });
  await generateRecommendations(db, demo.organizationId, { userId: demo.userId, aiProvider: null, now });
  const effects = await measureDueEffects(db, now);
  const pending = await db.action.count({ where: { organizationId: demo.organizationId, status: "PENDING" } });
  return { signals, salesDays, applied, pending, effects: effects.measured };
}

/**
 * What the background functions would fetch after the demo's first sync: the sales history from
 * the orders API (as far back as the demo's visits), and each listing's quality report, price
 * reference and description.
 */
async function seedProviderData(db: PrismaClient, organizationId: string, connection: { id: string; accessTokenEnc: string; externalAccountId: string }, now: Date) {
  const { connector } = inProcessMercadoLivre();
  const credentials = {
    accessToken: decryptSecret(connection.accessTokenEnc, { current: parseKey(env.TOKEN_ENCRYPTION_KEY), previous: [] }),
    externalAccountId: connection.externalAccountId,
  };
  const sales = await backfillSalesHistory(db, organizationId, connection.id, connector, credentials, {
    from: new Date(now.getTime() - (DEMO_HISTORY_DAYS - 1) * DAY_MS),
    to: now,
  });
  const listings = await db.listing.findMany({
    where: { organizationId, connectionId: connection.id, deletedAt: null },
    select: { id: true, externalId: true },
  });
  const rows: MarketSignals[] = [];
  for (const listing of listings) {
    const quality = await connector.getQuality(credentials, listing.externalId).catch(() => null);
    const price = await connector.getPriceReference(credentials, listing.externalId).catch(() => null);
    const description = await connector.getDescription?.(credentials, listing.externalId).catch(() => undefined);
    rows.push({
      description,
      listingId: listing.id,
      qualityScore: quality ? Math.round(quality.score) : null,
      qualityLevel: quality?.level ?? null,
      qualityRules: quality?.rules ?? null,
      suggestedPriceCents: price?.suggestedPriceCents ?? null,
    });
  }
  await writeMarketSignals(db, organizationId, rows, now);
  return { signals: rows.length, salesDays: sales.rows };
}

/**
 * One action applied in the past: generated by the engine "as of" that day, approved by the demo
 * owner, its change written to our listing row, baseline = the listing's score of that day.
 */
async function seedAppliedAction(db: PrismaClient, demo: Demo, type: (typeof APPLIED_DEMO)[number]["type"], at: Date) {
  await generateRecommendations(db, demo.organizationId, { userId: demo.userId, aiProvider: null, now: at });
  const action = await db.action.findFirst({
    where: { organizationId: demo.organizationId, type, status: "PENDING", listingId: { not: null } },
    orderBy: [{ expectedGain: "desc" }, { id: "asc" }],
    select: { id: true, listingId: true, payload: true, listing: { select: { healthScore: true, priceCents: true } } },
  });
  if (!action?.listingId || !action.listing) return false;
  const payload = action.payload as Record<string, number>;
  const change =
    type === "ENABLE_FREE_SHIPPING" ? { freeShipping: true }
    : type === "ADJUST_PRICE" ? { priceCents: payload.toCents }
    : { stock: payload.suggestedStock };
  await db.$transaction([
    db.listing.update({ where: { id: action.listingId }, data: change }),
    db.action.update({
      where: { id: action.id },
      data: {
        status: "APPLIED",
        openKey: null,
        approvedAt: at,
        approvedById: demo.userId,
        applyingAt: at,
        appliedAt: at,
        attempts: 1,
        baseline: { score: action.listing.healthScore, priceCents: action.listing.priceCents, at: at.toISOString() },
        result: { seed: true, note: "demo history: applied to our listing row only, not sent to the sandbox" },
      },
    }),
    db.auditLog.create({
      data: {
        organizationId: demo.organizationId,
        actorUserId: demo.userId,
        action: "action.applied",
        targetType: "action",
        targetId: action.id,
        metadata: { type, seed: true },
        createdAt: at,
      },
    }),
  ]);
  return true;
}
