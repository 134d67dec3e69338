import type { DbOrTx } from "~/server/db";

export function findSubscription(db: DbOrTx, organizationId: string) {
  return db.subscription.findUnique({
    where: { organizationId },
    select: {
      status: true,
      interval: true,
      currentPeriodEnd: true,
      cancelAtPeriodEnd: true,
      plan: { select: { code: true, name: true, priceMonthlyCents: true, limits: true } },
    },
  });
}

export function findPlanByCode(db: DbOrTx, code: string) {
  return db.plan.findUnique({
    where: { code },
    select: { code: true, name: true, priceMonthlyCents: true, limits: true },
  });
}

export function countMembers(db: DbOrTx, organizationId: string) {
  return db.membership.count({ where: { organizationId } });
}
