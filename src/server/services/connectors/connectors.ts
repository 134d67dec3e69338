import { calculatePKCECodeChallenge, generateRandomCodeVerifier, generateRandomState } from "oauth4webapi";
import { z } from "zod";

import type { Provider } from "~/generated/prisma/enums";
import { ConnectorError } from "~/server/connectors/common";
import { getMarketplaceConnector, isMarketplaceProvider } from "~/server/connectors/marketplace/registry";
import { getSocialConnector } from "~/server/connectors/social/registry";
import { inngest } from "~/server/jobs/client";
import { commentsPollRequested, jobContextOf, listingsSyncRequested, socialAccountConnected, socialAnalyticsSyncRequested } from "~/server/jobs/events";
import { safeEqual } from "~/server/lib/crypto";
import { AppError, notFound } from "~/server/lib/errors";
import { decrypt, encrypt } from "~/server/lib/secrets";
import { findConnection, listConnectionCards, listConnections, updateConnection, upsertConnectedAccount } from "~/server/repositories/connections";
import { createConsentRecord } from "~/server/repositories/privacy-consents";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { assertMarketplaceAccountAllowed, assertSocialAccountAllowed } from "./limits";
import { EXPLICIT_FEATURES, recordProductEvent } from "../product-telemetry/record";

/**
 * The LGPD consent text version per connector. The text itself is in messages (connections.consent.*);
 * changing what the app reads or does with an account means a new text and a new version here, and
 * `consentVersion` + `consentAt` on the connection record which one the person accepted.
 */
export const CONSENT_VERSIONS: Record<Provider, string> = {
  MERCADOLIVRE: "mercadolivre-2026-11",
  SHOPEE: "shopee-2026-11",
  INSTAGRAM: "instagram-2026-11",
  TIKTOK: "tiktok-2026-11",
  YOUTUBE: "youtube-2026-11",
};

/** The provider's slug in our URLs (/api/v1/auth/<slug>/connect|callback, webhooks). */
export const PROVIDER_SLUGS: Record<Provider, string> = {
  MERCADOLIVRE: "mercadolivre",
  SHOPEE: "shopee",
  INSTAGRAM: "instagram",
  TIKTOK: "tiktok",
  YOUTUBE: "youtube",
};

export function providerFromSlug(slug: string): Provider | null {
  const entry = Object.entries(PROVIDER_SLUGS).find(([, s]) => s === slug);
  return entry ? (entry[0] as Provider) : null;
}

/** Marketplace and social connectors share the OAuth part of their contracts (connectors/common.ts). */
function oauthConnector(provider: Provider) {
  return isMarketplaceProvider(provider) ? getMarketplaceConnector(provider) : getSocialConnector(provider);
}

function kindOf(provider: Provider) {
  return isMarketplaceProvider(provider) ? ("MARKETPLACE" as const) : ("SOCIAL" as const);
}

function assertAccountAllowed(ctx: TenantCtx, request: { provider: Provider; externalAccountId?: string }) {
  const { provider } = request;
  return isMarketplaceProvider(provider) ? assertMarketplaceAccountAllowed(ctx, { ...request, provider }) : assertSocialAccountAllowed(ctx, { ...request, provider });
}

/** How long a person has to finish the provider's authorization (the cookie's lifetime). */
export const OAUTH_FLOW_TTL_MS = 10 * 60_000;

const ZFlow = z.object({
  provider: z.enum(["MERCADOLIVRE", "SHOPEE", "INSTAGRAM", "TIKTOK", "YOUTUBE"]),
  state: z.string().min(16),
  codeVerifier: z.string().min(43),
  organizationId: z.string(),
  userId: z.string(),
  consentVersion: z.string(),
  consentAt: z.string(),
  expiresAt: z.number(),
});
type Flow = z.infer<typeof ZFlow>;

export function listOrganizationConnections(ctx: TenantCtx) {
  return listConnections(ctx.db, ctx.tenant.organizationId);
}

export function connectionCards(ctx: TenantCtx) {
  return listConnectionCards(ctx.db, ctx.tenant.organizationId);
}

export function callbackUrl(appUrl: string, provider: Provider) {
  return new URL(`/api/v1/auth/${PROVIDER_SLUGS[provider]}/callback`, appUrl).toString();
}

/**
 * Step 1 of the connect flow: the authorization URL, and the sealed flow (state, PKCE verifier,
 * tenant, consent) that the route puts in an encrypted, httpOnly, short-lived cookie.
 */
export async function beginConnect(ctx: TenantCtx, input: { provider: Provider; consentVersion: string | null; appUrl: string }) {
  if (input.consentVersion !== CONSENT_VERSIONS[input.provider]) {
    throw new AppError("BAD_REQUEST", "consentRequired", "Accept the consent text before connecting");
  }
  await assertAccountAllowed(ctx, { provider: input.provider });
  const codeVerifier = generateRandomCodeVerifier();
  const flow: Flow = {
    provider: input.provider,
    state: generateRandomState(),
    codeVerifier,
    organizationId: ctx.tenant.organizationId,
    userId: ctx.tenant.userId,
    consentVersion: input.consentVersion,
    consentAt: new Date().toISOString(),
    expiresAt: Date.now() + OAUTH_FLOW_TTL_MS,
  };
  const connector = oauthConnector(input.provider);
  const authorizationUrl = connector.authorizationUrl({
    state: flow.state,
    redirectUri: callbackUrl(input.appUrl, input.provider),
    codeChallenge: await calculatePKCECodeChallenge(codeVerifier),
  });
  await audit(ctx.db, { ...ctx.tenant, request: ctx.request }, "connection.authorizationStarted", undefined, { provider: input.provider });
  return { authorizationUrl, sealedFlow: encrypt(JSON.stringify(flow)) };
}

function openFlow(sealed: string | undefined): Flow | null {
  if (!sealed) return null;
  try {
    const flow = ZFlow.parse(JSON.parse(decrypt(sealed)));
    return flow.expiresAt > Date.now() ? flow : null;
  } catch {
    return null;
  }
}

/**
 * Step 2: the provider sent the person back. Checks the sealed flow (same person, same
 * organization, not expired, state matches), exchanges the code with the PKCE verifier — the only
 * provider call made inside a user's request — stores the tokens encrypted, records the consent,
 * audits and starts the first sync.
 */
export async function completeConnect(
  ctx: TenantCtx,
  input: { provider: Provider; sealedFlow: string | undefined; params: Record<string, string>; appUrl: string },
) {
  const flow = openFlow(input.sealedFlow);
  if (!flow || flow.provider !== input.provider) throw new AppError("BAD_REQUEST", "oauthExpired", "The connection attempt expired; start again");
  if (flow.userId !== ctx.tenant.userId || flow.organizationId !== ctx.tenant.organizationId) {
    throw new AppError("BAD_REQUEST", "oauthOtherSession", "This connection was started by another session or organization");
  }
  const state = input.params.state ?? "";
  if (!safeEqual(state, flow.state)) throw new AppError("BAD_REQUEST", "oauthState", "The authorization response does not match this session");
  if (input.params.error) throw new AppError("BAD_REQUEST", "oauthDenied", "The marketplace authorization was not granted");
  const code = input.params.code;
  if (!code) throw new AppError("BAD_REQUEST", "oauthState", "The authorization response has no code");

  const connector = oauthConnector(input.provider);
  let tokens;
  try {
    tokens = await connector.exchangeCode({
      code,
      redirectUri: callbackUrl(input.appUrl, input.provider),
      codeVerifier: flow.codeVerifier,
      callbackParams: input.params,
    });
  } catch (error) {
    ctx.log.warn({ provider: input.provider, kind: error instanceof ConnectorError ? error.kind : "unknown" }, "code exchange failed");
    throw new AppError("BAD_REQUEST", "oauthExchange", "The marketplace did not accept the authorization; try again");
  }
  await assertAccountAllowed(ctx, { provider: input.provider, externalAccountId: tokens.externalAccountId });

  const connection = await ctx.db.$transaction(async (tx) => {
    const row = await upsertConnectedAccount(tx, ctx.tenant.organizationId, {
      provider: input.provider,
      kind: kindOf(input.provider),
      externalAccountId: tokens.externalAccountId,
      accountName: tokens.accountName ?? null,
      accessTokenEnc: encrypt(tokens.accessToken),
      refreshTokenEnc: tokens.refreshToken ? encrypt(tokens.refreshToken) : null,
      expiresAt: tokens.expiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
      scopes: tokens.scopes,
      consentVersion: flow.consentVersion,
      consentAt: new Date(flow.consentAt),
      createdById: ctx.tenant.userId,
    });
    const who = { ...ctx.tenant, request: ctx.request };
    const target = { type: "connection", id: row.id };
    // The LGPD consent record (art. 8 §2: the controller proves consent): who, which text, when, from where.
    await createConsentRecord(tx, ctx.tenant.organizationId, {
      userId: ctx.tenant.userId,
      connectionId: row.id,
      provider: input.provider,
      version: flow.consentVersion,
      action: "GRANTED",
      ip: ctx.request.ip,
      userAgent: ctx.request.userAgent,
    });
    await audit(tx, who, "connection.consentRecorded", target, { provider: input.provider, consentVersion: flow.consentVersion });
    await audit(tx, who, "connection.connected", target, { provider: input.provider, externalAccountId: row.externalAccountId });
    return row;
  });
  const eventId = `connect-${connection.id}-${Date.now()}`;
  await inngest.send(
    kindOf(input.provider) === "MARKETPLACE"
      ? listingsSyncRequested.create({ ...jobContextOf(ctx), connectionId: connection.id, mode: "full" }, { id: eventId })
      : socialAccountConnected.create({ ...jobContextOf(ctx), connectionId: connection.id }, { id: eventId }),
  );
  ctx.log.info({ connectionId: connection.id, provider: input.provider }, "account connected");
  recordProductEvent(ctx.db, ctx.log, { organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, feature: EXPLICIT_FEATURES.connected });
  return connection;
}

/**
 * Deletes the tokens and marks the connection DISCONNECTED; listings stay (their history is the
 * organization's), and no further sync runs. The marketplace connector contract has no revocation
 * call (Mercado Livre offers none to apps; the seller revokes in their account).
 */
export async function disconnect(ctx: TenantCtx, input: { connectionId: string }) {
  const connection = await findConnection(ctx.db, ctx.tenant.organizationId, input.connectionId);
  if (!connection) throw notFound("Connection");
  await ctx.db.$transaction(async (tx) => {
    await updateConnection(tx, ctx.tenant.organizationId, input.connectionId, {
      accessTokenEnc: null,
      refreshTokenEnc: null,
      expiresAt: null,
      refreshExpiresAt: null,
      status: "DISCONNECTED",
      blockedUntil: null,
    });
    await tx.connectionSync.updateMany({
      where: { organizationId: ctx.tenant.organizationId, connectionId: input.connectionId, state: "RUNNING" },
      data: { state: "FAILED", lastError: "The account was disconnected.", finishedAt: new Date() },
    });
    // Disconnecting withdraws the consent given for that access (recorded against the version in force).
    await createConsentRecord(tx, ctx.tenant.organizationId, {
      userId: ctx.tenant.userId,
      connectionId: input.connectionId,
      provider: connection.provider,
      version: connection.consentVersion ?? CONSENT_VERSIONS[connection.provider],
      action: "WITHDRAWN",
      ip: ctx.request.ip,
      userAgent: ctx.request.userAgent,
    });
    await audit(tx, { ...ctx.tenant, request: ctx.request }, "connection.disconnected", { type: "connection", id: input.connectionId }, { provider: connection.provider });
  });
  return { id: input.connectionId, status: "DISCONNECTED" as const };
}

/** A manual full resync (e.g. after a failure); for a social account, its metrics and comments. */
export async function requestResync(ctx: TenantCtx, input: { connectionId: string }) {
  const connection = await findConnection(ctx.db, ctx.tenant.organizationId, input.connectionId);
  if (!connection) throw notFound("Connection");
  if (connection.status !== "ACTIVE") throw new AppError("PRECONDITION_FAILED", "connectionNotActive", "Reconnect the account first");
  const eventId = `resync-${connection.id}-${Date.now()}`;
  const job = { ...jobContextOf(ctx), connectionId: connection.id };
  await inngest.send(
    connection.kind === "MARKETPLACE"
      ? [listingsSyncRequested.create({ ...job, mode: "full" }, { id: eventId })]
      : [socialAnalyticsSyncRequested.create(job, { id: `${eventId}-analytics` }), commentsPollRequested.create(job, { id: `${eventId}-comments` })],
  );
  await audit(ctx.db, { ...ctx.tenant, request: ctx.request }, "connection.resyncRequested", { type: "connection", id: connection.id });
  return { id: connection.id, queued: true as const };
}

/** Providers offered on the Connections page, marketplaces first. */
export function connectableProviders() {
  return (Object.keys(CONSENT_VERSIONS) as Provider[]).map((provider) => ({
    provider,
    kind: kindOf(provider),
    slug: PROVIDER_SLUGS[provider],
    consentVersion: CONSENT_VERSIONS[provider],
    sandbox: oauthConnector(provider).isSandbox,
  }));
}
