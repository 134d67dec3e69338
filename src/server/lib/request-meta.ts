import { randomUUID } from "node:crypto";

export const CORRELATION_HEADER = "x-correlation-id";
/** Set by src/proxy.ts from the URL (never trusted from the client: the proxy overwrites it). */
export const REQUEST_PATH_HEADER = "x-request-path";

/** Accept a caller's correlation id only if it looks like one; otherwise mint a new one. */
export function correlationIdFrom(headers: Headers): string {
  const given = headers.get(CORRELATION_HEADER);
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}

/**
 * The client's address for rate limiting and audit. Proxies append to X-Forwarded-For, so only
 * the entries added by our own proxies can be trusted: with TRUSTED_PROXY_HOPS=n (default 1: the
 * load balancer/CDN in front, or Next.js itself, which fills the header from the socket when it
 * is absent) the address is the n-th entry from the right. Entries a client prepends are ignored.
 */
export function clientIpFrom(headers: Headers, trustedHops: number): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const fromRight = chain[Math.max(0, chain.length - Math.max(1, trustedHops))];
  const ip = fromRight || headers.get("x-real-ip") || "unknown";
  // An IPv4 client seen through an IPv6 socket ("::ffff:203.0.113.7") is the IPv4 address: one
  // client, one rate-limit key, one readable address in the audit log.
  return ip.replace(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i, "$1");
}
