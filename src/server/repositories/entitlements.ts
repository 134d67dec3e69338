import type { DbOrTx } from "~/server/db";

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

/** Members plus open invitations: an invitation holds a seat until it is accepted, revoked or expires. */
export async function countSeats(db: DbOrTx, organizationId: string, now: Date) {
  const [members, invitations] = await Promise.all([
    db.membership.count({ where: { organizationId } }),
    db.invitation.count({ where: { organizationId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } } }),
  ]);
  return members + invitations;
}
