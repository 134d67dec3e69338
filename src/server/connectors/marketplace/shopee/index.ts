import { env } from "~/env";

import { SHOPEE_SANDBOX_MOUNT, SHOPEE_SANDBOX_PARTNER_ID, SHOPEE_SANDBOX_PARTNER_KEY } from "../../sandbox/shopee/constants";
import type { MarketplaceConnector } from "../types";
import { createShopeeConnector } from "./client";

export { createShopeeConnector, SHOPEE_BATCH_SIZE, SHOPEE_PAGE_SIZE, SHOPEE_STATUS_MAP } from "./client";
export type { ShopeeConnectorConfig } from "./client";
export { parseShopeePush, SHOPEE_PUSH_TOPICS, verifyShopeePush } from "./notifications";

export const SHOPEE_LIVE_API_URL = "https://partner.shopeemobile.com";

/**
 * The connector the app uses. With SHOPEE_PARTNER_ID and SHOPEE_PARTNER_KEY it talks to Shopee
 * (SHOPEE_API_URL or partner.shopeemobile.com); without them, to the built-in sandbox with its
 * public partner id and key — the same client code either way.
 */
export function createShopeeConnectorFromEnv(overrides: { fetch?: typeof fetch; timeoutMs?: number } = {}): MarketplaceConnector {
  const live = env.SHOPEE_PARTNER_ID !== undefined && env.SHOPEE_PARTNER_KEY !== undefined;
  const sandboxUrl = `${env.APP_URL.replace(/\/$/, "")}${SHOPEE_SANDBOX_MOUNT}`;
  return createShopeeConnector({
    apiUrl: env.SHOPEE_API_URL ?? (live ? SHOPEE_LIVE_API_URL : sandboxUrl),
    partnerId: live ? env.SHOPEE_PARTNER_ID! : SHOPEE_SANDBOX_PARTNER_ID,
    partnerKey: live ? env.SHOPEE_PARTNER_KEY! : SHOPEE_SANDBOX_PARTNER_KEY,
    isSandbox: !live,
    ...overrides,
  });
}
