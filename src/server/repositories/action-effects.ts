import type { DbOrTx } from "~/server/db";
import type { ActionType } from "~/generated/prisma/enums";

/**
 * Applied actions whose `horizonDays` had passed at `asOf` and that have no effect measured at that
 * horizon yet, oldest first. Crosses organizations on purpose: the daily cron measures everyone, and each
 * row carries its organization id for the writes that follow.
 */
export function actionsDueForEffect(db: DbOrTx, horizonDays: number, asOf: Date, limit: number) {
  const cutoff = new Date(asOf.getTime() - horizonDays * 86_400_000);
  return db.action.findMany({
    where: { status: "APPLIED", appliedAt: { lte: cutoff }, listingId: { not: null }, effects: { none: { horizonDays } } },
    select: { id: true, organizationId: true, listingId: true, type: true, appliedAt: true, baseline: true },
    orderBy: [{ appliedAt: "asc" }, { id: "asc" }],
    take: limit,
  });
}

export type EffectRow = {
  organizationId: string;
  actionId: string;
  type: ActionType;
  horizonDays: number;
  scoreBefore: number | null;
  scoreAfter: number | null;
  visitsPerDayBefore100: number;
  visitsPerDayAfter100: number;
  salesPerDayBefore100: number;
  salesPerDayAfter100: number;
  measuredAt: Date;
};

/** Stores one measurement; a second one for the same (action, horizon) changes nothing. */
export async function insertEffect(db: DbOrTx, row: EffectRow): Promise<boolean> {
  const { count } = await db.actionEffect.createMany({ data: [row], skipDuplicates: true });
  return count === 1;
}

export function listEffectsOfAction(db: DbOrTx, organizationId: string, actionId: string) {
  return db.actionEffect.findMany({
    where: { organizationId, actionId },
    select: {
      horizonDays: true,
      scoreBefore: true,
      scoreAfter: true,
      visitsPerDayBefore100: true,
      visitsPerDayAfter100: true,
      salesPerDayBefore100: true,
      salesPerDayAfter100: true,
      measuredAt: true,
    },
    orderBy: { horizonDays: "asc" },
  });
}

export type EffectSummaryRow = {
  type: ActionType;
  horizonDays: number;
  count: number;
  /** Average score change in points (null when no measurement had both scores). */
  avgScoreChange: number | null;
  /** Average change of visits/day and sales/day (after minus before). */
  avgVisitsPerDayChange: number;
  avgSalesPerDayChange: number;
};

/** Measured gain per action type and horizon for one organization. */
export async function summarizeEffects(db: DbOrTx, organizationId: string): Promise<EffectSummaryRow[]> {
  const rows = await db.$queryRaw<
    Array<{ type: ActionType; horizon_days: number; count: bigint; score: number | null; visits: number | null; sales: number | null }>
  >`
    SELECT type::text AS type, horizon_days, COUNT(*) AS count,
           AVG(score_after - score_before)::float8 AS score,
           (AVG(visits_per_day_after_100 - visits_per_day_before_100) / 100.0)::float8 AS visits,
           (AVG(sales_per_day_after_100 - sales_per_day_before_100) / 100.0)::float8 AS sales
      FROM action_effects
     WHERE organization_id = ${organizationId}
     GROUP BY type, horizon_days
     ORDER BY type, horizon_days`;
  return rows.map((r) => ({
    type: r.type,
    horizonDays: r.horizon_days,
    count: Number(r.count),
    avgScoreChange: r.score === null ? null : Math.round(r.score * 10) / 10,
    avgVisitsPerDayChange: Math.round((r.visits ?? 0) * 100) / 100,
    avgSalesPerDayChange: Math.round((r.sales ?? 0) * 100) / 100,
  }));
}

export function findListingScore(db: DbOrTx, organizationId: string, listingId: string) {
  return db.listing.findFirst({ where: { id: listingId, organizationId }, select: { healthScore: true } });
}
