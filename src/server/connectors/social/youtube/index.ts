import type { SocialConnector } from "../types";

/** Placeholder until the YouTube client lands (issue 6): the registry needs the factory's name. */
export function createYouTubeConnectorFromEnv(): SocialConnector {
  throw new Error("The YouTube connector is not built yet");
}
