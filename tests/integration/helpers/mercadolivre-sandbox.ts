/**
 * The Mercado Livre sandbox served over HTTP on 127.0.0.1 with the app's registry pointed at it,
 * and the connect journey through it — what every integration test that needs a connected seller
 * does (listings sync, market signals, sales history, applying actions).
 */
import { expect } from "vitest";

import { createMercadoLivreConnector } from "~/server/connectors/marketplace/mercadolivre";
import { setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import type { MarketplaceConnector } from "~/server/connectors/marketplace/types";
import { createMercadoLivreSandbox, type MercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";
import { beginConnect, completeConnect } from "~/server/services/connectors/connectors";
import { setPacingRate } from "~/server/services/connectors/pacing";
import type { TenantCtx } from "~/server/services/context";
import { serveFetch } from "../../helpers/serve-fetch";

/** Where the callback would land: nothing listens there, the test completes the connect itself. */
export const TEST_APP_URL = "http://127.0.0.1:9";

export type ServedSandbox = {
  sandbox: MercadoLivreSandbox;
  connector: MarketplaceConnector;
  url: string;
  /** Restores the registry and stops the server. */
  close(): Promise<void>;
};

/**
 * Starts a sandbox (options as createMercadoLivreSandbox's), serves it — through `wrap` when a test
 * watches the traffic — and makes it the app's Mercado Livre connector, paced fast for tests.
 */
export async function serveMercadoLivreSandbox(
  options: Parameters<typeof createMercadoLivreSandbox>[0],
  settings: { timeoutMs?: number; wrap?: (handler: (request: Request) => Promise<Response>) => (request: Request) => Promise<Response> } = {},
): Promise<ServedSandbox> {
  const sandbox = createMercadoLivreSandbox(options);
  const handler = (request: Request) => sandbox.handler(request);
  const served = await serveFetch(settings.wrap ? settings.wrap(handler) : handler);
  const connector = createMercadoLivreConnector({
    apiUrl: served.url,
    authUrl: served.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    isSandbox: true,
    timeoutMs: settings.timeoutMs ?? 5_000,
  });
  const restore = setMarketplaceConnector(connector);
  setPacingRate("MERCADOLIVRE", 500);
  return {
    sandbox,
    connector,
    url: served.url,
    async close() {
      restore();
      await served.close();
    },
  };
}

/**
 * The whole browser journey, minus the browser: our connect URL → the sandbox's consent page
 * (allow, as seller `sellerId`) → its redirect to our callback → completeConnect. `tamper` edits
 * the callback's parameters before they reach us.
 */
export async function connectSandboxSeller(
  ctx: TenantCtx,
  sellerId: number,
  tamper?: (params: Record<string, string>) => void,
) {
  const { authorizationUrl, sealedFlow } = await beginConnect(ctx, { provider: "MERCADOLIVRE", consentVersion: "mercadolivre-2026-11", appUrl: TEST_APP_URL });
  const authUrl = new URL(authorizationUrl);
  const form = new URLSearchParams(authUrl.searchParams);
  form.set("decision", "allow");
  form.set("user_id", String(sellerId));
  const answer = await fetch(`${authUrl.origin}${authUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  expect(answer.status).toBe(302);
  const callback = new URL(answer.headers.get("location")!);
  expect(callback.toString().startsWith(`${TEST_APP_URL}/api/v1/auth/mercadolivre/callback`)).toBe(true);
  const params = Object.fromEntries(callback.searchParams.entries());
  tamper?.(params);
  return completeConnect(ctx, { provider: "MERCADOLIVRE", sealedFlow, params, appUrl: TEST_APP_URL });
}
