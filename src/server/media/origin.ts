/**
 * Uploads carry the session cookie, so a page on another site could post a file in the person's
 * name (CSRF): only requests whose Origin is the app's own are accepted. Browsers send Origin on
 * every POST, so a missing one is refused too.
 */
export function isSameOrigin(headers: Headers, appUrl: string): boolean {
  const origin = headers.get("origin");
  if (!origin || origin === "null") return false;
  try {
    return new URL(origin).origin === new URL(appUrl).origin;
  } catch {
    return false;
  }
}
