/**
 * The Stripe client. Billing is "configured" when STRIPE_SECRET_KEY is set; without it billing runs
 * in test mode (plan changes apply locally). STRIPE_API_URL points the SDK at another host (the
 * local double in tests). Keys are never logged.
 */
import Stripe from "stripe";

import { env } from "~/env";
import { AppError } from "~/server/lib/errors";

/** The API version this code is written against (the SDK's own; FACTS.md). */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

export type StripeConfig = { secretKey: string; webhookSecret?: string; apiUrl: string };

let override: StripeConfig | null | undefined;
let cached: { key: string; client: Stripe } | null = null;

function config(): StripeConfig | null {
  if (override !== undefined) return override;
  if (!env.STRIPE_SECRET_KEY) return null;
  return { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET, apiUrl: env.STRIPE_API_URL };
}

/**
 * Replaces the env configuration (tests point it at the double; null = test mode); `undefined`
 * goes back to env.
 */
export function setStripeConfig(next: StripeConfig | null | undefined) {
  override = next;
  cached = null;
}

export function isStripeConfigured(): boolean {
  return config() !== null;
}

export function stripeWebhookSecret(): string | null {
  return config()?.webhookSecret ?? null;
}

/** A client for the configured account; null in test mode. */
export function getStripe(): Stripe | null {
  const c = config();
  if (!c) return null;
  const key = `${c.apiUrl}\n${c.secretKey}`;
  if (cached?.key === key) return cached.client;
  const url = new URL(c.apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  const client = new Stripe(c.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    host: url.hostname,
    port: url.port ? Number(url.port) : protocol === "http" ? 80 : 443,
    protocol,
    telemetry: false,
    // Stripe's SDK retries with the same idempotency key; two retries ride out a blip.
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "super-seller" },
  });
  cached = { key, client };
  return client;
}

/** Verifies a webhook's signature and parses it (throws on a bad signature or a stale timestamp). */
export function constructStripeEvent(rawBody: string, signature: string, secret: string): Stripe.Event {
  // Verification needs no network: any client instance (or none configured) will do.
  return Stripe.webhooks.constructEvent(rawBody, signature, secret);
}

export { Stripe };

/**
 * Runs Stripe calls for a user action: Stripe being unreachable, rate-limiting or failing becomes
 * `stripeUnavailable` (retry later) instead of an opaque error; other errors pass through.
 */
export async function withStripeErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError) {
      throw new AppError("INTERNAL_SERVER_ERROR", "stripeUnavailable", "The payment service did not answer; try again in a few minutes");
    }
    throw error;
  }
}
