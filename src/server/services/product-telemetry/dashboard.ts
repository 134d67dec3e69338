/**
 * The platform admin's product dashboard: activation, weekly active organizations and users, a
 * retention cohort table and feature usage — all computed by SQL over product_events (counts only,
 * never a row). Organizations that opted out are left out of every number, denominators included.
 * Weeks are UTC weeks starting on Monday (PostgreSQL's date_trunc('week')).
 */
import {
  countCohortActivity,
  countCohortSizes,
  countFeatureUsage,
  countMilestoneReached,
  countReachedAll,
  countWeeklyActive,
} from "~/server/repositories/product-events";
import type { UserCtx } from "../context";

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** Weeks shown (the current one included) in the weekly-active and cohort tables. */
export const DASHBOARD_WEEKS = 8;
/** An organization is activated when it reaches the milestones within this many days of signing up. */
export const ACTIVATION_DAYS = 14;
export const FEATURE_USAGE_DAYS = 30;
const FEATURE_USAGE_LIMIT = 50;

/**
 * The activation milestones, in the order a new organization meets them. Activated = `connected`
 * and `firstValue` (an action approved or a post scheduled) both reached within ACTIVATION_DAYS.
 */
export const MILESTONES = [
  { key: "connected", features: ["connections.connected"] },
  { key: "explored", features: ["listings.view", "content.view"] },
  { key: "firstValue", features: ["actions.approve", "publications.schedule"] },
] as const;
const ACTIVATED_BY = ["connected", "firstValue"] as const;

export type MilestoneKey = (typeof MILESTONES)[number]["key"];

/** Monday 00:00 UTC of the week holding `at`. */
export function startOfUtcWeek(at: Date): Date {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day - weekday * DAY_MS);
}

const percent = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10);
const weekKey = (d: Date) => d.toISOString().slice(0, 10);

export async function productDashboard(ctx: UserCtx, now = new Date()) {
  const thisWeek = startOfUtcWeek(now);
  const firstWeek = new Date(thisWeek.getTime() - (DASHBOARD_WEEKS - 1) * WEEK_MS);
  const window = { since: firstWeek, until: now };
  const usageSince = new Date(now.getTime() - FEATURE_USAGE_DAYS * DAY_MS);
  const groupOf = (key: MilestoneKey) => MILESTONES.find((m) => m.key === key)!.features;

  const [milestoneCounts, activated, weekly, sizes, activity, features] = await Promise.all([
    Promise.all(MILESTONES.map((m) => countMilestoneReached(ctx.db, window, m.features, ACTIVATION_DAYS))),
    countReachedAll(ctx.db, window, ACTIVATED_BY.map(groupOf), ACTIVATION_DAYS),
    countWeeklyActive(ctx.db, firstWeek, now),
    countCohortSizes(ctx.db, firstWeek, now),
    countCohortActivity(ctx.db, firstWeek, now),
    countFeatureUsage(ctx.db, usageSince, now, FEATURE_USAGE_LIMIT),
  ]);

  const organizations = milestoneCounts[0]?.organizations ?? 0;
  const weeks = Array.from({ length: DASHBOARD_WEEKS }, (_, i) => new Date(firstWeek.getTime() + i * WEEK_MS));
  const weeklyByKey = new Map(weekly.map((w) => [weekKey(w.week), w]));
  const sizeByKey = new Map(sizes.map((s) => [weekKey(s.week), s.organizations]));
  const activeByCell = new Map(activity.map((a) => [`${weekKey(a.week)}|${a.weeksSince}`, a.organizations]));

  return {
    generatedAt: now,
    activation: {
      days: ACTIVATION_DAYS,
      since: firstWeek,
      organizations,
      milestones: MILESTONES.map((m, i) => {
        const reached = milestoneCounts[i]?.reached ?? 0;
        return { key: m.key, features: [...m.features], organizations: reached, percent: percent(reached, organizations) };
      }),
      activated: { organizations: activated, percent: percent(activated, organizations) },
    },
    weeklyActive: weeks.map((week) => ({ week, organizations: weeklyByKey.get(weekKey(week))?.organizations ?? 0, users: weeklyByKey.get(weekKey(week))?.users ?? 0 })),
    // One row per signup week; cell k = % of that cohort active in its k-th week (null: not reached yet).
    retention: weeks.map((week, row) => {
      const size = sizeByKey.get(weekKey(week)) ?? 0;
      const cells = Array.from({ length: DASHBOARD_WEEKS }, (_, k) => {
        if (k > DASHBOARD_WEEKS - 1 - row) return null;
        const active = activeByCell.get(`${weekKey(week)}|${k}`) ?? 0;
        return { organizations: active, percent: percent(active, size) };
      });
      return { week, organizations: size, cells };
    }),
    features: { days: FEATURE_USAGE_DAYS, rows: features },
  };
}
