import { z } from "zod";

import { LIMIT_KEYS, ZPlanLimits } from "~/server/billing/plans";
import { ZId, ZPage, ZProvider } from "../../schemas";

/** Contract of the platform admin router (adminProcedure: platform admins only). */

const ZReason = z.string().trim().min(3).max(500);
const ZSearch = z.string().trim().max(100).optional();
const ZAdminPageInput = z.object({ limit: z.number().int().min(1).max(50).default(20), cursor: ZId.optional(), search: ZSearch });

export const ZMetrics = z.object({
  organizations: z.object({ active: z.number().int(), suspended: z.number().int() }),
  /** Monthly recurring revenue in BRL cents: paying subscriptions (monthly price, or yearly / 12). */
  mrr: z.object({
    live: z.object({ cents: z.number().int(), subscriptions: z.number().int() }),
    /** Billing test mode (plan changed without Stripe): reported apart, never in the live figure. */
    test: z.object({ cents: z.number().int(), subscriptions: z.number().int() }),
    trialing: z.number().int(),
  }),
  connectionsByProvider: z.array(z.object({ provider: ZProvider, count: z.number().int() })),
  /** Oldest first, 14 UTC days ending today, zero-filled. */
  publishedPerDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
  users: z.object({ total: z.number().int(), admins: z.number().int(), banned: z.number().int() }),
});

export const ZUsageRow = z.object({ key: z.enum(LIMIT_KEYS), used: z.number().int(), limit: z.number().int() });

export const ZAdminOrganization = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  status: z.enum(["ACTIVE", "SUSPENDED"]),
  suspendedAt: z.date().nullable(),
  suspendedReason: z.string().nullable(),
  createdAt: z.date(),
  members: z.number().int(),
  plan: z.object({ code: z.string(), name: z.string(), basis: z.enum(["subscription", "grace", "free"]) }),
  subscriptionStatus: z.enum(["TRIALING", "ACTIVE", "PAST_DUE", "CANCELED", "INCOMPLETE"]).nullable(),
  usage: z.array(ZUsageRow),
});

export const ZOrganizationsInput = ZAdminPageInput.extend({ status: z.enum(["ACTIVE", "SUSPENDED"]).optional() });
export const ZOrganizationIdInput = z.object({ organizationId: ZId });
export const ZSuspendInput = z.object({ organizationId: ZId, reason: ZReason });

export const ZAdminUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  organizations: z.number().int(),
  isPlatformAdmin: z.boolean(),
  bannedAt: z.date().nullable(),
  createdAt: z.date(),
});
export const ZUsersInput = ZAdminPageInput;
export const ZBanInput = z.object({ userId: ZId, reason: ZReason });
export const ZUserIdInput = z.object({ userId: ZId });

export const ZFlagKey = z.string().trim().min(2).max(64).regex(/^[a-z0-9][a-z0-9._-]*$/, "lowercase letters, digits, . _ -");
export const ZFlag = z.object({
  key: z.string(),
  description: z.string(),
  enabled: z.boolean(),
  /** True for a known flag nobody stored yet: `enabled` is its default. */
  isDefault: z.boolean(),
  known: z.boolean(),
  overrides: z.number().int(),
});
export const ZSetFlagInput = z.object({ key: ZFlagKey, enabled: z.boolean(), description: z.string().trim().max(300).optional() });
export const ZSetFlagOverrideInput = z.object({ key: ZFlagKey, organizationId: ZId, enabled: z.boolean().nullable() });
export const ZFlagOverridesInput = z.object({ key: ZFlagKey });
export const ZFlagOverride = z.object({ organizationId: z.string(), organizationName: z.string(), organizationSlug: z.string(), enabled: z.boolean(), updatedAt: z.date() });

export const ZMaintenanceOutput = z.object({ enabled: z.boolean(), message: z.string() });
export const ZSetMaintenanceInput = z.object({ enabled: z.boolean(), message: z.string().trim().max(500) });

const ZStripePriceId = z.string().trim().max(100).regex(/^price_[A-Za-z0-9_]+$/, "a Stripe price id (price_…)");
const ZCents = z.number().int().min(0).max(100_000_000);
export const ZPlanCode = z.string().trim().min(2).max(32).regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and -");
export const ZPlanInput = z.object({
  code: ZPlanCode,
  name: z.string().trim().min(2).max(60),
  priceMonthlyCents: ZCents,
  priceYearlyCents: ZCents,
  limits: ZPlanLimits,
  active: z.boolean(),
  stripePriceMonthlyId: ZStripePriceId.nullish(),
  stripePriceYearlyId: ZStripePriceId.nullish(),
});
export const ZAdminPlan = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  priceMonthlyCents: z.number().int(),
  priceYearlyCents: z.number().int(),
  currency: z.string(),
  limits: ZPlanLimits,
  stripePriceMonthlyId: z.string().nullable(),
  stripePriceYearlyId: z.string().nullable(),
  active: z.boolean(),
  isDefault: z.boolean(),
  subscriptions: z.number().int(),
});

export const ZOkOutput = z.object({ ok: z.literal(true) });
export const ZAdminOrganizationPage = ZPage(ZAdminOrganization);
export const ZAdminUserPage = ZPage(ZAdminUser);
