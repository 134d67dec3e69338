import { env } from "~/env";
import { INSTAGRAM_SANDBOX_APP_ID, INSTAGRAM_SANDBOX_APP_SECRET } from "~/server/connectors/sandbox/instagram/constants";

import { createInstagramConnector, type InstagramConnector } from "./client";

/**
 * The connector the app uses: the real Instagram hosts when the app's credentials are configured,
 * otherwise the built-in sandbox (same client code, the sandbox's public app id/secret, its base URL
 * for all three hosts).
 */
export function createInstagramConnectorFromEnv(): InstagramConnector {
  const sandboxUrl = `${env.APP_URL.replace(/\/+$/, "")}/api/sandbox/instagram`;
  const real = !!(env.INSTAGRAM_APP_ID && env.INSTAGRAM_APP_SECRET);
  return createInstagramConnector({
    graphUrl: env.INSTAGRAM_GRAPH_URL ?? (real ? "https://graph.instagram.com" : sandboxUrl),
    apiUrl: env.INSTAGRAM_API_URL ?? (real ? "https://api.instagram.com" : sandboxUrl),
    authUrl: env.INSTAGRAM_AUTH_URL ?? (real ? "https://www.instagram.com" : sandboxUrl),
    clientId: real ? env.INSTAGRAM_APP_ID! : INSTAGRAM_SANDBOX_APP_ID,
    clientSecret: real ? env.INSTAGRAM_APP_SECRET! : INSTAGRAM_SANDBOX_APP_SECRET,
    isSandbox: !real,
  });
}
