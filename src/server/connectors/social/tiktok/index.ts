import { env } from "~/env";
import { TIKTOK_SANDBOX_CLIENT_KEY, TIKTOK_SANDBOX_CLIENT_SECRET } from "~/server/connectors/sandbox/tiktok/sandbox";

import type { SocialConnector } from "../types";
import { createTikTokConnector } from "./client";

export { createTikTokConnector, tiktokCommentExternalId, TIKTOK_SCOPES, type TikTokConfig } from "./client";
export { chunkRange, planChunks, type ChunkPlan } from "./chunks";

/**
 * The connector the app uses: the real TikTok when a client key/secret are configured, otherwise the
 * built-in sandbox (same client code, the sandbox's public client key/secret, every host pointing at
 * ${APP_URL}/api/sandbox/tiktok).
 */
export function createTikTokConnectorFromEnv(): SocialConnector {
  const sandboxUrl = `${env.APP_URL.replace(/\/+$/, "")}/api/sandbox/tiktok`;
  const real = !!(env.TIKTOK_CLIENT_KEY && env.TIKTOK_CLIENT_SECRET);
  return createTikTokConnector({
    authUrl: env.TIKTOK_AUTH_URL ?? (real ? "https://www.tiktok.com" : sandboxUrl),
    apiUrl: env.TIKTOK_API_URL ?? (real ? "https://open.tiktokapis.com" : sandboxUrl),
    businessApiUrl: env.TIKTOK_BUSINESS_API_URL ?? (real ? "https://business-api.tiktok.com" : sandboxUrl),
    clientKey: real ? env.TIKTOK_CLIENT_KEY! : TIKTOK_SANDBOX_CLIENT_KEY,
    clientSecret: real ? env.TIKTOK_CLIENT_SECRET! : TIKTOK_SANDBOX_CLIENT_SECRET,
    isSandbox: !real,
  });
}
