import type { SocialConnector } from "../types";

/** Placeholder until the Instagram client lands (issue 6): the registry needs the factory's name. */
export function createInstagramConnectorFromEnv(): SocialConnector {
  throw new Error("The Instagram connector is not built yet");
}
