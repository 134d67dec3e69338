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
});
