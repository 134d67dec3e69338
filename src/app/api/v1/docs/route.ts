import { DOCS_CSP, renderDocsPage } from "./_lib/reference";

// Public on purpose: the reference documents the API, it holds no data. Calls made from it
// ("Try it out") authenticate like any other client, with the API key the reader enters.
export const dynamic = "force-dynamic";

export async function GET() {
  return new Response(await renderDocsPage(), {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": DOCS_CSP,
      "x-content-type-options": "nosniff",
      "referrer-policy": "same-origin",
      // The page names the asset versions; it is cheap to render, so always fresh.
      "cache-control": "no-cache",
    },
  });
}
