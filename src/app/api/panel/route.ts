import { env } from "~/env";
import { appRouter } from "~/server/api/root";
import { jsonError } from "~/server/lib/http";

export const dynamic = "force-dynamic";

// The tRPC panel lists every procedure with its input schema. Development only, or behind an
// explicit flag: in production it would be a map of the API for anyone who finds the URL.
export async function GET() {
  if (env.NODE_ENV !== "development" && !env.ENABLE_TRPC_PANEL) {
    return jsonError("NOT_FOUND", "No API route matches this path");
  }
  const { renderTrpcPanel } = await import("trpc-ui-zod4");
  const html = renderTrpcPanel(appRouter, {
    url: "/api/trpc",
    transformer: "superjson",
    meta: { title: "Super Seller API", description: "Procedures of the Super Seller app. Sign in at /sign-in first; calls run as you." },
  });
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
}
