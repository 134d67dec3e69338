import { isStripeConfigured } from "~/server/billing/stripe";
import { usageReport } from "~/server/billing/entitlements";
import { ZPlanLimits } from "~/server/billing/plans";
import { findSubscription } from "~/server/repositories/billing";
import { findPlan, listActivePlans } from "~/server/repositories/entitlements";
import type { TenantCtx } from "../context";

type PlanRow = { code: string; name: string; priceMonthlyCents: number; priceYearlyCents: number; currency: string; limits: unknown };

export function toPlan(p: PlanRow) {
  return {
    code: p.code,
    name: p.name,
    priceMonthlyCents: p.priceMonthlyCents,
    priceYearlyCents: p.priceYearlyCents,
    currency: p.currency,
    limits: ZPlanLimits.parse(p.limits),
  };
}

/** The plan in force, why, the subscription as Stripe (or test mode) left it, and every limit's usage. */
export async function currentBilling(ctx: TenantCtx, now = new Date()) {
  const orgId = ctx.tenant.organizationId;
  const [report, subscription] = await Promise.all([usageReport(ctx.db, orgId, now), findSubscription(ctx.db, orgId)]);
  const planRow = await findPlan(ctx.db, report.plan.code);
  return {
    plan: planRow
      ? toPlan(planRow)
      : { code: report.plan.code, name: report.plan.name, priceMonthlyCents: 0, priceYearlyCents: 0, currency: "BRL", limits: report.plan.limits },
    basis: report.plan.basis,
    subscription: subscription
      ? {
          planCode: subscription.plan.code,
          status: subscription.status,
          interval: subscription.interval,
          currentPeriodEnd: subscription.currentPeriodEnd,
          cancelAtPeriodEnd: subscription.cancelAtPeriodEnd,
          graceUntil: subscription.graceUntil,
          testMode: subscription.testMode,
        }
      : null,
    stripeConfigured: isStripeConfigured(),
    usage: report.usage,
  };
}

/** Active plans, cheapest first. */
export async function listPlans(ctx: TenantCtx) {
  const plans = await listActivePlans(ctx.db);
  return plans.map(toPlan).sort((a, b) => a.priceMonthlyCents - b.priceMonthlyCents);
}
