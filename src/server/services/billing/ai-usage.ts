import { effectivePlan } from "~/server/billing/entitlements";
import { aiUsageByDay, aiUsageByFeature, aiUsageTotals } from "~/server/repositories/billing";
import type { TenantCtx } from "../context";

/** "YYYY-MM" of a date's UTC month. */
export function monthKey(d: Date) {
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/**
 * One UTC calendar month of AI usage: credits against the plan's monthly allowance (the plan in
 * force now), tokens, estimated cost and calls, by feature and by day.
 */
export async function aiUsageReport(ctx: TenantCtx, input: { month?: string }, now = new Date()) {
  const orgId = ctx.tenant.organizationId;
  const month = input.month ?? monthKey(now);
  const [year, mon] = month.split("-").map(Number) as [number, number];
  const from = new Date(Date.UTC(year, mon - 1, 1));
  const to = new Date(Date.UTC(year, mon, 1));
  const [plan, totals, byFeature, byDay] = await Promise.all([
    effectivePlan(ctx.db, orgId, now),
    aiUsageTotals(ctx.db, orgId, from, to),
    aiUsageByFeature(ctx.db, orgId, from, to),
    aiUsageByDay(ctx.db, orgId, from, to),
  ]);
  return { month, creditLimit: plan.limits.aiCreditsPerMonth, ...totals, byFeature, byDay };
}
