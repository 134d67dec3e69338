import type { DbOrTx } from "~/server/db";
import type { Provider } from "~/generated/prisma/enums";

/**
 * What the entitlement service counts. Every function takes the organization id: usage is always
 * one tenant's. "Resources that exist" exclude soft-deleted rows.
 */

export function findSubscriptionWithPlan(db: DbOrTx, organizationId: string) {
  return db.subscription.findUnique({
    where: { organizationId },
    select: {
      status: true,
      interval: true,
      graceUntil: true,
      pastDueSince: true,
      trialEndsAt: true,
      currentPeriodEnd: true,
      cancelAtPeriodEnd: true,
      testMode: true,
      stripeCustomerId: true,
      stripeSubscriptionId: true,
      plan: { select: planFields },
    },
  });
}

export const planFields = {
  id: true,
  code: true,
  name: true,
  priceMonthlyCents: true,
  priceYearlyCents: true,
  currency: true,
  limits: true,
  active: true,
  sortOrder: true,
  stripePriceMonthlyId: true,
  stripePriceYearlyId: true,
} as const;

export function findPlan(db: DbOrTx, code: string) {
  return db.plan.findUnique({ where: { code }, select: planFields });
}

/** Active plans, cheapest first (what an upgrade can choose from). */
export function listActivePlans(db: DbOrTx) {
  return db.plan.findMany({ where: { active: true }, orderBy: [{ sortOrder: "asc" }, { priceMonthlyCents: "asc" }], select: planFields });
}

export function findOrganizationStatus(db: DbOrTx, organizationId: string) {
  return db.organization.findUnique({ where: { id: organizationId }, select: { status: true, suspendedAt: true, deletedAt: true } });
}

/** Connected accounts: a disconnected account frees its slot (its history stays, read-only). */
export function countAccounts(db: DbOrTx, organizationId: string, kind: "MARKETPLACE" | "SOCIAL") {
  return db.connection.count({ where: { organizationId, kind, deletedAt: null, status: { not: "DISCONNECTED" } } });
}

/** Listings tracked: those of accounts still connected (a disconnected account's are history). */
export function countListings(db: DbOrTx, organizationId: string) {
  return db.listing.count({ where: { organizationId, deletedAt: null, connection: { deletedAt: null, status: { not: "DISCONNECTED" } } } });
}

/** Posts scheduled in [from, to): every publication planned for that month except canceled ones. */
export function countPostsScheduledBetween(db: DbOrTx, organizationId: string, from: Date, to: Date) {
  return db.publication.count({ where: { organizationId, deletedAt: null, status: { not: "CANCELED" }, scheduledAt: { gte: from, lt: to } } });
}

export async function sumAiCreditsSince(db: DbOrTx, organizationId: string, since: Date) {
  const r = await db.aiUsage.aggregate({ where: { organizationId, createdAt: { gte: since } }, _sum: { credits: true } });
  return r._sum.credits ?? 0;
}

export function countMembers(db: DbOrTx, organizationId: string) {
  return db.membership.count({ where: { organizationId } });
}

/** Members plus open invitations: an invitation holds a seat until it is accepted, revoked or expires. */
export async function countSeats(db: DbOrTx, organizationId: string, now: Date) {
  const [members, invitations] = await Promise.all([
    db.membership.count({ where: { organizationId } }),
    db.invitation.count({ where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
  ]);
  return members + invitations;
}

// ─── "Is this row within the plan?" (downgrades: the oldest N stay writable, newer ones are read-only) ───

/** Rows ordered strictly before (createdAt, id): ties on the timestamp are broken by id. */
const olderThan = (row: { createdAt: Date; id: string }) => ({ OR: [{ createdAt: { lt: row.createdAt } }, { createdAt: row.createdAt, id: { lt: row.id } }] });

/**
 * A connection's 0-based rank among the organization's connected accounts of its kind (oldest
 * first), or null when it is not one of them (disconnected, deleted, another tenant's).
 */
export async function connectionRank(db: DbOrTx, organizationId: string, connectionId: string) {
  const row = await db.connection.findFirst({
    where: { id: connectionId, organizationId, deletedAt: null, status: { not: "DISCONNECTED" } },
    select: { id: true, kind: true, createdAt: true },
  });
  if (!row) return null;
  const rank = await db.connection.count({ where: { organizationId, kind: row.kind, deletedAt: null, status: { not: "DISCONNECTED" }, ...olderThan(row) } });
  return { kind: row.kind, rank };
}

/** A listing's 0-based rank among the organization's tracked listings (oldest first), or null. */
export async function listingRank(db: DbOrTx, organizationId: string, listingId: string) {
  const tracked = { organizationId, deletedAt: null, connection: { deletedAt: null, status: { not: "DISCONNECTED" as const } } };
  const row = await db.listing.findFirst({ where: { id: listingId, ...tracked }, select: { id: true, createdAt: true } });
  if (!row) return null;
  return db.listing.count({ where: { ...tracked, ...olderThan(row) } });
}

export function findListingConnection(db: DbOrTx, organizationId: string, listingId: string) {
  return db.listing.findFirst({ where: { id: listingId, organizationId }, select: { connectionId: true } });
}

/**
 * Is there a live connection of this account already (a reconnect, which takes no new slot)?
 * `externalAccountId` null: of any account of this provider.
 */
export async function connectedAccountExists(db: DbOrTx, organizationId: string, provider: Provider, externalAccountId: string | null) {
  const row = await db.connection.findFirst({
    where: { organizationId, provider, ...(externalAccountId === null ? {} : { externalAccountId }), deletedAt: null, status: { not: "DISCONNECTED" } },
    select: { id: true },
  });
  return row !== null;
}

/** Which of these external ids the connection already stores (a sync updates them whatever the limit). */
export async function storedListingExternalIds(db: DbOrTx, organizationId: string, connectionId: string, externalIds: string[]) {
  if (externalIds.length === 0) return new Set<string>();
  const rows = await db.listing.findMany({ where: { organizationId, connectionId, deletedAt: null, externalId: { in: externalIds } }, select: { externalId: true } });
  return new Set(rows.map((r) => r.externalId));
}

/** Listings of one connection synced since `since` (those a sync generation stored or refreshed). */
export function countListingsSyncedSince(db: DbOrTx, organizationId: string, connectionId: string, since: Date) {
  return db.listing.count({ where: { organizationId, connectionId, deletedAt: null, syncedAt: { gte: since } } });
}

/**
 * Serializes the checks of one organization's limit inside a transaction (two concurrent
 * schedules cannot both take the last slot). Released at commit or rollback.
 */
export async function lockOrganizationLimit(tx: DbOrTx, organizationId: string, key: string) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`entitlements:${organizationId}:${key}`}))`;
}

export type MemberSeatRow = {
  role: "OWNER" | "MANAGER" | "OPERATOR" | "VIEWER";
  /** 0-based rank among the organization's members, oldest membership first. */
  rank: number;
  status: "ACTIVE" | "TRIALING" | "PAST_DUE" | "CANCELED" | "INCOMPLETE" | null;
  graceUntil: Date | null;
  trialEndsAt: Date | null;
  planCode: string | null;
  planName: string | null;
  planLimits: unknown;
  freeName: string | null;
  freeLimits: unknown;
};

/**
 * One query for what resolving a tenant needs: the member's role, their seat rank, and the
 * subscription and plans that decide the seat limit (seats beyond a downgraded plan act as viewers).
 */
export async function findMemberWithSeatRank(db: DbOrTx, organizationId: string, userId: string, freePlanCode: string): Promise<MemberSeatRow | null> {
  const rows = await db.$queryRaw<MemberSeatRow[]>`
    SELECT m.role::text AS role,
           (SELECT count(*) FROM memberships o
             WHERE o.organization_id = m.organization_id
               AND (o.created_at < m.created_at OR (o.created_at = m.created_at AND o.id < m.id)))::int AS rank,
           s.status::text AS status, s.grace_until AS "graceUntil", s.trial_ends_at AS "trialEndsAt",
           p.code AS "planCode", p.name AS "planName", p.limits AS "planLimits",
           f.name AS "freeName", f.limits AS "freeLimits"
    FROM memberships m
    JOIN organizations org ON org.id = m.organization_id AND org.deleted_at IS NULL
    LEFT JOIN subscriptions s ON s.organization_id = m.organization_id
    LEFT JOIN plans p ON p.id = s.plan_id
    LEFT JOIN plans f ON f.code = ${freePlanCode}
    WHERE m.organization_id = ${organizationId} AND m.user_id = ${userId}
    LIMIT 1`;
  return rows[0] ?? null;
}
