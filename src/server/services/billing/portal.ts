import { env } from "~/env";
import { getStripe, withStripeErrors } from "~/server/billing/stripe";
import { AppError } from "~/server/lib/errors";
import { findSubscription } from "~/server/repositories/billing";
import type { TenantCtx } from "../context";

/** A Stripe Billing Portal session (cards, invoices, cancellation) for the organization's customer. */
export async function openPortal(ctx: TenantCtx): Promise<{ url: string }> {
  const stripe = getStripe();
  if (!stripe) throw new AppError("PRECONDITION_FAILED", "stripeNotConfigured", "Billing runs in test mode: there is no payment portal");
  const row = await findSubscription(ctx.db, ctx.tenant.organizationId);
  if (!row?.stripeCustomerId) throw new AppError("PRECONDITION_FAILED", "noStripeCustomer", "This organization has no payment account yet: subscribe to a plan first");
  const customer = row.stripeCustomerId;
  const session = await withStripeErrors(() => stripe.billingPortal.sessions.create({ customer, return_url: `${env.APP_URL}/settings/billing` }));
  return { url: session.url };
}
