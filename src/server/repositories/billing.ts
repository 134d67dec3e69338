import type { Prisma } from "~/generated/prisma/client";
import type { BillingInterval, SubscriptionStatus } from "~/generated/prisma/enums";
import type { DbOrTx } from "~/server/db";
import { planFields } from "./entitlements";
import { paginate } from "./pagination";

/**
 * Billing rows: subscriptions, invoices, plans' Stripe ids, processed Stripe events. Tenant reads
 * take the organization id; the webhook resolves the organization from Stripe ids first
 * (findSubscriptionByStripeIds) and passes it on.
 */

const subscriptionFields = {
  id: true,
  organizationId: true,
  status: true,
  interval: true,
  stripeCustomerId: true,
  stripeSubscriptionId: true,
  currentPeriodEnd: true,
  cancelAtPeriodEnd: true,
  graceUntil: true,
  pastDueSince: true,
  trialEndsAt: true,
  lastStripeEventAt: true,
  testMode: true,
  plan: { select: planFields },
} satisfies Prisma.SubscriptionSelect;

export type SubscriptionRow = Prisma.SubscriptionGetPayload<{ select: typeof subscriptionFields }>;

export function findSubscription(db: DbOrTx, organizationId: string) {
  return db.subscription.findUnique({ where: { organizationId }, select: subscriptionFields });
}

/** The subscription Stripe's ids point at (webhooks carry ids, never our organization id alone). */
export function findSubscriptionByStripeIds(db: DbOrTx, ids: { customerId?: string | null; subscriptionId?: string | null }) {
  const or: Prisma.SubscriptionWhereInput[] = [];
  if (ids.subscriptionId) or.push({ stripeSubscriptionId: ids.subscriptionId });
  if (ids.customerId) or.push({ stripeCustomerId: ids.customerId });
  if (or.length === 0) return Promise.resolve(null);
  return db.subscription.findFirst({ where: { OR: or }, select: subscriptionFields });
}

export type SubscriptionWrite = Partial<{
  planId: string;
  status: SubscriptionStatus;
  interval: BillingInterval;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  graceUntil: Date | null;
  pastDueSince: Date | null;
  trialEndsAt: Date | null;
  lastStripeEventAt: Date | null;
  testMode: boolean;
}>;

/** Creates the organization's subscription row or updates it (one row per organization). */
export function upsertSubscription(db: DbOrTx, organizationId: string, planId: string, data: SubscriptionWrite) {
  return db.subscription.upsert({
    where: { organizationId },
    create: { organizationId, ...data, planId },
    update: { ...data, planId },
    select: subscriptionFields,
  });
}

export function updateSubscription(db: DbOrTx, organizationId: string, data: SubscriptionWrite) {
  return db.subscription.update({ where: { organizationId }, data, select: subscriptionFields });
}

export function organizationExists(db: DbOrTx, organizationId: string) {
  return db.organization.count({ where: { id: organizationId, deletedAt: null } }).then((n) => n === 1);
}

export function findPlanById(db: DbOrTx, id: string) {
  return db.plan.findUnique({ where: { id }, select: planFields });
}

export function findPlanByStripePrice(db: DbOrTx, priceId: string) {
  return db.plan.findFirst({ where: { OR: [{ stripePriceMonthlyId: priceId }, { stripePriceYearlyId: priceId }] }, select: planFields });
}

export function setPlanStripePrice(db: DbOrTx, planId: string, interval: BillingInterval, priceId: string) {
  return db.plan.update({
    where: { id: planId },
    data: interval === "MONTH" ? { stripePriceMonthlyId: priceId } : { stripePriceYearlyId: priceId },
    select: planFields,
  });
}

// ─── Invoices ───

const invoiceFields = {
  id: true,
  number: true,
  status: true,
  amountDueCents: true,
  amountPaidCents: true,
  currency: true,
  description: true,
  periodStart: true,
  periodEnd: true,
  hostedInvoiceUrl: true,
  invoicePdfUrl: true,
  testMode: true,
  createdAt: true,
} satisfies Prisma.InvoiceSelect;

export function listInvoices(db: DbOrTx, organizationId: string, page: { limit: number; cursor?: string }) {
  return db.invoice
    .findMany({
      where: { organizationId },
      select: invoiceFields,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

export async function invoiceBelongsTo(db: DbOrTx, organizationId: string, id: string) {
  return (await db.invoice.count({ where: { id, organizationId } })) === 1;
}

export type InvoiceWrite = {
  number: string | null;
  status: string;
  amountDueCents: number;
  amountPaidCents: number;
  currency: string;
  description: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  hostedInvoiceUrl: string | null;
  invoicePdfUrl: string | null;
};

/** Mirrors a Stripe invoice (events may repeat or arrive out of order: the latest write wins). */
export function upsertStripeInvoice(db: DbOrTx, organizationId: string, stripeInvoiceId: string, data: InvoiceWrite, createdAt: Date) {
  return db.invoice.upsert({
    where: { stripeInvoiceId },
    create: { organizationId, stripeInvoiceId, ...data, createdAt },
    update: data,
    select: { id: true },
  });
}

export function findStripeInvoiceStatus(db: DbOrTx, stripeInvoiceId: string) {
  return db.invoice.findUnique({ where: { stripeInvoiceId }, select: { status: true, organizationId: true } });
}

export function createLocalInvoice(db: DbOrTx, organizationId: string, data: InvoiceWrite & { testMode: boolean }) {
  return db.invoice.create({ data: { organizationId, ...data }, select: { id: true } });
}

// ─── Processed Stripe events ───

/** Records an event id; false when it was recorded before (Stripe delivers at least once). */
export async function recordProcessedEvent(db: DbOrTx, source: string, externalId: string, type: string, organizationId: string | null) {
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO processed_external_events (id, organization_id, source, external_id, type, processed_at)
    VALUES (gen_random_uuid()::text, ${organizationId}, ${source}, ${externalId}, ${type}, now())
    ON CONFLICT (source, external_id) DO NOTHING
    RETURNING id`;
  return rows.length === 1;
}

export function setProcessedEventOrganization(db: DbOrTx, source: string, externalId: string, organizationId: string) {
  return db.processedExternalEvent.update({ where: { source_externalId: { source, externalId } }, data: { organizationId } });
}

// ─── The daily billing function (every organization: platform-level maintenance) ───

/** Subscriptions whose paid plan no longer applies (see services/billing/lapse.ts), not yet on the free plan. */
export function lapsedSubscriptionWhere(now: Date, freePlanCode: string): Prisma.SubscriptionWhereInput {
  return {
    OR: [
      { status: "PAST_DUE", OR: [{ graceUntil: null }, { graceUntil: { lte: now } }] },
      { status: { in: ["CANCELED", "INCOMPLETE"] }, plan: { code: { not: freePlanCode } } },
      { status: "TRIALING", trialEndsAt: { lte: now } },
      { status: "ACTIVE", cancelAtPeriodEnd: true, currentPeriodEnd: { lte: now } },
    ],
  };
}

export async function findLapsedOrganizationIds(db: DbOrTx, now: Date, freePlanCode: string, limit: number) {
  const rows = await db.subscription.findMany({ where: lapsedSubscriptionWhere(now, freePlanCode), select: { organizationId: true }, orderBy: { organizationId: "asc" }, take: limit });
  return rows.map((r) => r.organizationId);
}

export async function isSubscriptionLapsed(db: DbOrTx, organizationId: string, now: Date, freePlanCode: string) {
  return (await db.subscription.count({ where: { organizationId, ...lapsedSubscriptionWhere(now, freePlanCode) } })) === 1;
}

/** Past-due subscriptions whose grace ends within (now, until]. */
export function findGraceEnding(db: DbOrTx, now: Date, until: Date) {
  return db.subscription.findMany({
    where: { status: "PAST_DUE", graceUntil: { gt: now, lte: until } },
    select: { organizationId: true, graceUntil: true, plan: { select: { name: true } } },
    orderBy: { organizationId: "asc" },
  });
}

// ─── Owners (who hears about billing) ───

export async function ownerUserIds(db: DbOrTx, organizationId: string) {
  const rows = await db.membership.findMany({ where: { organizationId, role: "OWNER" }, select: { userId: true } });
  return rows.map((r) => r.userId);
}

// ─── AI usage report ───

export async function aiUsageTotals(db: DbOrTx, organizationId: string, from: Date, to: Date) {
  const r = await db.aiUsage.aggregate({
    where: { organizationId, createdAt: { gte: from, lt: to } },
    _sum: { credits: true, promptTokens: true, completionTokens: true, costMicroUsd: true },
    _count: { _all: true },
  });
  return {
    calls: r._count._all,
    credits: r._sum.credits ?? 0,
    promptTokens: r._sum.promptTokens ?? 0,
    completionTokens: r._sum.completionTokens ?? 0,
    costMicroUsd: r._sum.costMicroUsd ?? 0,
  };
}

export async function aiUsageByFeature(db: DbOrTx, organizationId: string, from: Date, to: Date) {
  const rows = await db.aiUsage.groupBy({
    by: ["feature"],
    where: { organizationId, createdAt: { gte: from, lt: to } },
    _sum: { credits: true, promptTokens: true, completionTokens: true, costMicroUsd: true },
    _count: { _all: true },
    orderBy: { feature: "asc" },
  });
  return rows.map((r) => ({
    feature: r.feature,
    calls: r._count._all,
    credits: r._sum.credits ?? 0,
    tokens: (r._sum.promptTokens ?? 0) + (r._sum.completionTokens ?? 0),
    costMicroUsd: r._sum.costMicroUsd ?? 0,
  }));
}

/** Per UTC day (timestamps are stored in UTC). */
export async function aiUsageByDay(db: DbOrTx, organizationId: string, from: Date, to: Date) {
  const rows = await db.$queryRaw<{ day: string; credits: bigint; calls: bigint }[]>`
    SELECT to_char(created_at, 'YYYY-MM-DD') AS day, COALESCE(SUM(credits), 0)::bigint AS credits, COUNT(*)::bigint AS calls
    FROM ai_usage
    WHERE organization_id = ${organizationId} AND created_at >= ${from} AND created_at < ${to}
    GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => ({ day: r.day, credits: Number(r.credits), calls: Number(r.calls) }));
}
