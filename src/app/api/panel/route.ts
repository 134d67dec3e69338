import { auth } from "~/server/auth/config";
import { jsonError } from "~/server/lib/http";

import { PANEL_CSP, PANEL_PATH, panelEnabled } from "./_lib/panel";
import { renderPanelPage } from "./_lib/render";

export const dynamic = "force-dynamic";

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
  return new Response(await renderPanelPage(), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": PANEL_CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      "cache-control": "private, no-store",
    },
  });
}
