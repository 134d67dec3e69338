/**
 * Where a webhook may be sent. Only http(s) URLs; in production (the caller passes `production`)
 * never to loopback, private, link-local or otherwise internal addresses (SSRF): the URL's host
 * is checked as written and, when it is a name, every address it resolves to. Pure apart from the
 * resolver the caller passes, so it is unit-tested with any NODE_ENV.
 */
import { isIP } from "node:net";

export type UrlRefusal = "invalidUrl" | "unsupportedScheme" | "httpsRequired" | "privateAddress";

function v4Parts(ip: string): number[] | null {
  const parts = ip.split(".").map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null;
}

function privateV4([a, b]: number[]): boolean {
  if (a === undefined || b === undefined) return true;
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local (cloud metadata)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments, TEST-NET-1 (192.0.2/24)
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast, reserved, broadcast
  );
}

/** Expands an IPv6 address to its 8 groups (numbers), or null. */
function v6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const v4 = v4Parts(tail);
    if (!v4) return null;
    text = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const rest = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest].map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  return groups.every((g) => !Number.isNaN(g)) ? groups : null;
}

/** True for any address a production server must not call on a customer's behalf. */
export function isPrivateAddress(ip: string): boolean {
  const version = isIP(ip);
  if (version === 4) return privateV4(v4Parts(ip)!);
  if (version !== 6) return true; // not an address: refuse rather than guess
  const g = v6Groups(ip);
  if (!g) return true;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  if (g.slice(0, 7).every((x) => x === 0) && (g7 === 0 || g7 === 1)) return true; // :: and ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible and NAT64 (64:ff9b::/96): judge the IPv4 inside.
  const embedded = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && (g5 === 0xffff || g5 === 0)) return privateV4(embedded);
  if (g0 === 0x64 && g1 === 0xff9b) return privateV4(embedded);
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  return false;
}

/** The URL's host as an address when it is one (brackets of IPv6 literals removed). */
function literalHost(url: URL): string | null {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return isIP(host) ? host : null;
}

/** The static checks (no DNS): scheme, and in production the literal host. */
export function checkWebhookUrl(raw: string, opts: { production: boolean }): UrlRefusal | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "invalidUrl";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "unsupportedScheme";
  if (url.username || url.password) return "invalidUrl";
  if (!opts.production) return null;
  if (url.protocol !== "https:") return "httpsRequired";
  const host = url.hostname.toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".internal") || host.endsWith(".local")) return "privateAddress";
  const literal = literalHost(url);
  if (literal && isPrivateAddress(literal)) return "privateAddress";
  return null;
}

export type Resolver = (host: string) => Promise<string[]>;

/** Right before sending: the static checks plus, in production, every resolved address. */
export async function checkWebhookTarget(raw: string, opts: { production: boolean; resolve: Resolver }): Promise<UrlRefusal | null> {
  const refusal = checkWebhookUrl(raw, opts);
  if (refusal || !opts.production) return refusal;
  const url = new URL(raw);
  if (literalHost(url)) return null;
  let addresses: string[];
  try {
    addresses = await opts.resolve(url.hostname);
  } catch {
    return null; // unresolvable: the send itself fails with a clear error and is retried
  }
  return addresses.some(isPrivateAddress) ? "privateAddress" : null;
}
