import { appRouter } from "~/server/api/root";

import { MONACO_CDN, MONACO_PATH } from "./panel";

const NOT_CHILDREN = new Set(["_def", "createCaller", "getErrorShape"]);

function isProcedure(node: unknown): boolean {
  return typeof node === "function" && "_def" in node && (node._def as { procedure?: unknown }).procedure === true;
}

/**
 * The router tree without routers that have no procedure: the panel's sidebar reduces each router's
 * children without an initial value, so a single empty router (a feature with nothing registered
 * yet) blanks the whole page. The panel accepts plain objects as routers.
 */
export function withoutEmptyRouters(router: object): Record<string, unknown> | null {
  const children: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(router)) {
    if (NOT_CHILDREN.has(key)) continue;
    if (isProcedure(child)) children[key] = child;
    else if (child && typeof child === "object") {
      const pruned = withoutEmptyRouters(child);
      if (pruned) children[key] = pruned;
    }
  }
  return Object.keys(children).length > 0 ? children : null;
}

// The router does not change while the process runs: render the page once.
let html: Promise<string> | undefined;

async function renderPanel() {
  const { renderTrpcPanel } = await import("trpc-ui-zod4");
  const router = (withoutEmptyRouters(appRouter) ?? {}) as unknown as typeof appRouter;
  const page = renderTrpcPanel(router, {
    url: "/api/trpc",
    transformer: "superjson",
    // A procedure whose input the panel cannot parse is left out; say so in the server log.
    logFailedProcedureParse: true,
    meta: {
      title: "Super Seller tRPC panel",
      description:
        "Every procedure of the app with its input schema. Calls run against this app as you (your session), with your role's permissions. REST API reference: /api/v1/docs.",
    },
  });
  return page.replace(MONACO_CDN, MONACO_PATH).replace("<title>tRPC.ui()</title>", "<title>Super Seller tRPC panel</title>");
}

/** The panel's HTML (rendered once per process; a failed render is retried on the next call). */
export function renderPanelPage(): Promise<string> {
  html ??= renderPanel().catch((error: unknown) => {
    html = undefined;
    throw error;
  });
  return html;
}
