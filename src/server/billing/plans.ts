import { z } from "zod";

/** The plan every organization without a paying subscription is on. */
export const DEFAULT_PLAN_CODE = "gratis";

/** The limits a plan sets, in the order the UI lists them. */
export const LIMIT_KEYS = ["marketplaceAccounts", "listings", "socialAccounts", "postsPerMonth", "aiCreditsPerMonth", "seats"] as const;
export type LimitKey = (typeof LIMIT_KEYS)[number];

export const ZPlanLimits = z.object({
  marketplaceAccounts: z.number().int().min(0),
  listings: z.number().int().min(0),
  socialAccounts: z.number().int().min(0),
  postsPerMonth: z.number().int().min(0),
  aiCreditsPerMonth: z.number().int().min(0),
  seats: z.number().int().min(1),
});
export type PlanLimits = z.infer<typeof ZPlanLimits>;

/** Limits counted per calendar month (UTC); the others count what exists now. */
export const MONTHLY_LIMITS: readonly LimitKey[] = ["postsPerMonth", "aiCreditsPerMonth"];

/** Days a past_due subscription keeps its plan before the organization falls back to the free plan. */
export const PAST_DUE_GRACE_DAYS = 7;

/** First instant of the UTC calendar month holding `now` (monthly limits reset then). */
export function monthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** First instant of the next UTC calendar month. */
export function nextMonthStartUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}
