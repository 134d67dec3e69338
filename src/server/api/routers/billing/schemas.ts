/**
 * The billing router's contract (Settings → Billing). Implemented by services/billing; the page
 * and the e2e journey are written against these shapes.
 */
import { z } from "zod";

import { LIMIT_KEYS, ZPlanLimits } from "~/server/billing/plans";

export const ZLimitKey = z.enum(LIMIT_KEYS);
export const ZSubscriptionStatus = z.enum(["TRIALING", "ACTIVE", "PAST_DUE", "CANCELED", "INCOMPLETE"]);
export const ZInterval = z.enum(["MONTH", "YEAR"]);

export const ZPlan = z.object({
  code: z.string(),
  name: z.string(),
  priceMonthlyCents: z.number().int(),
  priceYearlyCents: z.number().int(),
  currency: z.string(),
  limits: ZPlanLimits,
});

export const ZUsageRow = z.object({ key: ZLimitKey, used: z.number().int(), limit: z.number().int() });

export const ZBillingCurrent = z.object({
  /** The plan whose limits apply now (the free plan when a subscription lapsed). */
  plan: ZPlan,
  /** Why that plan applies: a subscription, a past_due subscription in its grace period, or free. */
  basis: z.enum(["subscription", "grace", "free"]),
  /** The subscription row as Stripe (or test mode) left it; null when the organization never subscribed. */
  subscription: z
    .object({
      planCode: z.string(),
      status: ZSubscriptionStatus,
      interval: ZInterval,
      currentPeriodEnd: z.date().nullable(),
      cancelAtPeriodEnd: z.boolean(),
      graceUntil: z.date().nullable(),
      testMode: z.boolean(),
    })
    .nullable(),
  /** False without STRIPE_SECRET_KEY: billing runs in test mode (plan changes apply locally). */
  stripeConfigured: z.boolean(),
  usage: z.array(ZUsageRow),
});

export const ZCheckoutInput = z.object({ planCode: z.string().min(1).max(40), interval: ZInterval });
export const ZCheckoutResult = z.discriminatedUnion("kind", [
  /** Stripe Checkout: send the browser to `url`. */
  z.object({ kind: z.literal("redirect"), url: z.string().url() }),
  /** Test mode (or a downgrade to the free plan): applied at once. */
  z.object({ kind: z.literal("applied"), planCode: z.string() }),
]);

export const ZInvoicesInput = z.object({ cursor: z.string().max(64).optional(), limit: z.number().int().min(1).max(50).default(12) });
export const ZInvoice = z.object({
  id: z.string(),
  number: z.string().nullable(),
  status: z.string(),
  amountDueCents: z.number().int(),
  amountPaidCents: z.number().int(),
  currency: z.string(),
  description: z.string().nullable(),
  periodStart: z.date().nullable(),
  periodEnd: z.date().nullable(),
  hostedInvoiceUrl: z.string().nullable(),
  invoicePdfUrl: z.string().nullable(),
  testMode: z.boolean(),
  createdAt: z.date(),
});
export const ZInvoicesResult = z.object({ items: z.array(ZInvoice), nextCursor: z.string().nullable() });

/** Month as "YYYY-MM" (UTC calendar month); default the current one. */
export const ZAiUsageInput = z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() });
export const ZAiUsageResult = z.object({
  month: z.string(),
  credits: z.number().int(),
  creditLimit: z.number().int(),
  calls: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** Estimated cost in micro-USD (integers for money). */
  costMicroUsd: z.number().int(),
  byFeature: z.array(z.object({ feature: z.string(), calls: z.number().int(), credits: z.number().int(), tokens: z.number().int(), costMicroUsd: z.number().int() })),
  byDay: z.array(z.object({ day: z.string(), credits: z.number().int(), calls: z.number().int() })),
});
