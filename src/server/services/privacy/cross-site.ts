/**
 * Whether a cookie-authenticated browser request came from another site: a foreign Origin, or the
 * browser's own Sec-Fetch-Site saying so (it also covers browsers that send no Origin on a form
 * POST). "same-site" is refused too: a sibling subdomain is not our page. Used by the connect
 * start, a plain route handler outside the REST dispatcher (which has its own origin check).
 */
export function isCrossSiteRequest(headers: Headers, requestOrigin: string, appUrl: string): boolean {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return true;
  const origin = headers.get("origin");
  return !!origin && origin !== new URL(appUrl).origin && origin !== requestOrigin;
}
