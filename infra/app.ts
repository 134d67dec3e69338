import { secretEnvironment, type SecretEnvName } from "./secrets";

type AppInput = {
  region: string;
  vpc: sst.aws.Vpc;
  database: sst.aws.Postgres;
  media: sst.aws.Bucket;
  secrets: Record<SecretEnvName, sst.Secret>;
  dependsOn: $util.Resource[];
};

/**
 * Deploy-time settings (shell environment of `npx sst deploy`, not secrets):
 * - SUPER_SELLER_DOMAIN: custom domain (e.g. app.superseller.com.br), in a Route 53 hosted zone of
 *   this account (SST creates the certificate and the records).
 * - SUPER_SELLER_APP_URL: the public URL when there is no custom domain (the CloudFront URL the
 *   first deploy prints). The app cannot read its own CloudFront URL while it is being created.
 * - INNGEST_BASE_URL: a self-hosted Inngest server instead of Inngest Cloud.
 * - OTEL_EXPORTER_OTLP_ENDPOINT: an OTLP/HTTP collector (headers go in the OtelExporterOtlpHeaders secret).
 */
export function createApp({ region, vpc, database, media, secrets, dependsOn }: AppInput) {
  const domain = process.env.SUPER_SELLER_DOMAIN || undefined;
  const appUrl = domain ? `https://${domain}` : process.env.SUPER_SELLER_APP_URL || undefined;
  if (!appUrl) {
    console.warn(
      "APP_URL unknown: set SUPER_SELLER_DOMAIN or SUPER_SELLER_APP_URL (the URL this deploy prints) and deploy again; OAuth callbacks and e-mail links need it.",
    );
  }

  const optional: Record<string, string> = {};
  if (appUrl) optional.APP_URL = appUrl;
  if (process.env.INNGEST_BASE_URL) optional.INNGEST_BASE_URL = process.env.INNGEST_BASE_URL;
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) optional.OTEL_EXPORTER_OTLP_ENDPOINT = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;

  const web = new sst.aws.Nextjs(
    "Web",
    {
      vpc,
      link: [database, media, ...Object.values(secrets)],
      domain,
      server: { memory: "1536 MB", timeout: "60 seconds" },
      environment: {
        // Through RDS Proxy (TLS, certificate from ACM), two connections per Lambda instance.
        DATABASE_URL: $interpolate`postgresql://${database.username}:${database.password}@${database.host}:${database.port}/${database.database}?sslmode=verify-full`,
        DATABASE_POOL_MAX: "2",
        MEDIA_S3_BUCKET: media.name,
        MEDIA_S3_REGION: region,
        JOBS_MODE: "inngest",
        // No provider URLs: each connector uses the real API once its credentials (secrets) are
        // set, and the built-in sandbox until then.
        OTEL_SERVICE_NAME: `super-seller-${$app.stage}`,
        // The built-in sandboxes (Stripe double included) are public routes: only a non-production
        // stage (the demo) serves them; production answers 404 there.
        ENABLE_SANDBOXES: $app.stage === "production" ? "0" : "1",
        ...optional,
        ...secretEnvironment(secrets),
      },
    },
    { dependsOn },
  );

  const url = appUrl ?? web.url;
  return { web, url };
}
