/**
 * Entitlements: the one answer to "may this organization do X now?". Every procedure and
 * background function that consumes a limited resource asks here (connect an account, track more
 * listings, schedule a post, spend AI credits, add a member), so a plan's limits live in one place.
 *
 * - The effective plan follows the subscription: ACTIVE/TRIALING keep it; PAST_DUE keeps it until
 *   `graceUntil`; anything else (CANCELED, INCOMPLETE, a lapsed trial, no subscription) is the free
 *   plan. It is computed on every check, so a lapse takes effect at once even before the daily
 *   subscription function records it.
 * - Over a limit → AppError PAYMENT_REQUIRED, reason `planLimitReached`, details naming the limit,
 *   the usage, the plan and the cheapest plan that lifts it.
 * - A downgrade never deletes anything: resources beyond the new limit stay readable; the oldest
 *   ones (by creation) stay within the plan and the rest become read-only (see `excessFrom`).
 */
import type { DbOrTx } from "~/server/db";
import { AppError } from "~/server/lib/errors";
import {
  countAccounts,
  countListings,
  countPostsScheduledBetween,
  countSeats,
  findOrganizationStatus,
  findPlan,
  findSubscriptionWithPlan,
  listActivePlans,
  sumAiCreditsSince,
} from "~/server/repositories/entitlements";
import { DEFAULT_PLAN_CODE, LIMIT_KEYS, type LimitKey, monthStartUtc, nextMonthStartUtc, type PlanLimits, ZPlanLimits } from "./plans";

export type PlanSummary = { code: string; name: string; limits: PlanLimits };

/** Used when even the free plan row is missing (a database migrated but never seeded). */
const FALLBACK_FREE: PlanSummary = {
  code: DEFAULT_PLAN_CODE,
  name: "Grátis",
  limits: { marketplaceAccounts: 1, listings: 200, socialAccounts: 1, postsPerMonth: 20, aiCreditsPerMonth: 50, seats: 2 },
};

export type EffectivePlan = PlanSummary & {
  /** Why this plan applies. */
  basis: "subscription" | "grace" | "free";
  /** Set while a past_due subscription still keeps its plan. */
  graceUntil: Date | null;
};

type PlanRow = { code: string; name: string; limits: unknown };
const summary = (p: PlanRow): PlanSummary => ({ code: p.code, name: p.name, limits: ZPlanLimits.parse(p.limits) });

async function freePlan(db: DbOrTx): Promise<PlanSummary> {
  const row = await findPlan(db, DEFAULT_PLAN_CODE);
  return row ? summary(row) : FALLBACK_FREE;
}

/** The plan whose limits apply to the organization now. */
export async function effectivePlan(db: DbOrTx, organizationId: string, now = new Date()): Promise<EffectivePlan> {
  const sub = await findSubscriptionWithPlan(db, organizationId);
  if (sub) {
    const trialLapsed = sub.status === "TRIALING" && sub.trialEndsAt !== null && sub.trialEndsAt <= now;
    if ((sub.status === "ACTIVE" || sub.status === "TRIALING") && !trialLapsed) {
      return { ...summary(sub.plan), basis: "subscription", graceUntil: null };
    }
    if (sub.status === "PAST_DUE" && sub.graceUntil && sub.graceUntil > now) {
      return { ...summary(sub.plan), basis: "grace", graceUntil: sub.graceUntil };
    }
  }
  return { ...(await freePlan(db)), basis: "free", graceUntil: null };
}

/** How much of one limit the organization uses now (monthly limits: this UTC month). */
export async function usageOf(db: DbOrTx, organizationId: string, key: LimitKey, now = new Date()): Promise<number> {
  switch (key) {
    case "marketplaceAccounts":
      return countAccounts(db, organizationId, "MARKETPLACE");
    case "socialAccounts":
      return countAccounts(db, organizationId, "SOCIAL");
    case "listings":
      return countListings(db, organizationId);
    case "postsPerMonth":
      return countPostsScheduledBetween(db, organizationId, monthStartUtc(now), nextMonthStartUtc(now));
    case "aiCreditsPerMonth":
      return sumAiCreditsSince(db, organizationId, monthStartUtc(now));
    case "seats":
      return countSeats(db, organizationId, now);
  }
}

export type UsageRow = { key: LimitKey; used: number; limit: number };

/** Every limit with its usage (the usage bars). */
export async function usageReport(db: DbOrTx, organizationId: string, now = new Date()): Promise<{ plan: EffectivePlan; usage: UsageRow[] }> {
  const plan = await effectivePlan(db, organizationId, now);
  const used = await Promise.all(LIMIT_KEYS.map((key) => usageOf(db, organizationId, key, now)));
  return { plan, usage: LIMIT_KEYS.map((key, i) => ({ key, used: used[i]!, limit: plan.limits[key] })) };
}

export type EntitlementCheck = {
  allowed: boolean;
  key: LimitKey;
  used: number;
  limit: number;
  plan: PlanSummary;
  /** The cheapest active plan that would allow it, when one does. */
  upgradePlan: { code: string; name: string; limit: number } | null;
};

/**
 * May the organization add `amount` of `key` now? `used` can be passed when the caller counted
 * already (e.g. a sync that knows how many new listings a page brings); `at` picks the month for
 * monthly limits (a post scheduled next month counts against next month).
 */
export async function checkEntitlement(
  db: DbOrTx,
  organizationId: string,
  key: LimitKey,
  options: { amount?: number; at?: Date; now?: Date } = {},
): Promise<EntitlementCheck> {
  const now = options.now ?? new Date();
  const amount = options.amount ?? 1;
  const plan = await effectivePlan(db, organizationId, now);
  const used = await usageOf(db, organizationId, key, options.at ?? now);
  const limit = plan.limits[key];
  const allowed = used + amount <= limit;
  let upgradePlan: EntitlementCheck["upgradePlan"] = null;
  if (!allowed) {
    const plans = await listActivePlans(db);
    const lifting = plans.map(summary).find((p) => p.code !== plan.code && p.limits[key] >= used + amount);
    upgradePlan = lifting ? { code: lifting.code, name: lifting.name, limit: lifting.limits[key] } : null;
  }
  return { allowed, key, used, limit, plan: { code: plan.code, name: plan.name, limits: plan.limits }, upgradePlan };
}

/** The error a refused check becomes: names the limit, the plan and the plan that lifts it. */
export function planLimitError(check: EntitlementCheck): AppError {
  const upgrade = check.upgradePlan ? ` The ${check.upgradePlan.name} plan allows ${check.upgradePlan.limit}.` : "";
  return new AppError(
    "PAYMENT_REQUIRED",
    "planLimitReached",
    `Plan limit reached: ${check.key} (${check.used} of ${check.limit} on the ${check.plan.name} plan).${upgrade}`,
    {
      limit: check.key,
      used: check.used,
      max: check.limit,
      plan: check.plan.name,
      planCode: check.plan.code,
      upgradePlan: check.upgradePlan?.name ?? null,
      upgradePlanCode: check.upgradePlan?.code ?? null,
      upgradeLimit: check.upgradePlan?.limit ?? null,
    },
  );
}

/** Throws `planLimitReached` unless the organization may add `amount` of `key` now. */
export async function assertEntitlement(db: DbOrTx, organizationId: string, key: LimitKey, options: { amount?: number; at?: Date; now?: Date } = {}) {
  const check = await checkEntitlement(db, organizationId, key, options);
  if (!check.allowed) throw planLimitError(check);
  return check;
}

/** How many of `key` are beyond the plan (0 when within): the newest that many are read-only. */
export async function excessOf(db: DbOrTx, organizationId: string, key: LimitKey, now = new Date()): Promise<number> {
  const [plan, used] = await Promise.all([effectivePlan(db, organizationId, now), usageOf(db, organizationId, key, now)]);
  return Math.max(0, used - plan.limits[key]);
}

/** A suspended (or deleted) organization is read-only: its writes and background functions stop. */
export async function isOrganizationSuspended(db: DbOrTx, organizationId: string): Promise<boolean> {
  const org = await findOrganizationStatus(db, organizationId);
  return !org || org.status === "SUSPENDED" || org.deletedAt !== null;
}

export async function assertOrganizationWritable(db: DbOrTx, organizationId: string) {
  if (await isOrganizationSuspended(db, organizationId)) {
    throw new AppError("FORBIDDEN", "organizationSuspended", "This organization is suspended: it is read-only until a platform admin reactivates it");
  }
}
