import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopee Open Platform v2 request signing. The base string is the plain concatenation (no
 * separators) of partner_id, the API path (without host or query, e.g. "/api/v2/shop/get_shop_info")
 * and the Unix timestamp in seconds — followed, for shop-level calls, by access_token and shop_id.
 * The sign is the lowercase hex HMAC-SHA256 of that string keyed with the partner key. It covers no
 * parameters and no body: it authenticates the partner and bounds replay by the 5-minute timestamp.
 */
export function hmacSha256Hex(key: string, message: string): string {
  return createHmac("sha256", key).update(message, "utf8").digest("hex");
}

export function publicSign(partnerKey: string, partnerId: number, apiPath: string, timestamp: number): string {
  return hmacSha256Hex(partnerKey, `${partnerId}${apiPath}${timestamp}`);
}

export function shopSign(
  partnerKey: string,
  partnerId: number,
  apiPath: string,
  timestamp: number,
  accessToken: string,
  shopId: number | string,
): string {
  return hmacSha256Hex(partnerKey, `${partnerId}${apiPath}${timestamp}${accessToken}${shopId}`);
}

/** Push signature: HMAC-SHA256(partner_key, callback URL + "|" + raw body), lowercase hex, bare. */
export function pushSignature(partnerKey: string, url: string, rawBody: string): string {
  return hmacSha256Hex(partnerKey, `${url}|${rawBody}`);
}

/** Constant-time comparison of two hex digests (length mismatch is simply false). */
export function safeHexEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received.trim().toLowerCase(), "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
