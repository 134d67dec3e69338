import { env } from "~/env";
import { sandboxGate } from "~/server/security/policy";
import { createTikTokSandbox, type TikTokSandbox } from "~/server/connectors/sandbox/tiktok";

/**
 * Mounts the TikTok simulator at /api/sandbox/tiktok/*, serving TikTok's own paths for every host it
 * has (consent page, open API, upload host, Business API). All logic lives in
 * src/server/connectors/sandbox/tiktok; this file only adapts Next's route handlers.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const BASE_PATH = "/api/sandbox/tiktok";

// Kept on globalThis so dev hot reloads keep the sandbox's state (uploads, posts, used codes).
const holder = globalThis as typeof globalThis & { __tiktokSandbox?: TikTokSandbox };

function sandbox(): TikTokSandbox {
  const appUrl = env.APP_URL.replace(/\/+$/, "");
  holder.__tiktokSandbox ??= createTikTokSandbox({
    basePath: BASE_PATH,
    publicUrl: `${appUrl}${BASE_PATH}`,
    // Signed with the app's secret so tokens survive restarts but cannot be forged from the repo.
    tokenSecret: `tiktok-sandbox:${env.AUTH_SECRET}`,
    // The app's own host serves the signed media URLs: treat it as a verified domain.
    verifiedDomains: ["localhost", "127.0.0.1", new URL(appUrl).hostname],
  });
  return holder.__tiktokSandbox;
}

async function handleSandbox(request: Request): Promise<Response> {
  // With real credentials the app talks to TikTok itself: the simulator is switched off.
  if (env.TIKTOK_CLIENT_KEY) {
    return Response.json({ data: {}, error: { code: "not_found", message: "sandbox disabled", log_id: "" } }, { status: 404 });
  }
  return sandbox().handler(request);
}

// Off in production unless ENABLE_SANDBOXES: a public double would let anyone mint "payments".
async function handle(...args: Parameters<typeof handleSandbox>): Promise<Response> {
  return sandboxGate() ?? handleSandbox(...args);
}

export { handle as GET, handle as POST, handle as PUT };
