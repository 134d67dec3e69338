import { PROVIDER_URL_SLUGS, WEBHOOK_URL_SLUGS } from "./providers";

/** What `npx sst deploy` prints: the URLs to register with Inngest, Stripe and each provider. */
export function deployOutputs({
  url,
  media,
  database,
  migrator,
}: {
  url: $util.Input<string>;
  media: sst.aws.Bucket;
  database: sst.aws.Postgres;
  migrator: sst.aws.Function;
}) {
  const providerUrls = Object.fromEntries([
    ...PROVIDER_URL_SLUGS.map((slug) => [`${slug}RedirectUrl`, $interpolate`${url}/api/v1/auth/${slug}/callback`]),
    ...WEBHOOK_URL_SLUGS.map((slug) => [`${slug}WebhookUrl`, $interpolate`${url}/api/v1/webhooks/${slug}`]),
  ]);
  return {
    url,
    inngestServeUrl: $interpolate`${url}/api/inngest`,
    stripeWebhookUrl: $interpolate`${url}/api/v1/webhooks/stripe`,
    ...providerUrls,
    mediaBucket: media.name,
    databaseProxyHost: database.host,
    migratorFunction: migrator.name,
  };
}
