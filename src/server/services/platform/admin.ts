/**
 * Platform administration: metrics, organizations (suspend / reactivate), users (ban / unban),
 * feature flags, maintenance mode and plans. Cross-tenant on purpose; only adminProcedure calls
 * it. Every change is audited (on the target organization when there is one) and inside the same
 * transaction as the change.
 */
import { usageReport } from "~/server/billing/entitlements";
import { DEFAULT_PLAN_CODE, ZPlanLimits } from "~/server/billing/plans";
import { AppError, notFound } from "~/server/lib/errors";
import { findSubscriptionWithPlan } from "~/server/repositories/entitlements";
import { paginate } from "~/server/repositories/pagination";
import {
  countActiveConnectionsByProvider,
  countOrganizationsByStatus,
  countPublishedPerDay,
  countUsers,
  createPlanRow,
  deleteFlagOverride,
  findOrganizationForAdmin,
  findPlanForAdmin,
  findUserForAdmin,
  listAllPlans,
  listFlagOverrides,
  listFlagsWithOverrideCounts,
  listOrganizationsForAdmin,
  listRevenueSubscriptions,
  listUsersForAdmin,
  setOrganizationSuspension,
  setUserBan,
  updatePlanByCode,
  upsertFlag,
  upsertFlagOverride,
  upsertSetting,
  type PlanWrite,
} from "~/server/repositories/platform";
import { revokeUserSessions } from "~/server/services/accounts/sessions";
import { audit } from "~/server/services/audit";
import type { UserCtx } from "~/server/services/context";
import { KNOWN_FLAGS, type KnownFlag } from "./flags";
import { getMaintenance, MAINTENANCE_KEY, resetMaintenanceCache } from "./maintenance";

/** A platform admin's context: the user, no tenant. */
export type AdminCtx = UserCtx;

const who = (ctx: AdminCtx, organizationId: string | null = null) => ({ organizationId, userId: ctx.userId, request: ctx.request });

// ─── Metrics ───

export const METRIC_DAYS = 14;
const DAY_MS = 86_400_000;

/** What one subscription adds to the monthly recurring revenue, in cents. */
export function monthlyCents(sub: { interval: "MONTH" | "YEAR"; plan: { priceMonthlyCents: number; priceYearlyCents: number } }) {
  return sub.interval === "YEAR" ? Math.round(sub.plan.priceYearlyCents / 12) : sub.plan.priceMonthlyCents;
}

export async function metrics(ctx: AdminCtx, now = new Date()) {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (METRIC_DAYS - 1) * DAY_MS);
  const [byStatus, subs, connections, published, users] = await Promise.all([
    countOrganizationsByStatus(ctx.db),
    listRevenueSubscriptions(ctx.db),
    countActiveConnectionsByProvider(ctx.db),
    countPublishedPerDay(ctx.db, since),
    countUsers(ctx.db),
  ]);
  const mrr = { live: { cents: 0, subscriptions: 0 }, test: { cents: 0, subscriptions: 0 }, trialing: 0 };
  for (const sub of subs) {
    // Paying = the plan is in effect and billed: ACTIVE, or PAST_DUE still within its grace period
    // (the same rule as entitlements.effectivePlan). A trial is not revenue yet.
    if (sub.status === "TRIALING") {
      if (!sub.trialEndsAt || sub.trialEndsAt > now) mrr.trialing += 1;
      continue;
    }
    const inEffect = sub.status === "ACTIVE" || (sub.status === "PAST_DUE" && sub.graceUntil !== null && sub.graceUntil > now);
    const cents = monthlyCents(sub);
    if (!inEffect || cents === 0) continue;
    const bucket = sub.testMode ? mrr.test : mrr.live;
    bucket.cents += cents;
    bucket.subscriptions += 1;
  }
  const perDay = new Map(published.map((r) => [r.day, r.count]));
  return {
    organizations: {
      active: byStatus.find((r) => r.status === "ACTIVE")?._count._all ?? 0,
      suspended: byStatus.find((r) => r.status === "SUSPENDED")?._count._all ?? 0,
    },
    mrr,
    connectionsByProvider: connections.map((c) => ({ provider: c.provider, count: c._count._all })).sort((a, b) => b.count - a.count),
    publishedPerDay: Array.from({ length: METRIC_DAYS }, (_, i) => {
      const day = new Date(since.getTime() + i * DAY_MS).toISOString().slice(0, 10);
      return { day, count: perDay.get(day) ?? 0 };
    }),
    users,
  };
}

// ─── Organizations ───

type OrgRow = NonNullable<Awaited<ReturnType<typeof findOrganizationForAdmin>>>;

async function withPlanAndUsage(ctx: AdminCtx, org: OrgRow, now: Date) {
  const [report, sub] = await Promise.all([usageReport(ctx.db, org.id, now), findSubscriptionWithPlan(ctx.db, org.id)]);
  return {
    id: org.id,
    name: org.name,
    slug: org.slug,
    status: org.status,
    suspendedAt: org.suspendedAt,
    suspendedReason: org.suspendedReason,
    createdAt: org.createdAt,
    members: org._count.memberships,
    plan: { code: report.plan.code, name: report.plan.name, basis: report.plan.basis },
    subscriptionStatus: sub?.status ?? null,
    usage: report.usage,
  };
}

export async function listOrganizations(ctx: AdminCtx, input: { limit: number; cursor?: string; search?: string; status?: "ACTIVE" | "SUSPENDED" }, now = new Date()) {
  const page = paginate(await listOrganizationsForAdmin(ctx.db, input), input.limit);
  // One usage report per row: a page is at most 50 organizations, and the report is the same
  // numbers the organization's own billing page shows.
  return { items: await Promise.all(page.items.map((org) => withPlanAndUsage(ctx, org, now))), nextCursor: page.nextCursor };
}

export async function getOrganization(ctx: AdminCtx, input: { organizationId: string }) {
  const org = await findOrganizationForAdmin(ctx.db, input.organizationId);
  if (!org) throw notFound("Organization");
  return withPlanAndUsage(ctx, org, new Date());
}

export async function suspendOrganization(ctx: AdminCtx, input: { organizationId: string; reason: string }) {
  const org = await findOrganizationForAdmin(ctx.db, input.organizationId);
  if (!org) throw notFound("Organization");
  if (org.status === "SUSPENDED") throw new AppError("CONFLICT", "alreadySuspended", "This organization is already suspended");
  await ctx.db.$transaction(async (tx) => {
    await setOrganizationSuspension(tx, org.id, { reason: input.reason, at: new Date() });
    await audit(tx, who(ctx, org.id), "admin.organization.suspended", { type: "organization", id: org.id }, { reason: input.reason });
  });
  ctx.log.info({ organizationId: org.id }, "organization suspended");
  return getOrganization(ctx, input);
}

export async function reactivateOrganization(ctx: AdminCtx, input: { organizationId: string }) {
  const org = await findOrganizationForAdmin(ctx.db, input.organizationId);
  if (!org) throw notFound("Organization");
  if (org.status !== "SUSPENDED") throw new AppError("CONFLICT", "notSuspended", "This organization is not suspended");
  await ctx.db.$transaction(async (tx) => {
    await setOrganizationSuspension(tx, org.id, null);
    await audit(tx, who(ctx, org.id), "admin.organization.reactivated", { type: "organization", id: org.id }, { suspendedReason: org.suspendedReason ?? "" });
  });
  ctx.log.info({ organizationId: org.id }, "organization reactivated");
  return getOrganization(ctx, input);
}

// ─── Users ───

export async function listUsers(ctx: AdminCtx, input: { limit: number; cursor?: string; search?: string }) {
  const page = paginate(await listUsersForAdmin(ctx.db, input), input.limit);
  return {
    items: page.items.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      organizations: u._count.memberships,
      isPlatformAdmin: u.isPlatformAdmin,
      bannedAt: u.bannedAt,
      createdAt: u.createdAt,
    })),
    nextCursor: page.nextCursor,
  };
}

async function banTarget(ctx: AdminCtx, userId: string) {
  if (userId === ctx.userId) throw new AppError("BAD_REQUEST", "cannotBanSelf", "You cannot ban yourself");
  const user = await findUserForAdmin(ctx.db, userId);
  if (!user) throw notFound("User");
  // Admins are managed outside the app (seed / database): one admin cannot lock out another.
  if (user.isPlatformAdmin) throw new AppError("FORBIDDEN", "cannotBanAdmin", "Platform admins cannot be banned");
  return user;
}

export async function banUser(ctx: AdminCtx, input: { userId: string; reason: string }) {
  const user = await banTarget(ctx, input.userId);
  if (user.bannedAt) return { ok: true as const };
  await ctx.db.$transaction(async (tx) => {
    await setUserBan(tx, user.id, new Date());
    await revokeUserSessions(tx, user.id, "banned");
    await audit(tx, who(ctx), "admin.user.banned", { type: "user", id: user.id }, { reason: input.reason });
  });
  return { ok: true as const };
}

export async function unbanUser(ctx: AdminCtx, input: { userId: string }) {
  const user = await banTarget(ctx, input.userId);
  if (!user.bannedAt) return { ok: true as const };
  await ctx.db.$transaction(async (tx) => {
    await setUserBan(tx, user.id, null);
    await audit(tx, who(ctx), "admin.user.unbanned", { type: "user", id: user.id });
  });
  return { ok: true as const };
}

// ─── Feature flags ───

export async function listFlags(ctx: AdminCtx) {
  const stored = await listFlagsWithOverrideCounts(ctx.db);
  const byKey = new Map(stored.map((f) => [f.key, f]));
  const known = Object.entries(KNOWN_FLAGS).map(([key, def]) => {
    const row = byKey.get(key);
    return {
      key,
      description: row?.description || def.description,
      enabled: row ? row.enabled : def.defaultEnabled,
      isDefault: !row,
      known: true,
      overrides: row?._count.overrides ?? 0,
    };
  });
  const others = stored
    .filter((f) => !(f.key in KNOWN_FLAGS))
    .map((f) => ({ key: f.key, description: f.description, enabled: f.enabled, isDefault: false, known: false, overrides: f._count.overrides }));
  return [...known, ...others];
}

export async function setFlag(ctx: AdminCtx, input: { key: string; enabled: boolean; description?: string }) {
  const description = input.description ?? (input.key in KNOWN_FLAGS ? KNOWN_FLAGS[input.key as KnownFlag].description : undefined);
  await ctx.db.$transaction(async (tx) => {
    await upsertFlag(tx, input.key, { enabled: input.enabled, description });
    await audit(tx, who(ctx), "admin.flag.set", { type: "featureFlag", id: input.key }, { enabled: input.enabled });
  });
  return (await listFlags(ctx)).find((f) => f.key === input.key)!;
}

export async function setFlagOverride(ctx: AdminCtx, input: { key: string; organizationId: string; enabled: boolean | null }) {
  const org = await findOrganizationForAdmin(ctx.db, input.organizationId);
  if (!org) throw notFound("Organization");
  await ctx.db.$transaction(async (tx) => {
    if (input.enabled === null) {
      await deleteFlagOverride(tx, input.key, org.id);
    } else {
      // An override needs its flag row: a known flag not stored yet is created with its default.
      const flags = await listFlagsWithOverrideCounts(tx);
      if (!flags.some((f) => f.key === input.key)) {
        if (!(input.key in KNOWN_FLAGS)) throw notFound("Feature flag");
        const def = KNOWN_FLAGS[input.key as KnownFlag];
        await upsertFlag(tx, input.key, { enabled: def.defaultEnabled, description: def.description });
      }
      await upsertFlagOverride(tx, input.key, org.id, input.enabled);
    }
    await audit(tx, who(ctx, org.id), "admin.flag.override", { type: "featureFlag", id: input.key }, { enabled: input.enabled });
  });
  return { ok: true as const };
}

export async function flagOverrides(ctx: AdminCtx, input: { key: string }) {
  const rows = await listFlagOverrides(ctx.db, input.key);
  return rows.map((r) => ({ organizationId: r.organizationId, organizationName: r.organization.name, organizationSlug: r.organization.slug, enabled: r.enabled, updatedAt: r.updatedAt }));
}

// ─── Maintenance ───

export async function maintenance(ctx: AdminCtx) {
  return getMaintenance(ctx.db, { fresh: true });
}

export async function setMaintenance(ctx: AdminCtx, input: { enabled: boolean; message: string }) {
  await ctx.db.$transaction(async (tx) => {
    await upsertSetting(tx, MAINTENANCE_KEY, { enabled: input.enabled, message: input.message }, ctx.userId);
    await audit(tx, who(ctx), input.enabled ? "admin.maintenance.on" : "admin.maintenance.off", { type: "platformSetting", id: MAINTENANCE_KEY }, { message: input.message });
  });
  resetMaintenanceCache();
  return getMaintenance(ctx.db, { fresh: true });
}

// ─── Plans ───

type PlanRow = NonNullable<Awaited<ReturnType<typeof findPlanForAdmin>>>;
function planOut(p: PlanRow) {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    priceMonthlyCents: p.priceMonthlyCents,
    priceYearlyCents: p.priceYearlyCents,
    currency: p.currency,
    limits: ZPlanLimits.parse(p.limits),
    stripePriceMonthlyId: p.stripePriceMonthlyId,
    stripePriceYearlyId: p.stripePriceYearlyId,
    active: p.active,
    isDefault: p.code === DEFAULT_PLAN_CODE,
    subscriptions: p._count.subscriptions,
  };
}

export async function listPlans(ctx: AdminCtx) {
  return (await listAllPlans(ctx.db)).map(planOut);
}

export type PlanInput = Omit<PlanWrite, "stripePriceMonthlyId" | "stripePriceYearlyId" | "limits"> & {
  code: string;
  limits: PlanWrite["limits"];
  stripePriceMonthlyId?: string | null;
  stripePriceYearlyId?: string | null;
};

/** `existing`: the row being updated; a Stripe price id left out keeps its stored value. */
function planWrite(input: PlanInput, existing?: { stripePriceMonthlyId: string | null; stripePriceYearlyId: string | null }): PlanWrite {
  // Every organization without a subscription is on the free plan: it must stay available and free.
  if (input.code === DEFAULT_PLAN_CODE) {
    if (!input.active) throw new AppError("BAD_REQUEST", "freePlanMustStayActive", "The free plan cannot be deactivated");
    if (input.priceMonthlyCents !== 0 || input.priceYearlyCents !== 0) {
      throw new AppError("BAD_REQUEST", "freePlanMustStayFree", "The free plan's price stays at 0");
    }
  } else if (input.priceMonthlyCents === 0 && input.priceYearlyCents === 0 && input.active) {
    throw new AppError("BAD_REQUEST", "paidPlanNeedsPrice", "A plan other than the free plan needs a price");
  }
  return {
    name: input.name,
    priceMonthlyCents: input.priceMonthlyCents,
    priceYearlyCents: input.priceYearlyCents,
    limits: input.limits,
    active: input.active,
    stripePriceMonthlyId: input.stripePriceMonthlyId === undefined ? (existing?.stripePriceMonthlyId ?? null) : input.stripePriceMonthlyId,
    stripePriceYearlyId: input.stripePriceYearlyId === undefined ? (existing?.stripePriceYearlyId ?? null) : input.stripePriceYearlyId,
  };
}

export async function updatePlan(ctx: AdminCtx, input: PlanInput) {
  const existing = await findPlanForAdmin(ctx.db, input.code);
  if (!existing) throw notFound("Plan");
  const data = planWrite(input, existing);
  const updated = await ctx.db.$transaction(async (tx) => {
    const row = await updatePlanByCode(tx, input.code, data);
    await audit(tx, who(ctx), "admin.plan.updated", { type: "plan", id: row.id }, {
      code: row.code,
      priceMonthlyCents: row.priceMonthlyCents,
      priceYearlyCents: row.priceYearlyCents,
      active: row.active,
    });
    return row;
  });
  return planOut(updated);
}

export async function createPlan(ctx: AdminCtx, input: PlanInput) {
  if (await findPlanForAdmin(ctx.db, input.code)) throw new AppError("CONFLICT", "planCodeTaken", "A plan with this code exists");
  const data = planWrite(input);
  const created = await ctx.db.$transaction(async (tx) => {
    const row = await createPlanRow(tx, input.code, data);
    await audit(tx, who(ctx), "admin.plan.created", { type: "plan", id: row.id }, { code: row.code });
    return row;
  });
  return planOut(created);
}
