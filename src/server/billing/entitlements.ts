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
import { notify } from "~/server/services/notifications/notify";
import { isFeatureEnabled } from "~/server/services/platform/flags";
import {
  connectionRank,
  countAccounts,
  countListings,
  countMembers,
  countPostsScheduledBetween,
  countSeats,
  findOrganizationStatus,
  findListingConnection,
  findMemberWithSeatRank,
  findPlan,
  findSubscriptionWithPlan,
  listActivePlans,
  listingRank,
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

export type SubscriptionState = { status: string; graceUntil: Date | null; trialEndsAt: Date | null };

/**
 * Does the subscription's own plan apply now (and why)? Pure: the rule behind `effectivePlan`,
 * shared with the tenant resolver, which reads the same columns in its one query.
 */
export function subscriptionBasis(sub: SubscriptionState | null, now: Date): "subscription" | "grace" | "free" {
  if (!sub) return "free";
  const trialLapsed = sub.status === "TRIALING" && sub.trialEndsAt !== null && sub.trialEndsAt <= now;
  if ((sub.status === "ACTIVE" || sub.status === "TRIALING") && !trialLapsed) return "subscription";
  if (sub.status === "PAST_DUE" && sub.graceUntil && sub.graceUntil > now) return "grace";
  return "free";
}

/** The plan whose limits apply to the organization now. */
export async function effectivePlan(db: DbOrTx, organizationId: string, now = new Date()): Promise<EffectivePlan> {
  const sub = await findSubscriptionWithPlan(db, organizationId);
  const basis = subscriptionBasis(sub, now);
  if (sub && basis !== "free") return { ...summary(sub.plan), basis, graceUntil: basis === "grace" ? sub.graceUntil : null };
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
  const plan = await effectivePlan(db, organizationId, now);
  const used = await usageOf(db, organizationId, key, options.at ?? now);
  return checkAgainst(db, plan, key, used, options.amount ?? 1);
}

/** The check for a usage the caller counted itself (e.g. members alone, at acceptance). */
async function checkAgainst(db: DbOrTx, plan: PlanSummary, key: LimitKey, used: number, amount: number): Promise<EntitlementCheck> {
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

/**
 * Accepting an invitation: the invitation already holds its seat (counted when it was created),
 * so only members alone are compared with the seats — a downgrade since then can still refuse.
 */
export async function assertMemberSeatAvailable(db: DbOrTx, organizationId: string, now = new Date()) {
  const plan = await effectivePlan(db, organizationId, now);
  const check = await checkAgainst(db, plan, "seats", await countMembers(db, organizationId), 1);
  if (!check.allowed) throw planLimitError(check);
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

// ─── Downgrades: which rows are within the plan ───────────────────────────────────────────────
// The oldest N (by creation, ties by id) of a resource are within a plan allowing N; newer ones
// stay readable but are read-only until an upgrade or until older ones are removed.

/** The sentence stored on what a downgrade made read-only (sync state, failed apply, publication). */
export const OVER_PLAN_TEXT = "Acima do limite do plano: faça upgrade ou remova itens mais antigos para reativar.";

/** Is this connection within the plan's marketplaceAccounts/socialAccounts limit? (Not connected → true: nothing to stop.) */
export async function connectionWithinPlan(db: DbOrTx, organizationId: string, connectionId: string, now = new Date()): Promise<boolean> {
  const ranked = await connectionRank(db, organizationId, connectionId);
  if (!ranked) return true;
  const plan = await effectivePlan(db, organizationId, now);
  return ranked.rank < plan.limits[ranked.kind === "MARKETPLACE" ? "marketplaceAccounts" : "socialAccounts"];
}

/** Is this listing within the plan's `listings` limit? (Not tracked → true.) */
export async function listingWithinPlan(db: DbOrTx, organizationId: string, listingId: string, now = new Date()): Promise<boolean> {
  const rank = await listingRank(db, organizationId, listingId);
  if (rank === null) return true;
  const plan = await effectivePlan(db, organizationId, now);
  return rank < plan.limits.listings;
}

/**
 * Which limit makes a listing read-only, if any: its marketplace account beyond the plan's
 * accounts, or the listing itself beyond the plan's listings. (Actions for it cannot be approved
 * or applied.)
 */
export async function listingOverPlan(db: DbOrTx, organizationId: string, listingId: string, now = new Date()): Promise<"marketplaceAccounts" | "listings" | null> {
  const listing = await findListingConnection(db, organizationId, listingId);
  if (!listing) return null;
  if (!(await connectionWithinPlan(db, organizationId, listing.connectionId, now))) return "marketplaceAccounts";
  if (!(await listingWithinPlan(db, organizationId, listingId, now))) return "listings";
  return null;
}

/**
 * The role a member acts with: their own, except that members beyond the plan's seats (the
 * newest memberships) act as VIEWER. Owners are never demoted. Pure.
 */
export function seatRole<R extends string>(role: R, rank: number, seats: number): R | "VIEWER" {
  if (role === "OWNER" || rank < seats) return role;
  return "VIEWER";
}

/** The member's role with the seat rule applied, in one query; null when not a member. */
export async function memberRoleWithinPlan(db: DbOrTx, organizationId: string, userId: string, now = new Date()) {
  const row = await findMemberWithSeatRank(db, organizationId, userId, DEFAULT_PLAN_CODE);
  if (!row) return null;
  const basis = subscriptionBasis(row.status ? { status: row.status, graceUntil: row.graceUntil, trialEndsAt: row.trialEndsAt } : null, now);
  const limits = basis !== "free" && row.planLimits ? row.planLimits : (row.freeLimits ?? FALLBACK_FREE.limits);
  const seats = ZPlanLimits.parse(limits).seats;
  return seatRole(row.role, row.rank, seats);
}

// ─── AI credits ───────────────────────────────────────────────────────────────────────────────

export type AiGate = { allowed: true } | { allowed: false; blockedBy: "flag" } | { allowed: false; blockedBy: "credits"; check: EntitlementCheck };

/**
 * May the organization make one more LLM call now? No when the platform turned `ai.llm` off for
 * it, or when this month's credits are used up. Checked before each provider call; a call
 * already in flight is metered after it answers, so the month can overshoot by that call's own
 * credits (at most the tokens of one request) — never by a second call.
 */
export async function aiCallGate(db: DbOrTx, organizationId: string, now = new Date()): Promise<AiGate> {
  if (!(await isFeatureEnabled(db, "ai.llm", organizationId))) return { allowed: false, blockedBy: "flag" };
  const check = await checkEntitlement(db, organizationId, "aiCreditsPerMonth", { now });
  if (check.allowed) return { allowed: true };
  await notifyAiCreditsExhausted(db, organizationId, check, now);
  return { allowed: false, blockedBy: "credits", check };
}

/** Once a month: the AI credits ran out (background work falls back, requests are refused). */
async function notifyAiCreditsExhausted(db: DbOrTx, organizationId: string, check: EntitlementCheck, now: Date) {
  const month = monthStartUtc(now).toISOString().slice(0, 7);
  await notify(
    db,
    {
      organizationId,
      kind: "ai.limitReached",
      params: { subject: `ai:${month}`, used: check.used, max: check.limit, plan: check.plan.name, upgradePlan: check.upgradePlan?.name ?? "none", upgradeLimit: check.upgradePlan?.limit ?? 0 },
      link: "/settings/billing",
      dedupe: { key: "subject", withinMs: 32 * 86_400_000 },
    },
    now,
  );
}
