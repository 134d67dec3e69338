import { env } from "~/env";
import { sandboxGate } from "~/server/security/policy";
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";

/**
 * Mounts the Mercado Livre simulator at /api/sandbox/mercadolivre/*, serving the provider's own
 * paths (/authorization, /oauth/token, /users/me, /items, …). All logic lives in
 * src/server/connectors/sandbox/mercadolivre; this file only adapts Next's route handlers.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const BASE_PATH = "/api/sandbox/mercadolivre";

// Kept on globalThis so dev hot reloads keep the sandbox's state (edits, used codes, scrolls).
const holder = globalThis as typeof globalThis & { __mercadoLivreSandbox?: MercadoLivreSandbox };

function sandbox(): MercadoLivreSandbox {
  holder.__mercadoLivreSandbox ??= createMercadoLivreSandbox({
    basePath: BASE_PATH,
    catalogSize: env.SANDBOX_CATALOG_SIZE,
    rateLimitPerSecond: env.SANDBOX_RATE_LIMIT_PER_SECOND,
    // Signed with the app's secret so tokens survive restarts but cannot be forged from the repo.
    tokenSecret: `mercadolivre-sandbox:${env.AUTH_SECRET}`,
    notificationUrl: `${env.APP_URL.replace(/\/$/, "")}/api/v1/webhooks/mercadolivre`,
  });
  return holder.__mercadoLivreSandbox;
}

async function handleSandbox(request: Request): Promise<Response> {
  // With real credentials the app talks to Mercado Livre itself: the simulator is switched off.
  if (env.MERCADOLIVRE_CLIENT_ID) return Response.json({ message: "sandbox disabled", error: "not_found", status: 404, cause: [] }, { status: 404 });
  return sandbox().handler(request);
}

// Off in production unless ENABLE_SANDBOXES: a public double would let anyone mint "payments".
async function handle(...args: Parameters<typeof handleSandbox>): Promise<Response> {
  return sandboxGate() ?? handleSandbox(...args);
}

export { handle as GET, handle as POST, handle as PUT };
