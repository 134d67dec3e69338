/**
 * The measured effect of applied actions: 7 and 30 days after `applied_at`, the listing's score
 * now against the baseline recorded when applying, and its visits/day and sales/day over the
 * horizon after against the same span before. Measured once per (action, horizon) by a daily cron.
 */
import type { Db } from "~/server/db";
import { actionsDueForEffect, findListingScore, insertEffect, summarizeEffects } from "~/server/repositories/action-effects";
import { metricTotals } from "~/server/repositories/actions";
import type { TenantCtx } from "../context";

export const EFFECT_HORIZONS = [7, 30] as const;
/**
 * Days to wait after a horizon ends before measuring it: Mercado Livre reports visits up to 48 h
 * late, so the window's last days would otherwise count as zero-visit days.
 */
export const EFFECT_SETTLE_DAYS = 2;
const DAY_MS = 86_400_000;
/** Measurements per horizon per cron run (the rest wait for the next day's run). */
const BATCH = 2_000;

function utcDay(at: Date) {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** Average per day in hundredths, over the days that have a snapshot (0 without any). */
function perDay100(total: number, days: number) {
  return days === 0 ? 0 : Math.round((total / days) * 100);
}

/**
 * Measures every applied action due at each horizon. The day the action was applied belongs to
 * neither span: "before" is the `horizon` days up to it, "after" the `horizon` days following it.
 */
export async function measureDueEffects(db: Db, now = new Date()) {
  let measured = 0;
  for (const horizonDays of EFFECT_HORIZONS) {
    const due = await actionsDueForEffect(db, horizonDays, new Date(now.getTime() - EFFECT_SETTLE_DAYS * DAY_MS), BATCH);
    for (const action of due) {
      if (!action.listingId || !action.appliedAt) continue;
      const appliedDay = utcDay(action.appliedAt);
      const span = horizonDays * DAY_MS;
      const [before, after, listing] = await Promise.all([
        metricTotals(db, action.organizationId, action.listingId, new Date(appliedDay.getTime() - span), appliedDay),
        metricTotals(db, action.organizationId, action.listingId, new Date(appliedDay.getTime() + DAY_MS), new Date(appliedDay.getTime() + DAY_MS + span)),
        findListingScore(db, action.organizationId, action.listingId),
      ]);
      const baseline = (action.baseline ?? {}) as { score?: number | null };
      const inserted = await insertEffect(db, {
        organizationId: action.organizationId,
        actionId: action.id,
        type: action.type,
        horizonDays,
        scoreBefore: typeof baseline.score === "number" ? baseline.score : null,
        scoreAfter: listing?.healthScore ?? null,
        visitsPerDayBefore100: perDay100(before.visits, before.days),
        visitsPerDayAfter100: perDay100(after.visits, after.days),
        salesPerDayBefore100: perDay100(before.sales, before.days),
        salesPerDayAfter100: perDay100(after.sales, after.days),
        measuredAt: now,
      });
      if (inserted) measured++;
    }
  }
  return { measured };
}

/** Measured gain per action type at 7 and 30 days (the dashboard card and the queue's header). */
export function effectsSummary(ctx: TenantCtx) {
  return summarizeEffects(ctx.db, ctx.tenant.organizationId);
}
