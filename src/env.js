import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

const isProduction = process.env.NODE_ENV === "production";
const isTest = process.env.NODE_ENV === "test" || process.env.VITEST === "true";

// Development-only defaults keep `npm run dev` a single command. Production must set real values;
// these strings are public (they are in the repository) so they protect nothing.
const DEV_AUTH_SECRET = "dev-only-auth-secret-not-for-production-0123456789";
const DEV_TOKEN_KEY = "ZGV2LW9ubHktdG9rZW4ta2V5LW5vdC1mb3ItcHJvZCE="; // "dev-only-token-key-not-for-prod!", 32 bytes

const flag = z
  .enum(["0", "1", "true", "false"])
  .optional()
  .transform((v) => v === "1" || v === "true");

/** The only reader of process.env in the application. */
export const env = createEnv({
  server: {
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    AUTH_SECRET: isProduction && !isTest ? z.string().min(32) : z.string().min(32).default(DEV_AUTH_SECRET),
    // base64 of 32 random bytes: `openssl rand -base64 32`
    TOKEN_ENCRYPTION_KEY: (isProduction && !isTest ? z.base64() : z.base64().default(DEV_TOKEN_KEY)).refine(
      (key) => Buffer.from(key, "base64").length === 32,
      { message: "must be the base64 of exactly 32 bytes (openssl rand -base64 32)" },
    ),
    // Previous keys, comma-separated, still accepted for decryption during a key rotation.
    TOKEN_ENCRYPTION_PREVIOUS_KEYS: z.string().optional(),
    APP_URL: z.url().default("http://localhost:3000"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // Also append every log line (JSON, at LOG_FILE_LEVEL) to this file. `npm test` uses it to scan
    // the whole run's logs for leaked secrets (docs/security.md).
    LOG_FILE: z.string().min(1).optional(),
    LOG_FILE_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace"]).default("info"),
    // The tRPC panel (/api/panel, signed-in users only) is on unless explicitly turned off.
    ENABLE_TRPC_PANEL: z.enum(["0", "1", "true", "false"]).optional().transform((v) => v !== "0" && v !== "false"),
    MAX_REQUEST_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
    // Proxies in front of the app that append to X-Forwarded-For (CDN/load balancer; Next.js itself
    // fills the header when absent). The client address is this many entries from the right.
    TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),

    // ─── Developer platform: REST API, API keys, rate limits, outbound webhooks (docs/api.md) ───
    // Shared store for rate limits (several app instances). Unset: each process counts in memory.
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    // Requests per minute: per client address (all of /api/v1), per API key or user for reads
    // and for writes, and per client address for sign-in, register and token calls.
    API_RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().positive().default(600),
    API_RATE_LIMIT_READ_PER_MINUTE: z.coerce.number().int().positive().default(300),
    API_RATE_LIMIT_WRITE_PER_MINUTE: z.coerce.number().int().positive().default(60),
    API_RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().positive().default(10),
    // Lifetime of the access tokens POST /api/v1/auth/login hands out.
    API_TOKEN_TTL_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
    // Waits (seconds) before each retry of an outbound webhook delivery after a failure; after the
    // last one the delivery is FAILED (it can be replayed). An endpoint failing for
    // WEBHOOK_DISABLE_AFTER_HOURS without one success is disabled and its owners notified.
    WEBHOOK_RETRY_DELAYS_S: z.string().regex(/^\d+(,\d+)*$/).default("60,300,1800,7200,21600,43200,86400"),
    WEBHOOK_DISABLE_AFTER_HOURS: z.coerce.number().positive().default(72),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    // Lets a production build send webhooks to http, loopback and private addresses (the e2e
    // receiver runs on localhost). Never set it on a public deployment: it reopens SSRF.
    WEBHOOK_ALLOW_PRIVATE_URLS: flag,

    // ─── Notification e-mail (docs/notifications.md) ───
    // smtp://user:pass@host:port (smtps:// for TLS). Unset: e-mails are logged, never sent.
    SMTP_URL: z.url().optional(),
    MAIL_FROM: z.string().min(3).max(200).default("Super Seller <no-reply@superseller.dev>"),

    // ─── Security and privacy (docs/security.md) ───
    // How long a signed-in session lasts without activity (days).
    SESSION_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(90).default(30),
    // How long a re-confirmation (second factor or password) opens sensitive operations (minutes).
    STEP_UP_WINDOW_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
    // The name authenticator apps show next to the account.
    TWO_FACTOR_ISSUER: z.string().min(1).max(64).default("Super Seller"),
    // Other origins allowed to call /api/v1 from a browser (comma-separated, e.g.
    // "https://erp.example.com"). Unset: only the app's own origin (APP_URL).
    CORS_ALLOWED_ORIGINS: z.string().optional(),
    // The built-in provider sandboxes under /api/sandbox/* (and the Stripe double). On by default
    // outside production; a production deployment serves them only when this is "1".
    ENABLE_SANDBOXES: z
      .enum(["0", "1", "true", "false"])
      .optional()
      .transform((v) => (v === undefined ? !isProduction || isTest : v === "1" || v === "true")),
    // How long the audit log is kept (days). At least 180: Marco Civil (art. 15) asks application
    // providers to keep access records for six months.
    AUDIT_RETENTION_DAYS: z.coerce.number().int().min(180).default(365),

    // ─── Observability (src/server/observability, docs/observability.md) ───
    // OTLP/HTTP collector (e.g. http://localhost:4318): traces go to <url>/v1/traces and metrics to
    // <url>/v1/metrics. Unset: no telemetry is exported (spans and metrics are not even recorded).
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    // Extra headers for the collector, "key=value,key2=value2" (e.g. an API key; secret, never logged).
    OTEL_EXPORTER_OTLP_HEADERS: z.string().optional(),
    OTEL_SERVICE_NAME: z.string().min(1).default("super-seller"),
    OTEL_METRIC_EXPORT_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
    // Connections each process keeps to PostgreSQL. On Lambda (SST), keep it small (1–2) and put
    // RDS Proxy in front; on a long-running server the default suits.
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),

    // ─── Background functions (src/server/jobs, docs/background-jobs.md) ───
    // "auto": real Inngest when any INNGEST_* variable below is set, else the in-process local
    // runner over PostgreSQL. "local" / "inngest" force one or the other.
    JOBS_MODE: z.enum(["auto", "local", "inngest"]).default("auto"),
    // Inngest Cloud: the event key sends events, the signing key authenticates Inngest's calls to
    // /api/inngest (and the app's calls to Inngest). The fallback key is used during a rotation.
    INNGEST_EVENT_KEY: z.string().min(1).optional(),
    INNGEST_SIGNING_KEY: z.string().min(1).optional(),
    INNGEST_SIGNING_KEY_FALLBACK: z.string().min(1).optional(),
    // A self-hosted Inngest server (API and event endpoints, and its dashboard).
    INNGEST_BASE_URL: z.url().optional(),
    // The Inngest dev server (`npx inngest-cli dev`): "1" = http://localhost:8288, or its URL.
    INNGEST_DEV: z.string().min(1).optional(),
    // Local runner: jobs processed at once by this process, and an off switch for processes that
    // should only enqueue (another process runs the jobs).
    JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(5),
    JOBS_LOCAL_RUNNER: z.enum(["0", "1", "true", "false"]).optional().transform((v) => v !== "0" && v !== "false"),

    // ─── Listing ingestion (src/server/services/listings) ───
    // Requests per second this process sends to each marketplace while syncing, shared by every
    // seller account of the app (the providers limit per app: Mercado Livre answers 429 around 5–7/s).
    // Unset: 90 % of SANDBOX_RATE_LIMIT_PER_SECOND against the sandboxes, else 5 (ML) / 10 (Shopee).
    MERCADOLIVRE_SYNC_RPS: z.coerce.number().positive().max(1000).optional(),
    SHOPEE_SYNC_RPS: z.coerce.number().positive().max(1000).optional(),

    // ─── Mercado Livre (src/server/connectors/marketplace/mercadolivre) ───
    // Base URLs of the real API (https://api.mercadolibre.com) and consent host
    // (https://auth.mercadolivre.com.br). Unset: the built-in sandbox at ${APP_URL}/api/sandbox/mercadolivre.
    MERCADOLIVRE_API_URL: z.url().optional(),
    MERCADOLIVRE_AUTH_URL: z.url().optional(),
    // The app's credentials from developers.mercadolivre.com.br. Unset: the sandbox's public ones.
    MERCADOLIVRE_CLIENT_ID: z.string().min(1).optional(),
    MERCADOLIVRE_CLIENT_SECRET: z.string().min(1).optional(),
    // ─── Shopee Open Platform v2 (src/server/connectors/marketplace/shopee) ───
    // API host (https://partner.shopeemobile.com, or https://openplatform.shopee.com.br for servers
    // near the Americas). Unset: the real host when credentials are set, else the built-in sandbox
    // at ${APP_URL}/api/sandbox/shopee.
    SHOPEE_API_URL: z.url().optional(),
    // The app's Live partner id and key from open.shopee.com. Unset: the sandbox's public ones.
    SHOPEE_PARTNER_ID: z.coerce.number().int().positive().optional(),
    SHOPEE_PARTNER_KEY: z.string().min(1).optional(),
    // ─── Marketplace sandboxes (src/server/connectors/sandbox) ───
    // Items per sandbox seller account (10 … 100 000; generated on demand, no memory cost).
    SANDBOX_CATALOG_SIZE: z.coerce.number().int().min(10).max(100_000).default(300),
    // Requests per second per application before a sandbox answers 429 (0 = unlimited).
    SANDBOX_RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(0).max(10_000).default(10),

    // ─── Social networks (src/server/connectors/social, docs/social.md) ───
    // Each network's hosts; unset: the real hosts when the network's credentials are set, else the
    // built-in sandbox at ${APP_URL}/api/sandbox/<network>.
    INSTAGRAM_GRAPH_URL: z.url().optional(), // https://graph.instagram.com
    INSTAGRAM_API_URL: z.url().optional(), // https://api.instagram.com (code exchange)
    INSTAGRAM_AUTH_URL: z.url().optional(), // https://www.instagram.com (consent page)
    INSTAGRAM_APP_ID: z.string().min(1).optional(),
    INSTAGRAM_APP_SECRET: z.string().min(1).optional(),
    // Echoed back by the webhook subscription handshake (hub.verify_token).
    INSTAGRAM_WEBHOOK_VERIFY_TOKEN: z.string().min(1).optional(),
    TIKTOK_API_URL: z.url().optional(), // https://open.tiktokapis.com
    TIKTOK_AUTH_URL: z.url().optional(), // https://www.tiktok.com
    TIKTOK_CLIENT_KEY: z.string().min(1).optional(),
    TIKTOK_CLIENT_SECRET: z.string().min(1).optional(),
    TIKTOK_BUSINESS_API_URL: z.url().optional(), // https://business-api.tiktok.com (comments, account metrics)
    YOUTUBE_API_URL: z.url().optional(), // https://www.googleapis.com
    YOUTUBE_ANALYTICS_URL: z.url().optional(), // https://youtubeanalytics.googleapis.com
    GOOGLE_OAUTH_URL: z.url().optional(), // https://accounts.google.com
    GOOGLE_TOKEN_URL: z.url().optional(), // https://oauth2.googleapis.com
    GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    // Publishing: seconds to wait before each retry of a transient failure (and each check of an
    // unconfirmed post); after the last one the post fails (or stays unconfirmed for a person).
    PUBLISH_RETRY_DELAYS_S: z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .default("60,300,900")
      .transform((v) => v.split(",").map(Number)),
    // ─── Media (src/server/media) ───
    // Largest upload accepted, in MiB (each network's own limit is checked per variant).
    MEDIA_MAX_UPLOAD_MB: z.coerce.number().int().min(1).max(4096).default(512),
    // Where files live: a local folder by default; an S3 bucket when MEDIA_S3_BUCKET is set
    // (credentials from the AWS SDK's usual chain; MEDIA_S3_ENDPOINT for MinIO and the like).
    MEDIA_DIR: z.string().min(1).default(".data/media"),
    MEDIA_S3_BUCKET: z.string().min(1).optional(),
    MEDIA_S3_REGION: z.string().min(1).optional(),
    MEDIA_S3_ENDPOINT: z.url().optional(),
    // How long a signed media URL handed to a network stays valid.
    MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(86_400),
    // Optional external scanner run on every upload (e.g. "clamdscan --no-summary"); the file path
    // is appended; a non-zero exit rejects the file. The built-in checks always run.
    MEDIA_SCAN_COMMAND: z.string().min(1).optional(),
    // ─── Raw archive / data lake (src/server/services/archive, docs/data-lake.md) ───
    // Every payload fetched from a provider during ingestion, as gzip JSON lines: a local folder by
    // default, an S3 bucket when RAW_ARCHIVE_S3_BUCKET is set (region/endpoint default to MEDIA_S3_*).
    RAW_ARCHIVE_ENABLED: z.enum(["0", "1", "true", "false"]).default("1").transform((v) => v === "1" || v === "true"),
    RAW_ARCHIVE_DIR: z.string().min(1).default(".data/raw-archive"),
    RAW_ARCHIVE_S3_BUCKET: z.string().min(1).optional(),
    RAW_ARCHIVE_S3_REGION: z.string().min(1).optional(),
    RAW_ARCHIVE_S3_ENDPOINT: z.url().optional(),
    // Days of archive kept when the organization sets none (settings.rawArchiveRetentionDays).
    RAW_ARCHIVE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),

    // ─── Circuit breakers (docs/resilience.md) ───
    // Consecutive provider failures (5xx, timeouts, network, 429 beyond the inline retries) that
    // open one connection's breaker, and the provider-wide one (across every connection).
    CIRCUIT_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(1000).default(5),
    CIRCUIT_PROVIDER_FAILURE_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(10),
    // First open window; each failed probe doubles it, up to the maximum.
    CIRCUIT_OPEN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    CIRCUIT_MAX_OPEN_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),

    // ─── AI (src/server/ai, docs/ai.md) ───
    // Any OpenAI-compatible server: base URL up to and including /v1 (OpenAI, vLLM, Ollama's
    // http://localhost:11434/v1, …) and the model id it serves. Both set = provider configured;
    // otherwise every suggestion comes from the deterministic local generator.
    AI_BASE_URL: z.url().optional(),
    AI_MODEL: z.string().min(1).optional(),
    // Sent as a Bearer token; never logged. Local servers (Ollama, vLLM) usually need none.
    AI_API_KEY: z.string().min(1).optional(),
    // A provider call taking longer is aborted and the local generator answers instead.
    AI_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
    // The model's list prices, for the cost estimate metered into ai_usage. 0 = unknown (cost 0;
    // tokens and credits are still metered). E.g. 0.15 / 0.6 for a small hosted model.
    AI_PRICE_INPUT_USD_PER_MTOK: z.coerce.number().min(0).max(10_000).default(0),
    AI_PRICE_OUTPUT_USD_PER_MTOK: z.coerce.number().min(0).max(10_000).default(0),
    // Provider calls the action engine makes per generation run; the rest use the local generator.
    AI_MAX_SUGGESTIONS_PER_RUN: z.coerce.number().int().min(0).max(100_000).default(50),
    // Semantic search (docs/semantic-search.md): an embedding model of the OpenAI-compatible server
    // (its /embeddings endpoint). Unset = the deterministic local embedding (feature hashing).
    AI_EMBEDDING_MODEL: z.string().min(1).optional(),
    // Another server for embeddings only; unset = AI_BASE_URL (with AI_API_KEY).
    AI_EMBEDDING_BASE_URL: z.url().optional(),
    // List price of the embedding model for the cost estimate (USD per million input tokens).
    AI_EMBEDDING_PRICE_USD_PER_MTOK: z.coerce.number().min(0).max(10_000).default(0),

    // ─── Billing (src/server/billing, docs/billing.md) ───
    // Stripe secret key (sk_live_… / sk_test_…). Unset: billing test mode (plan changes apply
    // locally, no payment). Never logged.
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    // The webhook endpoint's signing secret (whsec_…) for /api/v1/webhooks/stripe. Never logged.
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    // Stripe's API base URL (a local double in tests).
    STRIPE_API_URL: z.url().default("https://api.stripe.com"),
  },
  client: {},
  experimental__runtimeEnv: {},
  skipValidation: !!process.env.SKIP_ENV_VALIDATION,
  emptyStringAsUndefined: true,
});
