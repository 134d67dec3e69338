import { aiUsageReport } from "~/server/services/billing/ai-usage";
import { startCheckout } from "~/server/services/billing/checkout";
import { currentBilling, listPlans } from "~/server/services/billing/current";
import { listInvoices } from "~/server/services/billing/invoices";
import { openPortal } from "~/server/services/billing/portal";
import { z } from "zod";

import { createTRPCRouter, tenantProcedure } from "../../trpc";
import {
  ZAiUsageInput,
  ZAiUsageResult,
  ZBillingCurrent,
  ZCheckoutInput,
  ZCheckoutResult,
  ZInvoicesInput,
  ZInvoicesResult,
  ZPlan,
} from "./schemas";

export const billingRouter = createTRPCRouter({
  current: tenantProcedure
    .meta({ permission: "billing:read" })
    .output(ZBillingCurrent)
    .query(({ ctx }) => currentBilling(ctx.tenantCtx)),
  plans: tenantProcedure
    .meta({ permission: "billing:read" })
    .output(z.array(ZPlan))
    .query(({ ctx }) => listPlans(ctx.tenantCtx)),
  checkout: tenantProcedure
    .meta({ permission: "billing:manage", stepUp: true })
    .input(ZCheckoutInput)
    .output(ZCheckoutResult)
    .mutation(({ ctx, input }) => startCheckout(ctx.tenantCtx, input)),
  portal: tenantProcedure
    .meta({ permission: "billing:manage", stepUp: true })
    .output(z.object({ url: z.string().url() }))
    .mutation(({ ctx }) => openPortal(ctx.tenantCtx)),
  invoices: tenantProcedure
    .meta({ permission: "billing:read" })
    .input(ZInvoicesInput)
    .output(ZInvoicesResult)
    .query(({ ctx, input }) => listInvoices(ctx.tenantCtx, input)),
  aiUsage: tenantProcedure
    .meta({ permission: "billing:read" })
    .input(ZAiUsageInput)
    .output(ZAiUsageResult)
    .query(({ ctx, input }) => aiUsageReport(ctx.tenantCtx, input)),
});
