import { env } from "~/env";
import { sandboxGate } from "~/server/security/policy";
import { createYouTubeSandbox, type YouTubeSandbox } from "~/server/connectors/sandbox/youtube";

/**
 * Mounts the Google/YouTube simulator at /api/sandbox/youtube/*, serving each Google host's own
 * paths (/o/oauth2/v2/auth, /token, /youtube/v3/…, /upload/youtube/v3/videos, /v2/reports). All
 * logic lives in src/server/connectors/sandbox/youtube; this file only adapts Next's route handlers.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const BASE_PATH = "/api/sandbox/youtube";

// Kept on globalThis so dev hot reloads keep the sandbox's state (uploads, quota, comments).
const holder = globalThis as typeof globalThis & { __youtubeSandbox?: YouTubeSandbox };

function sandbox(): YouTubeSandbox {
  holder.__youtubeSandbox ??= createYouTubeSandbox({
    basePath: BASE_PATH,
    publicUrl: env.APP_URL,
    // Signed with the app's secret so tokens survive restarts but cannot be forged from the repo.
    tokenSecret: `youtube-sandbox:${env.AUTH_SECRET}`,
  });
  return holder.__youtubeSandbox;
}

async function handleSandbox(request: Request): Promise<Response> {
  // With real credentials the app talks to Google itself: the simulator is switched off.
  if (env.GOOGLE_CLIENT_ID) {
    return Response.json({ error: { code: 404, message: "sandbox disabled", errors: [{ reason: "notFound", domain: "global", message: "sandbox disabled" }], status: "NOT_FOUND" } }, { status: 404 });
  }
  return sandbox().handler(request);
}

// Off in production unless ENABLE_SANDBOXES: a public double would let anyone mint "payments".
async function handle(...args: Parameters<typeof handleSandbox>): Promise<Response> {
  return sandboxGate() ?? handleSandbox(...args);
}

export { handle as GET, handle as POST, handle as PUT };
