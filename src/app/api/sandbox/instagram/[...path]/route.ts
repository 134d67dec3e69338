import { env } from "~/env";
import { sandboxGate } from "~/server/security/policy";
import { createInstagramSandbox, type InstagramSandbox } from "~/server/connectors/sandbox/instagram";

/**
 * Mounts the Instagram simulator at /api/sandbox/instagram/*, serving the three hosts' own paths
 * (/oauth/authorize, /oauth/access_token, /access_token, /refresh_access_token, /me, /{id}/media,
 * /{id}/media_publish, …). All logic lives in src/server/connectors/sandbox/instagram; this file
 * only adapts Next's route handlers.
 */
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const BASE_PATH = "/api/sandbox/instagram";

// Kept on globalThis so dev hot reloads keep the sandbox's state (containers, posts, comments).
const holder = globalThis as typeof globalThis & { __instagramSandbox?: InstagramSandbox };

function sandbox(): InstagramSandbox {
  holder.__instagramSandbox ??= createInstagramSandbox({
    basePath: BASE_PATH,
    // Signed with the app's secret so tokens survive restarts but cannot be forged from the repo.
    tokenSecret: `instagram-sandbox:${env.AUTH_SECRET}`,
    webhookUrl: `${env.APP_URL.replace(/\/$/, "")}/api/v1/webhooks/instagram`,
  });
  return holder.__instagramSandbox;
}

async function handleSandbox(request: Request): Promise<Response> {
  // With real credentials the app talks to Instagram itself: the simulator is switched off.
  if (env.INSTAGRAM_APP_ID) {
    return Response.json({ error: { message: "sandbox disabled", type: "OAuthException", code: 803 } }, { status: 404 });
  }
  return sandbox().handler(request);
}

// Off in production unless ENABLE_SANDBOXES: a public double would let anyone mint "payments".
async function handle(...args: Parameters<typeof handleSandbox>): Promise<Response> {
  return sandboxGate() ?? handleSandbox(...args);
}

export { handle as GET, handle as POST, handle as DELETE };
