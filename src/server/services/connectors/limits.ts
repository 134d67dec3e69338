import type { MarketplaceProvider } from "~/server/connectors/marketplace/types";
import type { SocialProvider } from "~/server/connectors/social/types";
import type { TenantCtx } from "../context";

/**
 * The one place a new marketplace account is admitted, called before the provider is contacted
 * (connect) and again before a new connection row is created (callback). Reconnecting an account
 * the organization already has is never limited. Plans and their `marketplaceAccounts` limit are
 * enforced here by the billing feature; until then every organization may connect accounts.
 */
export async function assertMarketplaceAccountAllowed(
  _ctx: TenantCtx,
  _request: { provider: MarketplaceProvider; externalAccountId?: string },
): Promise<void> {}

/** The same admission point for social accounts (the plan's `socialAccounts` limit, issue 7). */
export async function assertSocialAccountAllowed(_ctx: TenantCtx, _request: { provider: SocialProvider; externalAccountId?: string }): Promise<void> {}
