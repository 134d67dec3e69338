import { env } from "~/env";
import { sandboxGate } from "~/server/security/policy";
import { createStripeSandbox, STRIPE_SANDBOX_SECRET_KEY, STRIPE_SANDBOX_WEBHOOK_SECRET, type StripeSandbox } from "~/server/connectors/sandbox/stripe";

/**
 * Mounts the Stripe double at /api/sandbox/stripe/* so the whole Stripe flow (Checkout page, signed
 * webhooks, portal) can be tried locally: STRIPE_SECRET_KEY=sk_test_sandbox_super_seller,
 * STRIPE_WEBHOOK_SECRET=whsec_sandbox_super_seller, STRIPE_API_URL=${APP_URL}/api/sandbox/stripe
 * (docs/billing.md). All logic lives in src/server/connectors/sandbox/stripe.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const BASE_PATH = "/api/sandbox/stripe";

// Kept on globalThis so dev hot reloads keep the double's state (customers, subscriptions, events).
const holder = globalThis as typeof globalThis & { __stripeSandbox?: StripeSandbox };

function sandbox(): StripeSandbox {
  holder.__stripeSandbox ??= createStripeSandbox({
    basePath: BASE_PATH,
    webhook: { url: `${env.APP_URL.replace(/\/$/, "")}/api/v1/webhooks/stripe`, secret: env.STRIPE_WEBHOOK_SECRET ?? STRIPE_SANDBOX_WEBHOOK_SECRET },
  });
  return holder.__stripeSandbox;
}

async function handleSandbox(request: Request): Promise<Response> {
  // With a real Stripe key the app talks to Stripe itself: the double is switched off.
  if (env.STRIPE_SECRET_KEY && env.STRIPE_SECRET_KEY !== STRIPE_SANDBOX_SECRET_KEY) {
    return Response.json({ error: { type: "invalid_request_error", message: "sandbox disabled" } }, { status: 404 });
  }
  return sandbox().handler(request);
}

// Off in production unless ENABLE_SANDBOXES: a public double would let anyone mint "payments".
async function handle(...args: Parameters<typeof handleSandbox>): Promise<Response> {
  return sandboxGate() ?? handleSandbox(...args);
}

export { handle as GET, handle as POST, handle as DELETE };
