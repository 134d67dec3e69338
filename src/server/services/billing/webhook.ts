/**
 * Stripe's webhook events → the organization's subscription and invoices.
 *
 * - Exactly once: the event id is recorded (ProcessedExternalEvent, source "stripe") in the same
 *   transaction as its effects. A repeat delivery finds the id and changes nothing; a processing
 *   error rolls the id back with everything else, so Stripe's retry processes it again.
 * - Out of order: Stripe does not guarantee order. A subscription event is applied only when its
 *   `created` is at or after the last one applied (Subscription.lastStripeEventAt); invoice
 *   statuses only move forward (draft → open → paid/void/uncollectible).
 * - Unknown customers and organizations are recorded as processed and logged (200): retrying
 *   would not make them known.
 */
import type { Stripe } from "~/server/billing/stripe";
import { getStripe } from "~/server/billing/stripe";
import { DEFAULT_PLAN_CODE, PAST_DUE_GRACE_DAYS } from "~/server/billing/plans";
import type { Db, DbTx } from "~/server/db";
import type { Logger } from "~/server/lib/logger";
import {
  findPlanByStripePrice,
  findStripeInvoiceStatus,
  findSubscription,
  findSubscriptionByStripeIds,
  organizationExists,
  recordProcessedEvent,
  setProcessedEventOrganization,
  type SubscriptionRow,
  type SubscriptionWrite,
  upsertStripeInvoice,
  upsertSubscription,
} from "~/server/repositories/billing";
import { findPlan } from "~/server/repositories/entitlements";
import { audit } from "../audit";
import { notifyOwners } from "./notify-owners";

export type StripeEventOutcome = "processed" | "duplicate" | "ignored" | "stale";

const DAY_MS = 86_400_000;

type StripeSubscriptionStatus = Stripe.Subscription["status"];

/** Stripe's subscription statuses → ours. unpaid keeps dunning going: past due, with its grace. */
export function mapStripeStatus(status: StripeSubscriptionStatus | string) {
  switch (status) {
    case "active":
      return "ACTIVE" as const;
    case "trialing":
      return "TRIALING" as const;
    case "past_due":
    case "unpaid":
      return "PAST_DUE" as const;
    case "canceled":
      return "CANCELED" as const;
    default:
      // incomplete, incomplete_expired, paused: no paid access.
      return "INCOMPLETE" as const;
  }
}

const idOf = (v: string | { id: string } | null | undefined) => (v == null ? null : typeof v === "string" ? v : v.id);
const fromUnix = (s: number | null | undefined) => (s == null ? null : new Date(s * 1000));

export async function handleStripeEvent(db: Db, event: Stripe.Event, log: Logger): Promise<StripeEventOutcome> {
  // The network call happens before the transaction: a transaction stays short and never waits on Stripe.
  let checkoutSubscription: Stripe.Subscription | null = null;
  if (event.type === "checkout.session.completed") {
    const session = event.data.object;
    const subId = idOf(session.subscription);
    const stripe = getStripe();
    if (subId && stripe) checkoutSubscription = await stripe.subscriptions.retrieve(subId);
  }
  return db.$transaction(async (tx) => {
    if (!(await recordProcessedEvent(tx, "stripe", event.id, event.type, null))) return "duplicate";
    const result = await apply(tx, event, checkoutSubscription, log);
    if (result.organizationId) await setProcessedEventOrganization(tx, "stripe", event.id, result.organizationId);
    if (result.outcome === "ignored") log.info({ eventId: event.id, type: event.type, reason: result.reason }, "stripe event ignored");
    return result.outcome;
  });
}

type ApplyResult = { outcome: StripeEventOutcome; organizationId: string | null; reason?: string };

async function apply(tx: DbTx, event: Stripe.Event, checkoutSubscription: Stripe.Subscription | null, log: Logger): Promise<ApplyResult> {
  const eventAt = new Date(event.created * 1000);
  switch (event.type) {
    case "checkout.session.completed": {
      const session = event.data.object;
      const organizationId = session.client_reference_id ?? session.metadata?.organizationId ?? null;
      if (!organizationId || !(await organizationExists(tx, organizationId))) return { outcome: "ignored", organizationId: null, reason: "unknown organization" };
      if (!checkoutSubscription) return { outcome: "ignored", organizationId, reason: "no subscription on the session" };
      const row = await findSubscription(tx, organizationId);
      // The retrieved subscription is Stripe's state now, fresher than any event so far.
      await applySubscription(tx, organizationId, row, checkoutSubscription, eventAt, log, { force: true });
      return { outcome: "processed", organizationId };
    }
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const sub = event.data.object;
      const target = await subscriptionTarget(tx, sub);
      if (!target) return { outcome: "ignored", organizationId: null, reason: "unknown customer" };
      const { organizationId, row } = target;
      if (row?.lastStripeEventAt && eventAt < row.lastStripeEventAt) return { outcome: "stale", organizationId };
      const status = event.type === "customer.subscription.deleted" ? "canceled" : sub.status;
      await applySubscription(tx, organizationId, row, { ...sub, status }, eventAt, log, { force: false });
      return { outcome: "processed", organizationId };
    }
    case "invoice.created":
    case "invoice.finalized":
    case "invoice.paid":
    case "invoice.payment_failed":
    case "invoice.voided":
    case "invoice.marked_uncollectible":
    case "invoice.updated": {
      const invoice = event.data.object;
      const subId = idOf(invoice.parent?.subscription_details?.subscription);
      const found = await findSubscriptionByStripeIds(tx, { customerId: idOf(invoice.customer), subscriptionId: subId });
      if (!found || !invoice.id) return { outcome: "ignored", organizationId: null, reason: "unknown customer" };
      await mirrorInvoice(tx, found.organizationId, invoice);
      return { outcome: "processed", organizationId: found.organizationId };
    }
    default:
      return { outcome: "ignored", organizationId: null, reason: "event type not handled" };
  }
}

/** Which organization a subscription event is about. */
async function subscriptionTarget(tx: DbTx, sub: Stripe.Subscription): Promise<{ organizationId: string; row: SubscriptionRow | null } | null> {
  const byIds = await findSubscriptionByStripeIds(tx, { subscriptionId: sub.id });
  if (byIds) return { organizationId: byIds.organizationId, row: byIds };
  // A subscription that is over and not linked (e.g. the old one of an organization the daily pass
  // already moved to the free plan) has nothing left to apply.
  if (sub.status === "canceled" || sub.status === "incomplete_expired") return null;
  // Not linked yet (customer.subscription.created may come before checkout.session.completed):
  // the customer we created, or the organization id our checkout put in the subscription's metadata.
  const byCustomer = await findSubscriptionByStripeIds(tx, { customerId: idOf(sub.customer) });
  const organizationId = byCustomer?.organizationId ?? sub.metadata?.organizationId ?? null;
  if (!organizationId || !(await organizationExists(tx, organizationId))) return null;
  const row = byCustomer ?? (await findSubscription(tx, organizationId));
  // An event about an older subscription after the organization moved to another one: not ours to apply.
  if (row?.stripeSubscriptionId && row.stripeSubscriptionId !== sub.id) return null;
  return { organizationId, row };
}

async function applySubscription(
  tx: DbTx,
  organizationId: string,
  row: SubscriptionRow | null,
  sub: Stripe.Subscription,
  eventAt: Date,
  log: Logger,
  options: { force: boolean },
) {
  const item = sub.items.data[0];
  const price = item?.price;
  const status = mapStripeStatus(sub.status);
  let plan = price ? await findPlanByStripePrice(tx, price.id) : null;
  if (!plan) {
    log.warn({ organizationId, priceId: price?.id }, "stripe subscription price matches no plan; the plan stays as it was");
    plan = row ? row.plan : await findPlan(tx, DEFAULT_PLAN_CODE);
  }
  if (!plan) throw new Error("The free plan is missing: run the migrations");

  const wasPastDue = row?.status === "PAST_DUE";
  const pastDueSince = status === "PAST_DUE" ? (wasPastDue && row?.pastDueSince ? row.pastDueSince : eventAt) : null;
  const lastAt = options.force && row?.lastStripeEventAt && row.lastStripeEventAt > eventAt ? row.lastStripeEventAt : eventAt;
  const data: SubscriptionWrite = {
    status,
    interval: price?.recurring?.interval === "year" ? "YEAR" : "MONTH",
    stripeCustomerId: idOf(sub.customer),
    stripeSubscriptionId: sub.id,
    currentPeriodEnd: fromUnix(item?.current_period_end),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    trialEndsAt: fromUnix(sub.trial_end),
    pastDueSince,
    graceUntil: pastDueSince ? new Date(pastDueSince.getTime() + PAST_DUE_GRACE_DAYS * DAY_MS) : null,
    lastStripeEventAt: lastAt,
    testMode: false,
  };
  await upsertSubscription(tx, organizationId, plan.id, data);

  const who = { organizationId, userId: null };
  if (row?.plan.code !== plan.code) {
    await audit(tx, who, "billing.planChanged", { type: "subscription", id: sub.id }, { from: row?.plan.code ?? null, to: plan.code, source: "stripe" });
  }
  if (row?.status !== status) {
    await audit(tx, who, "billing.statusChanged", { type: "subscription", id: sub.id }, { from: row?.status ?? null, to: status, source: "stripe" });
    if (status === "PAST_DUE") await notifyOwners(tx, organizationId, "billing.pastDue", { plan: plan.name, days: PAST_DUE_GRACE_DAYS });
    if (status === "CANCELED") await notifyOwners(tx, organizationId, "billing.canceled", { plan: plan.name });
  }
}

const INVOICE_STATUS_RANK: Record<string, number> = { draft: 0, open: 1, paid: 2, void: 2, uncollectible: 2 };

async function mirrorInvoice(tx: DbTx, organizationId: string, invoice: Stripe.Invoice) {
  const existing = await findStripeInvoiceStatus(tx, invoice.id!);
  // Another organization's invoice id (should never happen): leave it alone.
  if (existing && existing.organizationId !== organizationId) return;
  const status = invoice.status ?? "draft";
  // A late "finalized" after "paid" must not reopen the invoice.
  const keepStatus = existing && (INVOICE_STATUS_RANK[existing.status] ?? 0) > (INVOICE_STATUS_RANK[status] ?? 0);
  await upsertStripeInvoice(
    tx,
    organizationId,
    invoice.id!,
    {
      number: invoice.number ?? null,
      status: keepStatus ? existing.status : status,
      amountDueCents: invoice.amount_due,
      amountPaidCents: keepStatus && existing.status === "paid" ? invoice.amount_due : invoice.amount_paid,
      currency: invoice.currency.toUpperCase(),
      description: invoice.description ?? null,
      periodStart: fromUnix(invoice.period_start),
      periodEnd: fromUnix(invoice.period_end),
      hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      invoicePdfUrl: invoice.invoice_pdf ?? null,
    },
    new Date(invoice.created * 1000),
  );
}

