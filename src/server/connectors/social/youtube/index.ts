import { env } from "~/env";
import { YOUTUBE_SANDBOX_CLIENT_ID, YOUTUBE_SANDBOX_CLIENT_SECRET } from "~/server/connectors/sandbox/youtube/sandbox";

import type { SocialConnector } from "../types";
import { createYouTubeConnector } from "./client";

export { createYouTubeConnector, nextPacificMidnight, type YouTubeConfig, type YouTubePublished } from "./client";

/**
 * The connector the app uses: Google's real hosts when GOOGLE_CLIENT_ID/SECRET are configured,
 * otherwise the built-in sandbox at ${APP_URL}/api/sandbox/youtube (same client code, the
 * sandbox's public client id/secret). Each host can be overridden on its own.
 */
export function createYouTubeConnectorFromEnv(): SocialConnector {
  const sandboxUrl = `${env.APP_URL.replace(/\/+$/, "")}/api/sandbox/youtube`;
  const real = !!(env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET);
  return createYouTubeConnector({
    apiUrl: env.YOUTUBE_API_URL ?? (real ? "https://www.googleapis.com" : sandboxUrl),
    analyticsUrl: env.YOUTUBE_ANALYTICS_URL ?? (real ? "https://youtubeanalytics.googleapis.com" : sandboxUrl),
    oauthUrl: env.GOOGLE_OAUTH_URL ?? (real ? "https://accounts.google.com" : sandboxUrl),
    tokenUrl: env.GOOGLE_TOKEN_URL ?? (real ? "https://oauth2.googleapis.com" : sandboxUrl),
    clientId: real ? env.GOOGLE_CLIENT_ID! : YOUTUBE_SANDBOX_CLIENT_ID,
    clientSecret: real ? env.GOOGLE_CLIENT_SECRET! : YOUTUBE_SANDBOX_CLIENT_SECRET,
    isSandbox: !real,
  });
}
