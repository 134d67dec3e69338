import { randomUUID } from "node:crypto";

export const CORRELATION_HEADER = "x-correlation-id";

/** Accept a caller's correlation id only if it looks like one; otherwise mint a new one. */
export function correlationIdFrom(headers: Headers): string {
  const given = headers.get(CORRELATION_HEADER);
  return given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : randomUUID();
}

/** First hop of X-Forwarded-For (set by our own proxy/load balancer), else X-Real-IP. */
export function clientIpFrom(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}
