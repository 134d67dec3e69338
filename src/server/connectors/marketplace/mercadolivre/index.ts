export { MERCADOLIVRE_TOPICS, createMercadoLivreConnector, type MercadoLivreConfig } from "./client";
export { createMercadoLivreConnectorFromEnv } from "./from-env";
