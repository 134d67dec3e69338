/**
 * The Stripe double answers the official SDK over real HTTP the way Stripe does: errors become the
 * SDK's typed errors, idempotency keys replay, nested params arrive intact.
 */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createStripeSandbox, STRIPE_SANDBOX_SECRET_KEY } from "~/server/connectors/sandbox/stripe";
import { serveFetch, type ServedFetch } from "../../helpers/serve-fetch";

let served: ServedFetch;
const client = (key = STRIPE_SANDBOX_SECRET_KEY) => {
  const url = new URL(served.url);
  return new Stripe(key, { host: url.hostname, port: Number(url.port), protocol: "http", maxNetworkRetries: 0, telemetry: false });
};

beforeAll(async () => {
  served = await serveFetch(createStripeSandbox().handler);
});
afterAll(() => served.close());

describe("Stripe double", () => {
  it("a wrong key is a StripeAuthenticationError; an unknown id a StripeInvalidRequestError (resource_missing)", async () => {
    await expect(client("sk_test_wrong_key_123456").customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const error = await client().subscriptions.retrieve("sub_nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing" });
  });

  it("replays an idempotent create and refuses the key with other parameters", async () => {
    const stripe = client();
    const a = await stripe.customers.create({ metadata: { organizationId: "org_1" } }, { idempotencyKey: "k-1" });
    const b = await stripe.customers.create({ metadata: { organizationId: "org_1" } }, { idempotencyKey: "k-1" });
    expect(b.id).toBe(a.id);
    await expect(stripe.customers.create({ metadata: { organizationId: "org_2" } }, { idempotencyKey: "k-1" })).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it("creates a price with product_data and a subscription Checkout Session carrying nested metadata", async () => {
    const stripe = client();
    const price = await stripe.prices.create({ currency: "brl", unit_amount: 14_900, recurring: { interval: "month" }, product_data: { name: "Pro" } });
    expect(price).toMatchObject({ unit_amount: 14_900, currency: "brl", recurring: { interval: "month" } });
    const customer = await stripe.customers.create({});
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      client_reference_id: "org_1",
      line_items: [{ price: price.id, quantity: 1 }],
      metadata: { organizationId: "org_1" },
      subscription_data: { metadata: { organizationId: "org_1" } },
      success_url: "http://app.test/ok",
    });
    expect(session.url).toMatch(new RegExp(`^${served.url}/pay/cs_test_`));
    const again = await stripe.checkout.sessions.retrieve(session.id);
    expect(again).toMatchObject({ client_reference_id: "org_1", metadata: { organizationId: "org_1" }, status: "open" });
    await expect(stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: "price_nope", quantity: 1 }], success_url: "http://app.test/ok" })).rejects.toMatchObject({
      param: "line_items[0][price]",
    });
  });

  it("the hosted Checkout page completes the session on Pay and returns to success_url", async () => {
    const stripe = client();
    const price = await stripe.prices.create({ currency: "brl", unit_amount: 49_900, recurring: { interval: "year" }, product_data: { name: "Agência" } });
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://app.test/settings/billing?checkout=success",
    });
    const page = await fetch(session.url!);
    expect(await page.text()).toContain("BRL 499.00 / year");
    const paid = await fetch(session.url!, { method: "POST", redirect: "manual" });
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe("http://app.test/settings/billing?checkout=success");
    const done = await stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe("complete");
    const sub = await stripe.subscriptions.retrieve(done.subscription as string);
    expect(sub).toMatchObject({ status: "active", customer: done.customer });
    expect(sub.items.data[0]!.current_period_end - sub.items.data[0]!.current_period_start).toBeGreaterThanOrEqual(365 * 86_400);
    const invoices = await stripe.invoices.list({ customer: done.customer as string });
    expect(invoices.data.map((i) => [i.status, i.amount_paid, i.parent?.subscription_details?.subscription])).toEqual([["paid", 49_900, sub.id]]);
  });
});
