/**
 * Date windows and figures of the analytics page, pure (unit-tested). Snapshot dates are UTC
 * calendar days, as the networks report them (SocialConnector.getAccountMetrics): a range of N days
 * is today and the N − 1 days before it, in UTC.
 */
export const ANALYTICS_RANGES = [7, 30, 90] as const;
export type AnalyticsRange = (typeof ANALYTICS_RANGES)[number];

const DAY_MS = 86_400_000;

/** UTC midnight of the instant's day (a `@db.Date` value). */
export function utcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

export function addUtcDays(day: Date, days: number): Date {
  return new Date(day.getTime() + days * DAY_MS);
}

export function isoDay(day: Date): string {
  return day.toISOString().slice(0, 10);
}

/** The range's first and last day (inclusive), and the instant the day after it starts (for timestamps). */
export function rangeWindow(range: number, now: Date): { from: Date; to: Date; endExclusive: Date } {
  const to = utcDay(now);
  return { from: addUtcDays(to, -(range - 1)), to, endExclusive: addUtcDays(to, 1) };
}

/** Every day of [from, to] as YYYY-MM-DD (chart x axis; days without a snapshot stay in the series). */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let day = utcDay(from); day.getTime() <= to.getTime(); day = addUtcDays(day, 1)) days.push(isoDay(day));
  return days;
}

/**
 * Which account days to ask the network for: 90 on the first sync (the page's longest range),
 * then the last 3 (networks revise recent days for up to ~48 h) — reaching further back to two days
 * before the newest stored day when that is older, because a network that reports with a delay
 * (YouTube Analytics lags 2–3 days) would otherwise leave days that arrive late forever missing.
 */
export function accountSyncWindow(now: Date, firstSync: boolean, newestStored: Date | null = null): { from: Date; to: Date } {
  const to = utcDay(now);
  const oldest = addUtcDays(to, -89);
  if (firstSync || !newestStored) return { from: oldest, to };
  const recent = addUtcDays(to, -2);
  const afterStored = addUtcDays(utcDay(newestStored), -2);
  const from = afterStored < recent ? afterStored : recent;
  return { from: from < oldest ? oldest : from, to };
}

/** Engagements per reach (views when the network reports no reach), as a fraction; null without an audience. */
export function engagementRate(engagements: number, reach: number, views: number): number | null {
  const audience = reach > 0 ? reach : views;
  if (audience <= 0) return null;
  return Math.round((engagements / audience) * 10_000) / 10_000;
}

export type PostTotals = { views: number; reach: number; likes: number; comments: number; shares: number; saves: number };

export function engagementsOf(m: Pick<PostTotals, "likes" | "comments" | "shares" | "saves">): number {
  return m.likes + m.comments + m.shares + m.saves;
}

/**
 * How much a post grew within the range. Snapshots are lifetime totals, so growth is the latest
 * total minus the total before the range started: zero for a post published inside the range,
 * unknown (null) for an older post never measured before the range.
 */
export function postGrowth(
  latest: PostTotals | null,
  baseline: PostTotals | null,
  publishedAt: Date | null,
  rangeFrom: Date,
): { views: number; engagements: number } | null {
  if (!latest) return null;
  const publishedInRange = !!publishedAt && publishedAt.getTime() >= rangeFrom.getTime();
  const base = baseline ?? (publishedInRange ? { views: 0, reach: 0, likes: 0, comments: 0, shares: 0, saves: 0 } : null);
  if (!base) return null;
  return { views: Math.max(0, latest.views - base.views), engagements: Math.max(0, engagementsOf(latest) - engagementsOf(base)) };
}

/** Followers now and their change over the range: latest snapshot minus the last one before the range (or the first inside it). */
export function followerGrowth(series: { date: string; followers: number }[], baselineFollowers: number | null): { now: number; growth: number } | null {
  if (series.length === 0) return null;
  const sorted = [...series].sort((a, b) => a.date.localeCompare(b.date));
  const now = sorted[sorted.length - 1]!.followers;
  const start = baselineFollowers ?? sorted[0]!.followers;
  return { now, growth: now - start };
}
