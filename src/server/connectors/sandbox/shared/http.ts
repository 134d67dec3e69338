// Small HTTP pieces every sandbox answers with in the same way (its provider-specific error bodies
// stay in its own sandbox.ts).

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The path below the sandbox's mount point, without trailing slashes ("/" at the root). */
export function routePath(pathname: string, basePath: string): string {
  const path = basePath && pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  return path.replace(/\/+$/, "") || "/";
}

/** A refused authorization request: providers answer it with a bare error page, not a redirect. */
export function badRequestText(message: string): Response {
  return new Response(message, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** A consent page: never cached, since it carries the request's state. */
export function htmlNoStore(html: string): Response {
  return new Response(html, { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

/** The consent's answer back to the app's redirect_uri (code or error in the URL). */
export function redirectNoStore(location: string): Response {
  return new Response(null, { status: 302, headers: { location, "cache-control": "no-store" } });
}
