import type { DbOrTx } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import { planFields } from "./entitlements";

/** Platform-wide rows (feature flags, settings): not tenant data, read by everyone, written by platform admins. */

export function findFlagWithOverride(db: DbOrTx, key: string, organizationId: string | null) {
  return db.featureFlag.findUnique({
    where: { key },
    select: { enabled: true, overrides: organizationId ? { where: { organizationId }, select: { enabled: true } } : false },
  });
}

export function findSetting(db: DbOrTx, key: string) {
  return db.platformSetting.findUnique({ where: { key }, select: { value: true, updatedAt: true } });
}

export function upsertSetting(db: DbOrTx, key: string, value: Prisma.InputJsonValue, updatedById: string | null) {
  return db.platformSetting.upsert({ where: { key }, create: { key, value, updatedById }, update: { value, updatedById } });
}

// ─── Platform administration (admin router) ─────────────────────────────────────────────────
// Cross-tenant by design: only the admin services (behind adminProcedure) call these.

export function countOrganizationsByStatus(db: DbOrTx) {
  return db.organization.groupBy({ by: ["status"], where: { deletedAt: null }, _count: { _all: true } });
}

/** Subscriptions that may bring revenue (the MRR figure decides which count). */
export function listRevenueSubscriptions(db: DbOrTx) {
  return db.subscription.findMany({
    where: { status: { in: ["ACTIVE", "PAST_DUE", "TRIALING"] }, organization: { deletedAt: null } },
    select: {
      status: true,
      interval: true,
      graceUntil: true,
      trialEndsAt: true,
      testMode: true,
      plan: { select: { code: true, priceMonthlyCents: true, priceYearlyCents: true } },
    },
  });
}

export function countActiveConnectionsByProvider(db: DbOrTx) {
  return db.connection.groupBy({
    by: ["provider"],
    where: { status: "ACTIVE", deletedAt: null, organization: { deletedAt: null } },
    _count: { _all: true },
  });
}

/** Published publications per UTC day since `since`. */
export function countPublishedPerDay(db: DbOrTx, since: Date) {
  return db.$queryRaw<{ day: string; count: number }[]>`
    SELECT to_char(date_trunc('day', published_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*)::int AS count
      FROM publications
     WHERE status = 'PUBLISHED' AND published_at >= ${since} AND deleted_at IS NULL
     GROUP BY 1`;
}

export async function countUsers(db: DbOrTx) {
  const [total, admins, banned] = await Promise.all([
    db.user.count({ where: { deletedAt: null } }),
    db.user.count({ where: { deletedAt: null, isPlatformAdmin: true } }),
    db.user.count({ where: { deletedAt: null, bannedAt: { not: null } } }),
  ]);
  return { total, admins, banned };
}

const adminOrganizationSelect = {
  id: true,
  name: true,
  slug: true,
  status: true,
  suspendedAt: true,
  suspendedReason: true,
  createdAt: true,
  _count: { select: { memberships: true } },
} as const;

export function listOrganizationsForAdmin(db: DbOrTx, filter: { search?: string; status?: "ACTIVE" | "SUSPENDED"; limit: number; cursor?: string }) {
  const search = filter.search?.trim();
  return db.organization.findMany({
    where: {
      deletedAt: null,
      ...(filter.status ? { status: filter.status } : {}),
      ...(search ? { OR: [{ name: { contains: search, mode: "insensitive" } }, { slug: { contains: search, mode: "insensitive" } }] } : {}),
    },
    select: adminOrganizationSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
}

export function findOrganizationForAdmin(db: DbOrTx, organizationId: string) {
  return db.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: adminOrganizationSelect });
}

export function setOrganizationSuspension(db: DbOrTx, organizationId: string, suspension: { reason: string; at: Date } | null) {
  return db.organization.update({
    where: { id: organizationId },
    data: suspension
      ? { status: "SUSPENDED", suspendedAt: suspension.at, suspendedReason: suspension.reason }
      : { status: "ACTIVE", suspendedAt: null, suspendedReason: null },
    select: { id: true },
  });
}

export function listUsersForAdmin(db: DbOrTx, filter: { search?: string; limit: number; cursor?: string }) {
  const search = filter.search?.trim();
  return db.user.findMany({
    where: {
      deletedAt: null,
      ...(search ? { OR: [{ email: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] } : {}),
    },
    select: { id: true, email: true, name: true, isPlatformAdmin: true, bannedAt: true, createdAt: true, _count: { select: { memberships: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
}

export function findUserForAdmin(db: DbOrTx, userId: string) {
  return db.user.findFirst({ where: { id: userId, deletedAt: null }, select: { id: true, isPlatformAdmin: true, bannedAt: true } });
}

export function setUserBan(db: DbOrTx, userId: string, bannedAt: Date | null) {
  return db.user.update({ where: { id: userId }, data: { bannedAt }, select: { id: true } });
}

// Feature flags

export function listFlagsWithOverrideCounts(db: DbOrTx) {
  return db.featureFlag.findMany({
    select: { key: true, description: true, enabled: true, updatedAt: true, _count: { select: { overrides: true } } },
    orderBy: { key: "asc" },
  });
}

export function upsertFlag(db: DbOrTx, key: string, data: { enabled: boolean; description?: string }) {
  return db.featureFlag.upsert({
    where: { key },
    create: { key, enabled: data.enabled, description: data.description ?? "" },
    update: { enabled: data.enabled, ...(data.description !== undefined ? { description: data.description } : {}) },
    select: { key: true, description: true, enabled: true },
  });
}

export function upsertFlagOverride(db: DbOrTx, key: string, organizationId: string, enabled: boolean) {
  return db.featureFlagOverride.upsert({
    where: { key_organizationId: { key, organizationId } },
    create: { key, organizationId, enabled },
    update: { enabled },
    select: { key: true },
  });
}

export function deleteFlagOverride(db: DbOrTx, key: string, organizationId: string) {
  return db.featureFlagOverride.deleteMany({ where: { key, organizationId } });
}

export function listFlagOverrides(db: DbOrTx, key: string) {
  return db.featureFlagOverride.findMany({
    where: { key },
    select: { organizationId: true, enabled: true, updatedAt: true, organization: { select: { name: true, slug: true } } },
    orderBy: { updatedAt: "desc" },
  });
}

// Plans

const planSelect = { ...planFields, _count: { select: { subscriptions: true } } } as const;

export function listAllPlans(db: DbOrTx) {
  return db.plan.findMany({ select: planSelect, orderBy: [{ sortOrder: "asc" }, { priceMonthlyCents: "asc" }] });
}

export function findPlanForAdmin(db: DbOrTx, code: string) {
  return db.plan.findUnique({ where: { code }, select: planSelect });
}

export type PlanWrite = {
  name: string;
  priceMonthlyCents: number;
  priceYearlyCents: number;
  limits: Prisma.InputJsonValue;
  active: boolean;
  stripePriceMonthlyId: string | null;
  stripePriceYearlyId: string | null;
};

export function updatePlanByCode(db: DbOrTx, code: string, data: PlanWrite) {
  return db.plan.update({ where: { code }, data, select: planSelect });
}

export async function createPlanRow(db: DbOrTx, code: string, data: PlanWrite) {
  const last = await db.plan.aggregate({ _max: { sortOrder: true } });
  return db.plan.create({ data: { code, ...data, sortOrder: (last._max.sortOrder ?? 0) + 1 }, select: planSelect });
}
