import { env } from "~/env";
import { MERCADOLIVRE_SANDBOX_CLIENT_ID, MERCADOLIVRE_SANDBOX_CLIENT_SECRET } from "~/server/connectors/sandbox/mercadolivre/sandbox";

import type { MarketplaceConnector } from "../types";
import { createMercadoLivreConnector } from "./client";

/**
 * The connector the app uses: the real Mercado Livre when credentials are configured, otherwise the
 * built-in sandbox (same client code, the sandbox's public client id/secret and its base URL).
 */
export function createMercadoLivreConnectorFromEnv(): MarketplaceConnector {
  const sandboxUrl = `${env.APP_URL.replace(/\/+$/, "")}/api/sandbox/mercadolivre`;
  const real = !!(env.MERCADOLIVRE_CLIENT_ID && env.MERCADOLIVRE_CLIENT_SECRET);
  return createMercadoLivreConnector({
    apiUrl: env.MERCADOLIVRE_API_URL ?? (real ? "https://api.mercadolibre.com" : sandboxUrl),
    authUrl: env.MERCADOLIVRE_AUTH_URL ?? (real ? "https://auth.mercadolivre.com.br" : sandboxUrl),
    clientId: real ? env.MERCADOLIVRE_CLIENT_ID! : MERCADOLIVRE_SANDBOX_CLIENT_ID,
    clientSecret: real ? env.MERCADOLIVRE_CLIENT_SECRET! : MERCADOLIVRE_SANDBOX_CLIENT_SECRET,
    isSandbox: !real,
  });
}
