import { env } from "~/env";
import { sandboxGate } from "~/server/security/policy";
import { createShopeeSandbox, type ShopeeSandbox } from "~/server/connectors/sandbox/shopee";

/**
 * Mounts the Shopee Open Platform v2 simulator at /api/sandbox/shopee/*, serving Shopee's own
 * paths (/api/v2/shop/auth_partner, /api/v2/auth/token/get, /api/v2/product/…) plus /_sandbox/…
 * controls. All logic lives in src/server/connectors/sandbox/shopee; this file only adapts Next's
 * route handlers.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

// Kept on globalThis so dev hot reloads keep the sandbox's state (edits, used codes, rotations).
const holder = globalThis as typeof globalThis & { __shopeeSandbox?: ShopeeSandbox };

function sandbox(): ShopeeSandbox {
  holder.__shopeeSandbox ??= createShopeeSandbox({
    catalogSize: env.SANDBOX_CATALOG_SIZE,
    rateLimitPerSecond: env.SANDBOX_RATE_LIMIT_PER_SECOND,
    // Signed with the app's secret so tokens survive restarts but cannot be forged from the repo.
    tokenSecret: `shopee-sandbox:${env.AUTH_SECRET}`,
    pushUrl: `${env.APP_URL.replace(/\/$/, "")}/api/v1/webhooks/shopee`,
    publicUrl: `${env.APP_URL.replace(/\/$/, "")}/api/sandbox/shopee`,
  });
  return holder.__shopeeSandbox;
}

async function handleSandbox(request: Request): Promise<Response> {
  // With real credentials the app talks to Shopee itself: the simulator is switched off.
  if (env.SHOPEE_PARTNER_ID) {
    return Response.json({ request_id: "", error: "error_not_found", message: "sandbox disabled" }, { status: 404 });
  }
  return sandbox().handler(request);
}

// Off in production unless ENABLE_SANDBOXES: a public double would let anyone mint "payments".
async function handle(...args: Parameters<typeof handleSandbox>): Promise<Response> {
  return sandboxGate() ?? handleSandbox(...args);
}

export { handle as DELETE, handle as GET, handle as POST };
