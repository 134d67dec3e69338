/**
 * URL slugs of the providers (src/server/services/connectors/connectors.ts PROVIDER_SLUGS):
 * /api/v1/auth/<slug>/callback for every one; /api/v1/webhooks/<slug> for the providers that push
 * notifications (marketplaces, and Instagram comments). tests/unit/sst-config.test.ts keeps the
 * first list equal to the app's.
 */
export const PROVIDER_URL_SLUGS = ["mercadolivre", "shopee", "instagram", "tiktok", "youtube"] as const;
export const WEBHOOK_URL_SLUGS = ["mercadolivre", "shopee", "instagram"] as const;
