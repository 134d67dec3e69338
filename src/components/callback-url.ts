/**
 * Where to go after signing in or up. Only same-origin relative paths are accepted: anything else
 * (absolute URLs, protocol-relative `//host`, backslash tricks, `javascript:`) would turn the
 * sign-in page into an open redirect.
 */
export function safeCallbackUrl(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return fallback;
  // Must be a path: one leading slash, not `//` or `/\` (browsers read both as another host).
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  // Control characters and whitespace can be stripped by URL parsers into something unexpected.
  if (/[\u0000-\u001f\u007f\s\\]/.test(value)) return fallback;
  try {
    const base = "http://callback.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    // Back to the auth pages would loop; send people somewhere useful instead.
    if (url.pathname === "/sign-in" || url.pathname === "/sign-up") return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** `/sign-in?callbackUrl=…` (or sign-up), adding the parameter only when there is one to keep. */
export function authHref(page: "/sign-in" | "/sign-up", params: { callbackUrl?: string; email?: string } = {}): string {
  const search = new URLSearchParams();
  if (params.email) search.set("email", params.email);
  if (params.callbackUrl) search.set("callbackUrl", params.callbackUrl);
  const query = search.toString();
  return query ? `${page}?${query}` : page;
}
