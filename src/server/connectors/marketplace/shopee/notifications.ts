import { createHash } from "node:crypto";

import type { InboundWebhook, MarketplaceNotification } from "../types";
import { pushSignature, safeHexEqual } from "./signing";

/**
 * Shopee push codes (the `code` field of the body — not the push_api_id used in Shopee's doc URLs)
 * mapped to the topics the rest of the app understands. Product codes name what to re-fetch; Shopee
 * pushes say "something changed", never the new state, so the consumer re-reads the item.
 */
export const SHOPEE_PUSH_TOPICS: Record<number, string> = {
  1: "authorization", // shop_authorization_push
  2: "authorization_revoked", // shop_authorization_canceled_push
  3: "orders", // order_status_push
  4: "orders", // order_trackingno_push
  5: "shopee_updates", // shopee_updates
  6: "items", // banned_item_push (retired in favour of 16, still delivered to old apps)
  7: "promotions", // item_promotion_push
  8: "items_stock", // reserved_stock_change_push
  9: "promotions", // promotion_update_push
  12: "authorization_expiry", // open_api_authorization_expiry (7 days before)
  16: "items", // violation_item_push (banned / deboosted listing)
  22: "items_prices", // item_price_update_push
  27: "items", // item_scheduled_publish_failed_push
  28: "shop_penalty", // shop_penalty_update_push
};

/**
 * Checks the push `Authorization` header: lowercase hex HMAC-SHA256(partner_key, url + "|" + raw
 * body), no scheme prefix. `url` must be the callback URL exactly as registered with Shopee (the
 * public one, not the URL a proxy forwarded to us), and `rawBody` the bytes as received — parsing
 * and re-serialising JSON changes them and breaks the signature.
 */
export function verifyShopeePush(partnerKey: string, webhook: InboundWebhook): boolean {
  const received = webhook.headers.get("authorization");
  if (!received) return false;
  return safeHexEqual(pushSignature(partnerKey, webhook.url, webhook.rawBody), received);
}

type PushBody = {
  code?: unknown;
  shop_id?: unknown;
  shopid?: unknown;
  timestamp?: unknown;
  data?: unknown;
};

function asRecord(value: unknown): Record<string, unknown> | null {
  if (typeof value === "string") {
    try {
      return asRecord(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function idString(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(Math.trunc(value));
  if (typeof value === "string" && /^\d+$/.test(value)) return value;
  return null;
}

/**
 * One push per request. Shopee pushes carry no delivery id, so the id is a hash of the raw body:
 * Shopee's retries resend the same body, which makes the id a usable de-duplication key.
 * `shop_id` sits at the top level for shop pushes and inside `data` for authorization pushes, and
 * some samples spell it `shopid`: all are accepted.
 */
export function parseShopeePush(rawBody: string): MarketplaceNotification[] {
  let body: PushBody;
  try {
    body = JSON.parse(rawBody) as PushBody;
  } catch {
    return [];
  }
  if (!body || typeof body !== "object" || typeof body.code !== "number") return [];
  const data = asRecord(body.data) ?? {};
  const shopId = idString(body.shop_id) ?? idString(body.shopid) ?? idString(data.shop_id) ?? idString(data.shopid);
  if (!shopId) return [];
  const itemId = idString(data.item_id);
  const seconds = typeof body.timestamp === "number" ? body.timestamp : Number.NaN;
  const topic = SHOPEE_PUSH_TOPICS[body.code] ?? `shopee_push_${body.code}`;
  return [
    {
      id: createHash("sha256").update(rawBody, "utf8").digest("hex"),
      topic,
      externalAccountId: shopId,
      externalItemId: itemId,
      resource: itemId ? `/api/v2/product/get_item_base_info?item_id_list=${itemId}` : null,
      sentAt: Number.isFinite(seconds) ? new Date(seconds * 1000) : new Date(),
    },
  ];
}
