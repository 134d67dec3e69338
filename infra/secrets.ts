/**
 * Every secret-like variable `src/env.js` reads, as an `sst.Secret` (set with
 * `npx sst secret set <Name> <value> --stage <stage>`). Never a plain value in the config: the app
 * receives `secret.value` (an encrypted Pulumi output) and the link.
 *
 * `required: true` has no placeholder, so a deploy stops with SST's "Set a value for …" until it is
 * set: the session and token keys, and Inngest's keys (a deployed app runs its jobs on Inngest,
 * Cloud or self-hosted; without them no job would ever run). The optional ones default to "" (env.js reads an empty string as unset: the feature stays
 * off or uses its sandbox).
 */
export const SECRET_ENV = {
  AUTH_SECRET: { name: "AuthSecret", required: true },
  TOKEN_ENCRYPTION_KEY: { name: "TokenEncryptionKey", required: true },
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: { name: "TokenEncryptionPreviousKeys", required: false },
  REDIS_URL: { name: "RedisUrl", required: false },
  OTEL_EXPORTER_OTLP_HEADERS: { name: "OtelExporterOtlpHeaders", required: false },
  INNGEST_EVENT_KEY: { name: "InngestEventKey", required: true },
  INNGEST_SIGNING_KEY: { name: "InngestSigningKey", required: true },
  INNGEST_SIGNING_KEY_FALLBACK: { name: "InngestSigningKeyFallback", required: false },
  MERCADOLIVRE_CLIENT_ID: { name: "MercadoLivreClientId", required: false },
  MERCADOLIVRE_CLIENT_SECRET: { name: "MercadoLivreClientSecret", required: false },
  SHOPEE_PARTNER_ID: { name: "ShopeePartnerId", required: false },
  SHOPEE_PARTNER_KEY: { name: "ShopeePartnerKey", required: false },
  INSTAGRAM_APP_ID: { name: "InstagramAppId", required: false },
  INSTAGRAM_APP_SECRET: { name: "InstagramAppSecret", required: false },
  INSTAGRAM_WEBHOOK_VERIFY_TOKEN: { name: "InstagramWebhookVerifyToken", required: false },
  TIKTOK_CLIENT_KEY: { name: "TiktokClientKey", required: false },
  TIKTOK_CLIENT_SECRET: { name: "TiktokClientSecret", required: false },
  GOOGLE_CLIENT_ID: { name: "GoogleClientId", required: false },
  GOOGLE_CLIENT_SECRET: { name: "GoogleClientSecret", required: false },
  AI_API_KEY: { name: "AiApiKey", required: false },
  STRIPE_SECRET_KEY: { name: "StripeSecretKey", required: false },
  STRIPE_WEBHOOK_SECRET: { name: "StripeWebhookSecret", required: false },
} as const;

export type SecretEnvName = keyof typeof SECRET_ENV;

export function createSecrets() {
  const entries = Object.entries(SECRET_ENV) as [SecretEnvName, (typeof SECRET_ENV)[SecretEnvName]][];
  return Object.fromEntries(
    entries.map(([envName, { name, required }]) => [envName, required ? new sst.Secret(name) : new sst.Secret(name, "")]),
  ) as Record<SecretEnvName, sst.Secret>;
}

/** `{ AUTH_SECRET: secret.value, … }`: references to the encrypted values, for the app's environment. */
export function secretEnvironment(secrets: Record<SecretEnvName, sst.Secret>) {
  return Object.fromEntries(Object.entries(secrets).map(([envName, secret]) => [envName, secret.value])) as Record<
    SecretEnvName,
    $util.Output<string>
  >;
}
