/**
 * Webhook signatures (pure; docs/webhooks.md shows receivers how to check them):
 *   x-superseller-signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${rawBody}`)>
 * The key is the whole secret string `whsec_…` as UTF-8 bytes.
 */
import { createHmac } from "node:crypto";

import { randomToken } from "~/server/lib/crypto";

export const SECRET_PREFIX = "whsec_";

export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomToken(32)}`;
}

/** What lists show of a secret: its prefix and first characters. */
export function secretHintOf(secret: string): string {
  return `${secret.slice(0, SECRET_PREFIX.length + 4)}…`;
}

export function signPayload(secret: string, timestamp: number, rawBody: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}
