import { appRouter } from "~/server/api/root";
import { auth } from "~/server/auth/config";
import { jsonError } from "~/server/lib/http";

import { MONACO_CDN, MONACO_PATH, PANEL_CSP, PANEL_PATH, panelEnabled, withoutEmptyRouters } from "./_lib/panel";

export const dynamic = "force-dynamic";

// The router does not change while the process runs: render the page once.
let html: Promise<string> | undefined;

async function renderPanel() {
  const { renderTrpcPanel } = await import("trpc-ui-zod4");
  const router = (withoutEmptyRouters(appRouter) ?? {}) as unknown as typeof appRouter;
  const page = renderTrpcPanel(router, {
    url: "/api/trpc",
    transformer: "superjson",
    logFailedProcedureParse: false,
    meta: {
      title: "Super Seller tRPC panel",
      description:
        "Every procedure of the app with its input schema. Calls run against this app as you (your session), with your role's permissions. REST API reference: /api/v1/docs.",
    },
  });
  return page.replace(MONACO_CDN, MONACO_PATH).replace("<title>tRPC.ui()</title>", "<title>Super Seller tRPC panel</title>");
}

export async function GET() {
  if (!panelEnabled()) return jsonError("NOT_FOUND", "No API route matches this path");
  const session = await auth();
  if (!session?.user) {
    // A relative Location: the browser resolves it against whatever host it used.
    return new Response(null, {
      status: 302,
      headers: { location: `/sign-in?callbackUrl=${encodeURIComponent(PANEL_PATH)}`, "cache-control": "no-store" },
    });
  }
  html ??= renderPanel().catch((error: unknown) => {
    html = undefined;
    throw error;
  });
  return new Response(await html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": PANEL_CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      "cache-control": "private, no-store",
    },
  });
}
