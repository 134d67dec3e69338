/**
 * The daily billing pass: subscriptions whose paid plan no longer applies move to the free plan
 * (the entitlement service already treats them as free from the moment they lapse; this records
 * it, tells the owners and tidies the row). Lapsed means: past_due beyond its grace period,
 * canceled or incomplete while still naming a paid plan, a trial that ended, or a cancellation at
 * period end whose period is over. Nothing is deleted: resources beyond the free plan's limits
 * become read-only (entitlements). Idempotent: a downgraded row no longer matches.
 */
import { DEFAULT_PLAN_CODE, PAST_DUE_GRACE_DAYS } from "~/server/billing/plans";
import type { Db } from "~/server/db";
import { findGraceEnding, findLapsedOrganizationIds, findSubscription, isSubscriptionLapsed, upsertSubscription } from "~/server/repositories/billing";
import { findPlan } from "~/server/repositories/entitlements";
import { audit } from "../audit";
import { notifyOwners } from "./notify-owners";

const DAY_MS = 86_400_000;
/** Owners are warned once when a past-due subscription's grace ends within this many days. */
export const GRACE_WARNING_DAYS = 3;

/** Downgrades up to `limit` lapsed subscriptions; `more` says whether another batch may be waiting. */
export async function downgradeLapsedBatch(db: Db, options: { limit?: number; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 100;
  const free = await findPlan(db, DEFAULT_PLAN_CODE);
  if (!free) throw new Error("The free plan is missing: run the migrations");
  const ids = await findLapsedOrganizationIds(db, now, DEFAULT_PLAN_CODE, limit);
  let downgraded = 0;
  for (const organizationId of ids) {
    const done = await db.$transaction(async (tx) => {
      // Re-checked inside the transaction: a webhook may have just reactivated it.
      if (!(await isSubscriptionLapsed(tx, organizationId, now, DEFAULT_PLAN_CODE))) return false;
      const before = (await findSubscription(tx, organizationId))!;
      await upsertSubscription(tx, organizationId, free.id, {
        status: "ACTIVE",
        cancelAtPeriodEnd: false,
        currentPeriodEnd: null,
        graceUntil: null,
        pastDueSince: null,
        trialEndsAt: null,
        // The customer stays (a new checkout reuses it); the ended subscription does not.
        stripeSubscriptionId: null,
      });
      const reason = before.status === "ACTIVE" ? "canceledAtPeriodEnd" : before.status === "TRIALING" ? "trialEnded" : before.status === "PAST_DUE" ? "graceEnded" : before.status.toLowerCase();
      await audit(tx, { organizationId, userId: null }, "billing.downgraded", { type: "plan", id: free.code }, { from: before.plan.code, status: before.status, reason });
      if (before.plan.code !== free.code) {
        await notifyOwners(tx, organizationId, "billing.downgraded", { plan: before.plan.name, freePlan: free.name }, { now });
      }
      return true;
    });
    if (done) downgraded++;
  }
  return { downgraded, more: ids.length === limit };
}

/** Warns owners (once per past-due episode) that the grace period ends soon. */
export async function warnGraceEnding(db: Db, now = new Date()) {
  const rows = await findGraceEnding(db, now, new Date(now.getTime() + GRACE_WARNING_DAYS * DAY_MS));
  for (const row of rows) {
    const daysLeft = Math.max(1, Math.ceil((row.graceUntil!.getTime() - now.getTime()) / DAY_MS));
    await notifyOwners(
      db,
      row.organizationId,
      "billing.graceEnding",
      { plan: row.plan.name, days: daysLeft, graceUntil: row.graceUntil!.toISOString() },
      // The same episode keeps the same graceUntil: one warning each.
      { dedupe: { key: "graceUntil", withinMs: (PAST_DUE_GRACE_DAYS + 1) * DAY_MS }, now },
    );
  }
  return { warned: rows.length };
}
