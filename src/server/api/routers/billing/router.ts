import { z } from "zod";

import { currentBilling, ZPlanLimits } from "~/server/services/billing/billing";
import { createTRPCRouter, tenantProcedure } from "../../trpc";

export const billingRouter = createTRPCRouter({
  current: tenantProcedure
    .meta({ permission: "billing:read" })
    .output(
      z.object({
        plan: z.object({ code: z.string(), name: z.string(), priceMonthlyCents: z.number().int(), limits: ZPlanLimits }).nullable(),
        status: z.enum(["TRIALING", "ACTIVE", "PAST_DUE", "CANCELED", "INCOMPLETE"]),
        usage: z.object({ seats: z.number().int(), connections: z.number().int() }),
      }),
    )
    .query(({ ctx }) => currentBilling(ctx.tenantCtx)),
});
