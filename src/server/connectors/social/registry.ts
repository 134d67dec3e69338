/**
 * The static registry of social connectors, like the marketplace one: one instance per network,
 * built lazily from env; tests swap in a client pointed at a sandbox on a random port.
 */
import { createInstagramConnectorFromEnv } from "./instagram";
import { createTikTokConnectorFromEnv } from "./tiktok";
import type { SocialConnector, SocialProvider } from "./types";
import { createYouTubeConnectorFromEnv } from "./youtube";

const FACTORIES: Record<SocialProvider, () => SocialConnector> = {
  INSTAGRAM: createInstagramConnectorFromEnv,
  TIKTOK: createTikTokConnectorFromEnv,
  YOUTUBE: createYouTubeConnectorFromEnv,
};

export const SOCIAL_PROVIDERS = Object.keys(FACTORIES) as SocialProvider[];

const instances = new Map<SocialProvider, SocialConnector>();

export function isSocialProvider(value: string): value is SocialProvider {
  return (SOCIAL_PROVIDERS as string[]).includes(value);
}

export function getSocialConnector(provider: SocialProvider): SocialConnector {
  let connector = instances.get(provider);
  if (!connector) {
    connector = FACTORIES[provider]();
    instances.set(provider, connector);
  }
  return connector;
}

/** Replaces the instance for one network (tests). Returns a function that restores the previous one. */
export function setSocialConnector(connector: SocialConnector): () => void {
  const previous = instances.get(connector.provider);
  instances.set(connector.provider, connector);
  return () => {
    if (previous) instances.set(connector.provider, previous);
    else instances.delete(connector.provider);
  };
}
