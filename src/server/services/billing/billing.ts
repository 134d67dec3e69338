import { z } from "zod";

import { countConnections } from "~/server/repositories/connections";
import { countMembers, findPlanByCode, findSubscription } from "~/server/repositories/billing";
import type { TenantCtx } from "../context";

export const DEFAULT_PLAN_CODE = "gratis";

export const ZPlanLimits = z.object({
  marketplaceAccounts: z.number().int(),
  listings: z.number().int(),
  socialAccounts: z.number().int(),
  postsPerMonth: z.number().int(),
  aiCreditsPerMonth: z.number().int(),
  seats: z.number().int(),
});

/**
 * The organization's plan and current usage. Without a subscription row the organization is on
 * the free plan. Stripe checkout and enforcement arrive with the billing issue.
 */
export async function currentBilling(ctx: TenantCtx) {
  const orgId = ctx.tenant.organizationId;
  const [subscription, freePlan, seats, connections] = await Promise.all([
    findSubscription(ctx.db, orgId),
    findPlanByCode(ctx.db, DEFAULT_PLAN_CODE),
    countMembers(ctx.db, orgId),
    countConnections(ctx.db, orgId),
  ]);
  const plan = subscription?.plan ?? freePlan;
  return {
    plan: plan ? { code: plan.code, name: plan.name, priceMonthlyCents: plan.priceMonthlyCents, limits: ZPlanLimits.parse(plan.limits) } : null,
    status: subscription?.status ?? "ACTIVE",
    usage: { seats, connections },
  };
}
