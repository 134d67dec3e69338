import { assertEntitlement } from "~/server/billing/entitlements";
import type { MarketplaceProvider } from "~/server/connectors/marketplace/types";
import type { SocialProvider } from "~/server/connectors/social/types";
import { connectedAccountExists } from "~/server/repositories/entitlements";
import type { TenantCtx } from "../context";

/**
 * The one place a new account is admitted against the plan (entitlements), called before the
 * provider is contacted (connect, no account id yet) and again before a new connection row is
 * created (callback, with the provider's account id). Reconnecting an account the organization
 * already has connected (same provider + external id, not DISCONNECTED) takes no new slot and is
 * never limited; a DISCONNECTED one freed its slot, so reconnecting it counts again.
 *
 * At the start, with no account id, a full plan is refused even though the person might be about
 * to reconnect an account they already have — except when every slot is taken by this provider's
 * accounts, which may be a reconnect: the callback, which knows the account, decides then.
 */
async function assertAccountAllowed(
  ctx: TenantCtx,
  key: "marketplaceAccounts" | "socialAccounts",
  request: { provider: MarketplaceProvider | SocialProvider; externalAccountId?: string },
): Promise<void> {
  const org = ctx.tenant.organizationId;
  if (request.externalAccountId !== undefined) {
    if (await connectedAccountExists(ctx.db, org, request.provider, request.externalAccountId)) return;
    await assertEntitlement(ctx.db, org, key);
    return;
  }
  if (await connectedAccountExists(ctx.db, org, request.provider, null)) return;
  await assertEntitlement(ctx.db, org, key);
}

export function assertMarketplaceAccountAllowed(ctx: TenantCtx, request: { provider: MarketplaceProvider; externalAccountId?: string }): Promise<void> {
  return assertAccountAllowed(ctx, "marketplaceAccounts", request);
}

/** The same admission point for social accounts (the plan's `socialAccounts` limit). */
export function assertSocialAccountAllowed(ctx: TenantCtx, request: { provider: SocialProvider; externalAccountId?: string }): Promise<void> {
  return assertAccountAllowed(ctx, "socialAccounts", request);
}
