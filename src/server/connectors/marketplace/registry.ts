/**
 * The static registry of marketplace connectors. One instance per provider, built lazily from env
 * on first use (so a process that never talks to Shopee never reads Shopee's settings). Tests swap
 * in a connector configured against a sandbox on a random port with `setMarketplaceConnector`.
 */
import { createMercadoLivreConnectorFromEnv } from "./mercadolivre";
import { createShopeeConnectorFromEnv } from "./shopee";
import type { MarketplaceConnector, MarketplaceProvider } from "./types";

const FACTORIES: Record<MarketplaceProvider, () => MarketplaceConnector> = {
  MERCADOLIVRE: createMercadoLivreConnectorFromEnv,
  SHOPEE: createShopeeConnectorFromEnv,
};

export const MARKETPLACE_PROVIDERS = Object.keys(FACTORIES) as MarketplaceProvider[];

const instances = new Map<MarketplaceProvider, MarketplaceConnector>();

export function isMarketplaceProvider(value: string): value is MarketplaceProvider {
  return (MARKETPLACE_PROVIDERS as string[]).includes(value);
}

export function getMarketplaceConnector(provider: MarketplaceProvider): MarketplaceConnector {
  let connector = instances.get(provider);
  if (!connector) {
    connector = FACTORIES[provider]();
    instances.set(provider, connector);
  }
  return connector;
}

/**
 * Replaces the instance for one provider (tests: a client pointed at a sandbox served on a random
 * port). Returns a function that restores the previous state.
 */
export function setMarketplaceConnector(connector: MarketplaceConnector): () => void {
  const previous = instances.get(connector.provider);
  instances.set(connector.provider, connector);
  return () => {
    if (previous) instances.set(connector.provider, previous);
    else instances.delete(connector.provider);
  };
}
