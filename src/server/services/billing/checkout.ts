/**
 * Changing plan.
 *
 * With Stripe (STRIPE_SECRET_KEY set):
 * - no live Stripe subscription → a Checkout Session (mode subscription) for the plan's price; the
 *   webhook applies the result when the customer pays;
 * - a live subscription → `subscriptions.update` to the new price (Stripe prorates); the webhook
 *   records it, and the row is updated at once too so the page shows it;
 * - the free plan → the subscription cancels at the end of the paid period.
 * Test mode (no key): the change applies locally at once, with a test invoice for the price.
 * A downgrade never deletes data: entitlements make the excess read-only.
 */
import { getStripe, Stripe, withStripeErrors } from "~/server/billing/stripe";
import { env } from "~/env";
import { DEFAULT_PLAN_CODE } from "~/server/billing/plans";
import { AppError } from "~/server/lib/errors";
import {
  createLocalInvoice,
  findSubscription,
  setPlanStripePrice,
  type SubscriptionRow,
  updateSubscription,
  upsertSubscription,
} from "~/server/repositories/billing";
import { findPlan, type planFields } from "~/server/repositories/entitlements";
import type { Prisma } from "~/generated/prisma/client";
import { audit } from "../audit";
import type { TenantCtx } from "../context";

type Interval = "MONTH" | "YEAR";
type PlanRow = Prisma.PlanGetPayload<{ select: typeof planFields }>;
export type CheckoutResult = { kind: "redirect"; url: string } | { kind: "applied"; planCode: string };

/** Statuses of a Stripe subscription that still bills (a plan change updates it, no new checkout). */
const LIVE = new Set(["ACTIVE", "TRIALING", "PAST_DUE"]);

function addPeriod(from: Date, interval: Interval) {
  const d = new Date(from);
  if (interval === "MONTH") d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d;
}

async function activePlan(ctx: TenantCtx, code: string) {
  const plan = await findPlan(ctx.db, code);
  if (!plan || !plan.active) throw new AppError("NOT_FOUND", "planNotFound", "Plan not found");
  return plan;
}

export async function startCheckout(ctx: TenantCtx, input: { planCode: string; interval: Interval }, now = new Date()): Promise<CheckoutResult> {
  const plan = await activePlan(ctx, input.planCode);
  const stripe = getStripe();
  if (!stripe) return applyLocally(ctx, plan, input.interval, now, { testMode: true });
  return withStripeErrors(() => stripeCheckout(ctx, stripe, plan, input, now));
}

async function stripeCheckout(ctx: TenantCtx, stripe: Stripe, plan: PlanRow, input: { planCode: string; interval: Interval }, now: Date): Promise<CheckoutResult> {

  const orgId = ctx.tenant.organizationId;
  const row = await findSubscription(ctx.db, orgId);
  const live = row?.stripeSubscriptionId && LIVE.has(row.status) ? row : null;

  if (plan.code === DEFAULT_PLAN_CODE || plan.priceMonthlyCents === 0) {
    if (!live) {
      // Nothing billed in Stripe: back to the free plan locally (e.g. leaving a test-mode plan).
      return applyLocally(ctx, plan, input.interval, now, { testMode: false });
    }
    await stripe.subscriptions.update(live.stripeSubscriptionId!, { cancel_at_period_end: true }, { idempotencyKey: `cancel-${live.stripeSubscriptionId}-${now.getTime()}` });
    await ctx.db.$transaction(async (tx) => {
      await updateSubscription(tx, orgId, { cancelAtPeriodEnd: true });
      await audit(tx, ctx.tenant, "billing.cancelRequested", { type: "subscription", id: live.stripeSubscriptionId! }, { plan: live.plan.code, until: live.currentPeriodEnd?.toISOString() ?? null });
    });
    return { kind: "applied", planCode: live.plan.code };
  }

  if (live) return withPrice(ctx, stripe, plan, input.interval, (priceId) => changeLivePlan(ctx, stripe, live, plan, priceId, input.interval, now));

  const customerId = await ensureCustomer(ctx, stripe, row);
  return withPrice(ctx, stripe, plan, input.interval, (priceId, attempt) => openCheckout(ctx, stripe, plan, input.interval, customerId, priceId, `${attempt}-${Math.floor(now.getTime() / 60_000)}`));
}

async function openCheckout(ctx: TenantCtx, stripe: Stripe, plan: PlanRow, interval: Interval, customerId: string, priceId: string, keySuffix: string): Promise<CheckoutResult> {
  const orgId = ctx.tenant.organizationId;
  const session = await stripe.checkout.sessions.create(
    {
      mode: "subscription",
      customer: customerId,
      client_reference_id: orgId,
      line_items: [{ price: priceId, quantity: 1 }],
      metadata: { organizationId: orgId, planCode: plan.code },
      // Lets subscription events find the organization even before checkout.session.completed.
      subscription_data: { metadata: { organizationId: orgId, planCode: plan.code } },
      success_url: `${env.APP_URL}/settings/billing?checkout=success`,
      cancel_url: `${env.APP_URL}/settings/billing?checkout=canceled`,
    },
    // One session per organization, plan and interval per minute: a double click reuses it.
    { idempotencyKey: `checkout-${orgId}-${plan.code}-${interval}-${keySuffix}` },
  );
  if (!session.url) throw new AppError("INTERNAL_SERVER_ERROR", "checkoutFailed", "Stripe returned no checkout URL");
  await audit(ctx.db, ctx.tenant, "billing.checkoutStarted", { type: "plan", id: plan.code }, { interval });
  return { kind: "redirect", url: session.url };
}

/**
 * Runs `run` with the plan's Stripe price. A stored price Stripe does not know (the ids came from
 * another Stripe account: test vs live keys, a reset sandbox) is replaced by a new one, once.
 */
async function withPrice<T>(ctx: TenantCtx, stripe: Stripe, plan: PlanRow, interval: Interval, run: (priceId: string, attempt: number) => Promise<T>): Promise<T> {
  const priceId = await ensureStripePrice(ctx, stripe, plan, interval);
  try {
    return await run(priceId, 0);
  } catch (error) {
    const missingPrice = error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "resource_missing" && (error.param ?? "").includes("price");
    if (!missingPrice) throw error;
    ctx.log.warn({ planCode: plan.code, interval, priceId }, "the plan's Stripe price is unknown to this Stripe account; creating a new one");
    const fresh = await ensureStripePrice(ctx, stripe, { ...plan, stripePriceMonthlyId: null, stripePriceYearlyId: null }, interval);
    return run(fresh, 1);
  }
}

/** The organization's Stripe customer, created once (its id is kept on the subscription row). */
async function ensureCustomer(ctx: TenantCtx, stripe: Stripe, row: SubscriptionRow | null): Promise<string> {
  if (row?.stripeCustomerId) return row.stripeCustomerId;
  const orgId = ctx.tenant.organizationId;
  const customer = await stripe.customers.create({ metadata: { organizationId: orgId } }, { idempotencyKey: `customer-${orgId}` });
  if (row) {
    await updateSubscription(ctx.db, orgId, { stripeCustomerId: customer.id });
  } else {
    // No subscription yet: a row on the free plan holds the customer id (the plan is unchanged).
    const free = await findPlan(ctx.db, DEFAULT_PLAN_CODE);
    if (!free) throw new Error("The free plan is missing: run the migrations");
    await upsertSubscription(ctx.db, orgId, free.id, { stripeCustomerId: customer.id, status: "ACTIVE" });
  }
  return customer.id;
}

/**
 * The plan's Stripe price for the interval. A plan without one (a new plan, or a fresh Stripe
 * account) gets its Product and Price created now and the ids stored on the plan.
 */
async function ensureStripePrice(ctx: TenantCtx, stripe: Stripe, plan: PlanRow, interval: Interval): Promise<string> {
  const existing = interval === "MONTH" ? plan.stripePriceMonthlyId : plan.stripePriceYearlyId;
  if (existing) return existing;
  const amount = interval === "MONTH" ? plan.priceMonthlyCents : plan.priceYearlyCents;
  const price = await stripe.prices.create(
    {
      currency: plan.currency.toLowerCase(),
      unit_amount: amount,
      recurring: { interval: interval === "MONTH" ? "month" : "year" },
      product_data: { name: `Super Seller ${plan.name}`, metadata: { planCode: plan.code } },
      metadata: { planCode: plan.code, interval },
    },
    { idempotencyKey: `price-${plan.id}-${interval}-${amount}` },
  );
  await setPlanStripePrice(ctx.db, plan.id, interval, price.id);
  return price.id;
}

async function changeLivePlan(ctx: TenantCtx, stripe: Stripe, live: SubscriptionRow, plan: PlanRow, priceId: string, interval: Interval, now: Date): Promise<CheckoutResult> {
  const orgId = ctx.tenant.organizationId;
  const current = await stripe.subscriptions.retrieve(live.stripeSubscriptionId!);
  const item = current.items.data[0];
  if (!item) throw new AppError("INTERNAL_SERVER_ERROR", "checkoutFailed", "The Stripe subscription has no item");
  const updated = await stripe.subscriptions.update(
    current.id,
    {
      items: [{ id: item.id, price: priceId }],
      proration_behavior: "create_prorations",
      // Changing plan also withdraws a pending cancellation.
      cancel_at_period_end: false,
      metadata: { organizationId: orgId, planCode: plan.code },
    },
    { idempotencyKey: `plan-${current.id}-${priceId}-${now.getTime()}` },
  );
  await ctx.db.$transaction(async (tx) => {
    // The webhook confirms it; updating now lets the page show the new plan at once.
    await upsertSubscription(tx, orgId, plan.id, {
      interval,
      cancelAtPeriodEnd: false,
      currentPeriodEnd: updated.items.data[0] ? new Date(updated.items.data[0].current_period_end * 1000) : live.currentPeriodEnd,
    });
    await audit(tx, ctx.tenant, "billing.planChanged", { type: "subscription", id: current.id }, { from: live.plan.code, to: plan.code, interval, source: "stripe" });
  });
  return { kind: "applied", planCode: plan.code };
}

/**
 * Test mode: no payment provider, the plan applies at once. A paid plan gets a period and a paid
 * invoice labelled test; the free plan takes the organization back to gratis (also used with
 * Stripe when nothing is billed there).
 */
async function applyLocally(ctx: TenantCtx, plan: PlanRow, interval: Interval, now: Date, mode: { testMode: boolean }): Promise<CheckoutResult> {
  const orgId = ctx.tenant.organizationId;
  const free = plan.code === DEFAULT_PLAN_CODE || plan.priceMonthlyCents === 0;
  await ctx.db.$transaction(async (tx) => {
    const before = await findSubscription(tx, orgId);
    const periodEnd = free ? null : addPeriod(now, interval);
    await upsertSubscription(tx, orgId, plan.id, {
      status: "ACTIVE",
      interval,
      currentPeriodEnd: periodEnd,
      cancelAtPeriodEnd: false,
      graceUntil: null,
      pastDueSince: null,
      trialEndsAt: null,
      stripeSubscriptionId: null,
      testMode: mode.testMode,
    });
    if (!free && mode.testMode) {
      const amount = interval === "MONTH" ? plan.priceMonthlyCents : plan.priceYearlyCents;
      await createLocalInvoice(tx, orgId, {
        number: null,
        status: "paid",
        amountDueCents: amount,
        amountPaidCents: amount,
        currency: plan.currency,
        description: `${plan.name} (${interval === "MONTH" ? "monthly" : "yearly"}) — test mode`,
        periodStart: now,
        periodEnd,
        hostedInvoiceUrl: null,
        invoicePdfUrl: null,
        testMode: true,
      });
    }
    await audit(tx, ctx.tenant, "billing.planChanged", { type: "plan", id: plan.code }, { from: before?.plan.code ?? DEFAULT_PLAN_CODE, to: plan.code, interval, source: mode.testMode ? "testMode" : "local" });
  });
  return { kind: "applied", planCode: plan.code };
}
