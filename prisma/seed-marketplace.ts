/**
 * Demo data for the seller area: the demo organization gets the sandbox Mercado Livre seller
 * account already connected, with its listings and 30 days of metrics ingested. Idempotent: an
 * organization that already has a Mercado Livre connection is left alone.
 *
 * The seed runs outside Next.js (no database module of the app, no jobs runner), so it talks to an
 * in-process copy of the sandbox — built with the same token secret and catalog settings as the one
 * the app mounts at /api/sandbox/mercadolivre, so the tokens and item ids it stores are valid there —
 * and writes through the app's own repository functions.
 */
import { calculatePKCECodeChallenge, generateRandomCodeVerifier } from "oauth4webapi";

import type { PrismaClient } from "../src/generated/prisma/client";
import { env } from "../src/env.js";
import { createMercadoLivreConnector } from "../src/server/connectors/marketplace/mercadolivre/client";
import { createMercadoLivreSandbox, SANDBOX_SELLERS } from "../src/server/connectors/sandbox/mercadolivre";
import { encryptSecret, parseKey } from "../src/server/lib/crypto";
import { upsertDailyVisits, upsertIngestedItems } from "../src/server/repositories/listings";
import { toIngested, utcDay } from "../src/server/services/listings/ingest-mapping";

const BASE_PATH = "/api/sandbox/mercadolivre";
/** Same text version the Connections page shows (src/server/services/connectors/connectors.ts). */
const CONSENT_VERSION = "mercadolivre-2026-11";
export const DEMO_HISTORY_DAYS = 90;

/**
 * A Mercado Livre connector wired to an in-process copy of the sandbox the app mounts (same token
 * secret and catalog), so what the seed reads and the tokens it stores are valid in the app.
 */
export function inProcessMercadoLivre() {
  const appUrl = env.APP_URL.replace(/\/+$/, "");
  const sandbox = createMercadoLivreSandbox({
    basePath: BASE_PATH,
    catalogSize: env.SANDBOX_CATALOG_SIZE,
    rateLimitPerSecond: 0,
    tokenSecret: `mercadolivre-sandbox:${env.AUTH_SECRET}`,
    notificationUrl: null,
  });
  const base = `${appUrl}${BASE_PATH}`;
  const inProcess: typeof fetch = (input, init) => sandbox.handler(new Request(input, init));
  const connector = createMercadoLivreConnector({ apiUrl: base, authUrl: base, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret, isSandbox: true, fetch: inProcess });
  return { sandbox, connector, inProcess };
}

export async function seedDemoMarketplace(db: PrismaClient, demo: { organizationId: string; userId: string }) {
  // With real credentials the sandbox is off: a seeded sandbox account would never sync.
  if (env.MERCADOLIVRE_CLIENT_ID) return { skipped: "real credentials configured" };
  const existing = await db.connection.findFirst({ where: { organizationId: demo.organizationId, provider: "MERCADOLIVRE" }, select: { id: true } });
  if (existing) return { skipped: "already connected" };

  const appUrl = env.APP_URL.replace(/\/+$/, "");
  const { connector, inProcess } = inProcessMercadoLivre();

  // The OAuth code flow, exactly as a seller would go through it on the sandbox's consent page.
  const seller = SANDBOX_SELLERS[0];
  const redirectUri = `${appUrl}/api/v1/auth/mercadolivre/callback`;
  const verifier = generateRandomCodeVerifier();
  const authUrl = new URL(connector.authorizationUrl({ state: "seed", redirectUri, codeChallenge: await calculatePKCECodeChallenge(verifier) }));
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", "allow");
  form.set("user_id", String(seller.id));
  const consent = await inProcess(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const code = new URL(consent.headers.get("location") ?? "http://invalid/").searchParams.get("code");
  if (!code) throw new Error("the sandbox issued no authorization code");
  const tokens = await connector.exchangeCode({ code, redirectUri, codeVerifier: verifier, callbackParams: { code, state: "seed" } });

  const ring = { current: parseKey(env.TOKEN_ENCRYPTION_KEY), previous: [] };
  const now = new Date();
  const connection = await db.connection.create({
    data: {
      organizationId: demo.organizationId,
      provider: "MERCADOLIVRE",
      kind: "MARKETPLACE",
      externalAccountId: tokens.externalAccountId,
      accountName: tokens.accountName ?? seller.nickname,
      accessTokenEnc: encryptSecret(tokens.accessToken, ring),
      refreshTokenEnc: tokens.refreshToken ? encryptSecret(tokens.refreshToken, ring) : null,
      expiresAt: tokens.expiresAt,
      refreshExpiresAt: tokens.refreshExpiresAt,
      scopes: tokens.scopes,
      consentVersion: CONSENT_VERSION,
      consentAt: now,
      createdById: demo.userId,
    },
  });

  // Ingest directly (the same repository writes as the sync function), page by page.
  const credentials = { accessToken: tokens.accessToken, externalAccountId: tokens.externalAccountId };
  const today = utcDay(now);
  // 90 days of visits (Mercado Livre serves up to 150): the demo's 30-day action effects compare
  // 30 days after an action with the 30 days before it.
  const from = new Date(today.getTime() - (DEMO_HISTORY_DAYS - 1) * 86_400_000);
  let cursor: string | null = null;
  let processed = 0;
  let pages = 0;
  do {
    const page = await connector.listItemIds(credentials, cursor);
    const items = await connector.getItems(credentials, page.externalIds);
    const visits = items.length > 0 ? await connector.getVisits(credentials, items.map((i) => i.externalId), from, now) : [];
    await db.$transaction(async (tx) => {
      const ids = await upsertIngestedItems(tx, { organizationId: demo.organizationId, connectionId: connection.id, provider: "MERCADOLIVRE" }, items.map(toIngested), today, now);
      const byId = new Map(items.map((i) => [i.externalId, i]));
      await upsertDailyVisits(
        tx,
        demo.organizationId,
        visits.flatMap((v) => {
          const listingId = ids.get(v.externalId);
          const item = byId.get(v.externalId);
          return listingId && item ? [{ listingId, date: new Date(`${v.date}T00:00:00.000Z`), visits: v.visits, priceCents: item.priceCents, stock: item.stock }] : [];
        }),
      );
    }, { timeout: 60_000 });
    processed += page.externalIds.length;
    pages++;
    cursor = page.nextCursor;
  } while (cursor);

  await db.connectionSync.create({
    data: { organizationId: demo.organizationId, connectionId: connection.id, state: "COMPLETED", mode: "full", generation: 1, processed, total: processed, pages, startedAt: now, finishedAt: new Date() },
  });
  await db.connection.update({ where: { id: connection.id }, data: { lastSyncAt: new Date() } });
  await db.auditLog.create({
    data: { organizationId: demo.organizationId, actorUserId: demo.userId, action: "connection.connected", targetType: "connection", targetId: connection.id, metadata: { provider: "MERCADOLIVRE", seed: true } },
  });
  return { connectionId: connection.id, listings: processed };
}
