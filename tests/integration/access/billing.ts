import { afterAll } from "vitest";

import { getStripe, setStripeConfig } from "~/server/billing/stripe";
import { createStripeSandbox, STRIPE_SANDBOX_SECRET_KEY, STRIPE_SANDBOX_WEBHOOK_SECRET } from "~/server/connectors/sandbox/stripe";
import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";
import type { Fx, Rule } from "../access.test";
import { db } from "../helpers/fixtures";

// Billing runs against the local Stripe double here, so checkout and portal answer (test mode
// would refuse the portal). Started on first use, closed with the file.
let served: ServedFetch | null = null;
afterAll(async () => {
  setStripeConfig(undefined);
  await served?.close();
});

async function startStripeDouble() {
  if (!served) {
    served = await serveFetch(createStripeSandbox().handler);
    setStripeConfig({ secretKey: STRIPE_SANDBOX_SECRET_KEY, webhookSecret: STRIPE_SANDBOX_WEBHOOK_SECRET, apiUrl: served.url });
  }
  return getStripe()!;
}

/** Organization A gets a Stripe customer (what its first checkout would leave behind). */
async function withStripeCustomer(fx: Fx) {
  const stripe = await startStripeDouble();
  const customer = await stripe.customers.create({ metadata: { organizationId: fx.a.organizationId } });
  const free = await db.plan.findUniqueOrThrow({ where: { code: "gratis" } });
  await db.subscription.upsert({
    where: { organizationId: fx.a.organizationId },
    create: { organizationId: fx.a.organizationId, planId: free.id, stripeCustomerId: customer.id },
    update: { stripeCustomerId: customer.id },
  });
}

/** Access rows of the billing procedures (see access.test.ts for what each row checks). */
export const billingAccess: Record<string, Rule> = {
  "billing.current": { access: "tenant", permission: "billing:read", minRole: "MANAGER", input: () => undefined },
  "billing.plans": { access: "tenant", permission: "billing:read", minRole: "MANAGER", input: () => undefined },
  "billing.checkout": {
    access: "tenant",
    permission: "billing:manage",
    minRole: "OWNER",
    input: () => ({ planCode: "pro", interval: "MONTH" }),
    setup: async () => {
      await startStripeDouble();
    },
  },
  "billing.portal": { access: "tenant", permission: "billing:manage", minRole: "OWNER", input: () => undefined, setup: withStripeCustomer },
  "billing.invoices": { access: "tenant", permission: "billing:read", minRole: "MANAGER", input: () => ({ limit: 12 }) },
  "billing.aiUsage": { access: "tenant", permission: "billing:read", minRole: "MANAGER", input: () => ({ month: "2026-11" }) },
};
