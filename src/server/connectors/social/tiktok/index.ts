import type { SocialConnector } from "../types";

/** Placeholder until the TikTok client lands (issue 6): the registry needs the factory's name. */
export function createTikTokConnectorFromEnv(): SocialConnector {
  throw new Error("The TikTok connector is not built yet");
}
