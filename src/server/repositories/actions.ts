import type { Db, DbOrTx, DbTx } from "~/server/db";
import type { ActionSource, ActionStatus, ActionType, Provider } from "~/generated/prisma/enums";
import type { Prisma } from "~/generated/prisma/client";
import { paginate } from "./pagination";

// ─── Approval, apply and effect (actions-apply) ─────────────────────────────────────────────────

export type ActionFilter = {
  type?: ActionType;
  provider?: Provider;
  status?: ActionStatus;
  minExpectedGain?: number;
  listingId?: string;
  /** Matches the listing's title (case-insensitive). */
  search?: string;
};

const USER_REF = { select: { id: true, name: true, email: true } } as const;

/** What the queue and the action page show of one action. */
const ACTION_ROW = {
  id: true,
  type: true,
  status: true,
  source: true,
  reason: true,
  expectedGain: true,
  payload: true,
  suggestedPayload: true,
  attempts: true,
  failureCode: true,
  failureReason: true,
  createdAt: true,
  updatedAt: true,
  editedAt: true,
  approvedAt: true,
  rejectedAt: true,
  applyingAt: true,
  appliedAt: true,
  failedAt: true,
  editedById: true,
  approvedBy: USER_REF,
  rejectedBy: USER_REF,
  listing: {
    select: {
      id: true,
      title: true,
      provider: true,
      thumbnailUrl: true,
      healthScore: true,
      priceCents: true,
      currency: true,
      status: true,
      soldQuantity: true,
      hasVariations: true,
      catalogListing: true,
    },
  },
} as const satisfies Prisma.ActionSelect;

function actionWhere(organizationId: string, filter: ActionFilter): Prisma.ActionWhereInput {
  const listing: Prisma.ListingWhereInput = {
    ...(filter.provider ? { provider: filter.provider } : {}),
    ...(filter.search ? { title: { contains: filter.search, mode: "insensitive" as const } } : {}),
  };
  return {
    organizationId,
    ...(filter.type ? { type: filter.type } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.minExpectedGain !== undefined ? { expectedGain: { gte: filter.minExpectedGain } } : {}),
    ...(filter.listingId ? { listingId: filter.listingId } : {}),
    ...(Object.keys(listing).length > 0 ? { listing } : {}),
  };
}

/** Biggest expected gain first (or newest first), cursor-paginated on the action id. */
export function listActions(db: DbOrTx, organizationId: string, page: ActionFilter & { limit: number; cursor?: string; sort?: "gain" | "newest" }) {
  return db.action
    .findMany({
      where: actionWhere(organizationId, page),
      select: ACTION_ROW,
      orderBy: page.sort === "newest" ? [{ createdAt: "desc" }, { id: "desc" }] : [{ expectedGain: "desc" }, { createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

export async function actionExists(db: DbOrTx, organizationId: string, actionId: string) {
  return (await db.action.count({ where: { id: actionId, organizationId } })) === 1;
}

export function findAction(db: DbOrTx, organizationId: string, actionId: string) {
  return db.action.findFirst({ where: { id: actionId, organizationId }, select: { ...ACTION_ROW, listingId: true, openKey: true } });
}
export type ActionRecord = NonNullable<Awaited<ReturnType<typeof findAction>>>;

export function findActionsByIds(db: DbOrTx, organizationId: string, actionIds: string[]) {
  return db.action.findMany({ where: { id: { in: actionIds }, organizationId }, select: { ...ACTION_ROW, listingId: true, openKey: true } });
}

/** Everything the apply step needs: the action, its listing and the listing's connection. */
export function findActionForApply(db: DbOrTx, organizationId: string, actionId: string) {
  return db.action.findFirst({
    where: { id: actionId, organizationId },
    select: {
      id: true,
      type: true,
      status: true,
      payload: true,
      attempts: true,
      approvedById: true,
      failureReason: true,
      listing: {
        select: {
          id: true,
          connectionId: true,
          provider: true,
          externalId: true,
          healthScore: true,
          priceCents: true,
          attributes: true,
          deletedAt: true,
        },
      },
    },
  });
}
export type ActionForApply = NonNullable<Awaited<ReturnType<typeof findActionForApply>>>;

/**
 * Compare-and-set on the status: changes the action only while its status is one of `from`.
 * Returns whether it did, so two approvals (or two apply attempts) can never both win.
 */
export async function transitionAction(
  db: DbOrTx,
  organizationId: string,
  actionId: string,
  from: ActionStatus[],
  data: Prisma.ActionUncheckedUpdateManyInput,
): Promise<boolean> {
  const { count } = await db.action.updateMany({ where: { id: actionId, organizationId, status: { in: from } }, data });
  return count === 1;
}

export function updateAction(db: DbOrTx, organizationId: string, actionId: string, data: Prisma.ActionUncheckedUpdateManyInput) {
  return db.action.updateMany({ where: { id: actionId, organizationId }, data });
}

/**
 * Runs `fn` holding a row lock on the action. The apply step writes to the marketplace inside it,
 * so a second attempt of the same action (a retry racing a slow first attempt, or a duplicate
 * event) waits and then finds the outcome instead of writing again.
 */
export function withActionLock<T>(db: Db, organizationId: string, actionId: string, fn: (tx: DbTx) => Promise<T>, options: { lockTimeoutMs?: number } = {}) {
  return db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM actions WHERE id = ${actionId} AND organization_id = ${organizationId} FOR UPDATE`;
      // Once the action is ours, waits on other rows (the listing) are bounded: a stuck lock fails
      // the attempt (and it is retried) instead of hanging a worker.
      const lockTimeout = Math.max(100, Math.round(options.lockTimeoutMs ?? 10_000));
      await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${lockTimeout}`);
      return fn(tx);
    },
    // The marketplace is called while the lock is held (its client times out well before this).
    { maxWait: 60_000, timeout: 90_000 },
  );
}

/** Creates one action (the engine's generator has its own batch insert; tests and seeds use this). */
export function insertAction(
  db: DbOrTx,
  organizationId: string,
  data: {
    listingId: string;
    type: ActionType;
    payload: Prisma.InputJsonValue;
    reason: string;
    expectedGain?: number;
    source?: ActionSource;
    status?: ActionStatus;
    openKey?: string | null;
  },
) {
  const open = !data.status || ["PENDING", "APPROVED", "APPLYING"].includes(data.status);
  return db.action.create({
    data: {
      organizationId,
      listingId: data.listingId,
      type: data.type,
      payload: data.payload,
      reason: data.reason,
      expectedGain: data.expectedGain ?? 0,
      source: data.source ?? "RULE",
      status: data.status ?? "PENDING",
      openKey: data.openKey !== undefined ? data.openKey : open ? `${data.listingId}:${data.type}` : null,
    },
    select: { id: true },
  });
}

/** Audit entries about one action, oldest first (its timeline). */
export function listActionAudit(db: DbOrTx, organizationId: string, actionId: string) {
  return db.auditLog.findMany({
    where: { organizationId, targetType: "action", targetId: actionId },
    select: { id: true, action: true, metadata: true, createdAt: true, actor: USER_REF },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 200,
  });
}

export function findUserRef(db: DbOrTx, organizationId: string, userId: string) {
  // Only members of this organization are named (an id from elsewhere shows as unknown).
  return db.user.findFirst({ where: { id: userId, memberships: { some: { organizationId } } }, select: { id: true, name: true, email: true } });
}

/** The listing's facts the copy generator may use. */
export function findListingFacts(db: DbOrTx, organizationId: string, listingId: string) {
  return db.listing.findFirst({
    where: { id: listingId, organizationId, deletedAt: null },
    select: { id: true, provider: true, title: true, categoryId: true, description: true, attributes: true, gtin: true, priceCents: true, freeShipping: true },
  });
}

/** Writes the values an applied action set on the marketplace into our copy of the listing. */
export function updateListingApplied(db: DbOrTx, organizationId: string, listingId: string, data: Prisma.ListingUpdateManyMutationInput) {
  return db.listing.updateMany({ where: { id: listingId, organizationId }, data });
}

/** Sum of visits and sales and the number of days with a snapshot, over [from, to) (UTC dates). */
export async function metricTotals(db: DbOrTx, organizationId: string, listingId: string, from: Date, to: Date) {
  const result = await db.listingMetricSnapshot.aggregate({
    where: { organizationId, listingId, date: { gte: from, lt: to } },
    _sum: { visits: true, sales: true },
    _count: { _all: true },
  });
  return { visits: result._sum.visits ?? 0, sales: result._sum.sales ?? 0, days: result._count._all };
}

/**
 * Approved actions still waiting for their apply run after `before` (their event was lost, e.g.
 * the queue was unreachable right after the approval). Crosses organizations: a cron re-sends them.
 */
export function findStuckApprovals(db: DbOrTx, before: Date, limit: number) {
  return db.action.findMany({
    // A suspended organization's approvals wait; the sweep re-sends them after reactivation.
    where: { status: "APPROVED", approvedAt: { lt: before }, organization: { status: "ACTIVE" } },
    select: { id: true, organizationId: true, approvedById: true, attempts: true },
    orderBy: [{ approvedAt: "asc" }, { id: "asc" }],
    take: limit,
  });
}
