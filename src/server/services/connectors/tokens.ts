import type { Provider } from "~/generated/prisma/enums";
import type { AccountCredentials } from "~/server/connectors/common";
import { getMarketplaceConnector, isMarketplaceProvider } from "~/server/connectors/marketplace/registry";
import { ConnectorError } from "~/server/connectors/marketplace/types";
import { getSocialConnector } from "~/server/connectors/social/registry";
import { decrypt, encrypt } from "~/server/lib/secrets";
import { recordTokenRefreshFailure } from "~/server/observability/metrics";
import { findConnectionSecrets, updateConnection, withConnectionLock } from "~/server/repositories/connections";
import { findConnectionForEvent } from "~/server/repositories/webhooks";
import { audit } from "../audit";
import { emitNeedsReconnect } from "../developer/webhooks/hooks";
import { notify } from "../notifications/notify";
import { callThroughBreaker, CircuitOpen } from "./breaker-call";
import type { JobTenantCtx } from "./job-ctx";

/** Refresh this long before the access token expires, so no call is made with a dying token. */
export const REFRESH_MARGIN_MS = 10 * 60_000;

export type FreshCredentials =
  | { ok: true; provider: Provider; credentials: AccountCredentials }
  | { ok: false; reason: "needs_reconnect" | "disconnected" };

/** Clear, secret-free words for the connection card. */
export const RECONNECT_MESSAGE = "The provider no longer accepts this connection's authorization (invalid_grant). Reconnect the account.";

/**
 * Credentials that are valid for at least REFRESH_MARGIN_MS: refreshes first when needed (or when
 * `force`, after the provider answered 401 to `rejectedAccessToken`).
 */
export async function freshCredentials(
  ctx: JobTenantCtx,
  connectionId: string,
  options: { force?: boolean; rejectedAccessToken?: string } = {},
): Promise<FreshCredentials> {
  const row = await findConnectionSecrets(ctx.db, ctx.organizationId, connectionId);
  if (!row || row.status === "DISCONNECTED" || !row.accessTokenEnc) return { ok: false, reason: "disconnected" };
  if (row.status === "NEEDS_RECONNECT") return { ok: false, reason: "needs_reconnect" };
  const provider = row.provider;
  const expiring = !row.expiresAt || row.expiresAt.getTime() - Date.now() < REFRESH_MARGIN_MS;
  if (!options.force && !expiring) {
    return { ok: true, provider, credentials: { accessToken: decrypt(row.accessTokenEnc), externalAccountId: row.externalAccountId } };
  }
  return refreshConnectionToken(ctx, connectionId, options);
}

/**
 * Refreshes the connection's tokens, serialised per connection by a row lock: whoever gets the
 * lock second finds the tokens already renewed and uses them instead of spending the (single-use)
 * refresh token again. `invalid_grant` marks the connection NEEDS_RECONNECT and keeps the stored
 * refresh token; a new token set without a refresh token never erases the stored one.
 */
export async function refreshConnectionToken(
  ctx: JobTenantCtx,
  connectionId: string,
  options: { force?: boolean; rejectedAccessToken?: string } = {},
): Promise<FreshCredentials> {
  return withConnectionLock(ctx.db, ctx.organizationId, connectionId, async (tx) => {
    const row = await findConnectionSecrets(tx, ctx.organizationId, connectionId);
    if (!row || row.status === "DISCONNECTED" || !row.accessTokenEnc) return { ok: false, reason: "disconnected" } as const;
    if (row.status === "NEEDS_RECONNECT") return { ok: false, reason: "needs_reconnect" } as const;
    const provider = row.provider;
    const current = { accessToken: decrypt(row.accessTokenEnc), externalAccountId: row.externalAccountId };
    const stillFresh = !!row.expiresAt && row.expiresAt.getTime() - Date.now() >= REFRESH_MARGIN_MS;
    // Someone else refreshed while we waited for the lock.
    const alreadyRenewed = options.rejectedAccessToken !== undefined && current.accessToken !== options.rejectedAccessToken;
    if ((stillFresh && !options.force) || alreadyRenewed) return { ok: true, provider, credentials: current } as const;

    if (!row.refreshTokenEnc) {
      await markNeedsReconnect(ctx, tx, connectionId, "No refresh token is stored for this connection. Reconnect the account.");
      return { ok: false, reason: "needs_reconnect" } as const;
    }
    // Marketplace and social connectors share the refresh contract (connectors/common.ts).
    const connector = isMarketplaceProvider(provider) ? getMarketplaceConnector(provider) : getSocialConnector(provider);
    const refreshToken = decrypt(row.refreshTokenEnc);
    let tokens;
    try {
      // Guarded like every other provider request: while the provider (or this account) is down the
      // refresh waits instead of hammering its token endpoint, and its failures count (CircuitOpen
      // reaches the function, which retries at the reopen time).
      tokens = await callThroughBreaker(ctx.db, { provider, connectionId, organizationId: ctx.organizationId }, () =>
        connector.refresh(refreshToken, { externalAccountId: row.externalAccountId }),
      );
    } catch (error) {
      if (error instanceof CircuitOpen) throw error; // nothing was sent
      recordTokenRefreshFailure(provider, error instanceof ConnectorError ? error.kind : "error");
      if (error instanceof ConnectorError && error.kind === "invalid_grant") {
        await markNeedsReconnect(ctx, tx, connectionId, RECONNECT_MESSAGE);
        return { ok: false, reason: "needs_reconnect" } as const;
      }
      throw error; // rate limits, 5xx, timeouts: the caller retries later with the same refresh token
    }
    await updateConnection(tx, ctx.organizationId, connectionId, {
      accessTokenEnc: encrypt(tokens.accessToken),
      ...(tokens.refreshToken ? { refreshTokenEnc: encrypt(tokens.refreshToken) } : {}),
      expiresAt: tokens.expiresAt,
      ...(tokens.refreshExpiresAt ? { refreshExpiresAt: tokens.refreshExpiresAt } : {}),
      status: "ACTIVE",
      lastError: null,
    });
    ctx.log.info({ connectionId, expiresAt: tokens.expiresAt }, "connection token refreshed");
    return { ok: true, provider, credentials: { accessToken: tokens.accessToken, externalAccountId: row.externalAccountId } } as const;
  });
}

async function markNeedsReconnect(ctx: JobTenantCtx, tx: Parameters<typeof updateConnection>[0], connectionId: string, message: string) {
  // The refresh token stays stored: a provider hiccup misread as invalid_grant must not lose it.
  await updateConnection(tx, ctx.organizationId, connectionId, { status: "NEEDS_RECONNECT", lastError: message });
  await emitNeedsReconnect(tx, ctx.organizationId, connectionId);
  const connection = await findConnectionForEvent(tx, ctx.organizationId, connectionId);
  await notify(tx, {
    organizationId: ctx.organizationId,
    kind: "connection.needsReconnect",
    params: { connectionId, provider: connection?.provider ?? "", account: connection?.accountName ?? "" },
    link: "/settings/connections",
    // Only the change to NEEDS_RECONNECT gets here; the window covers a reconnect that fails again at once.
    dedupe: { key: "connectionId", withinMs: 60 * 60_000 },
  });
  await audit(tx, { organizationId: ctx.organizationId, userId: null, request: ctx.correlationId ? { correlationId: ctx.correlationId } : undefined }, "connection.needsReconnect", {
    type: "connection",
    id: connectionId,
  });
  ctx.log.warn({ connectionId }, "connection needs reconnect: refresh refused");
}
