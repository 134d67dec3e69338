// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- SST declares its globals ($config, sst, aws) in generated ambient types loaded this way
/// <reference path="./.sst/platform/config.d.ts" />

/**
 * AWS deployment (first version; the deployment issue completes it): a VPC with a NAT, PostgreSQL
 * in private subnets, the Next.js app linked to the database, a private media bucket and the
 * secrets. Secrets are `sst.Secret`s, never plain environment values in this file.
 */
export default $config({
  app(input) {
    return {
      name: "super-seller",
      home: "aws",
      removal: input?.stage === "production" ? "retain" : "remove",
      protect: input?.stage === "production",
      providers: { aws: { region: "sa-east-1" } },
    };
  },
  async run() {
    const isProduction = $app.stage === "production";

    const vpc = new sst.aws.Vpc("Vpc", { nat: "managed" });

    const database = new sst.aws.Postgres("Database", {
      vpc,
      version: "16.4",
      instance: isProduction ? "t4g.small" : "t4g.micro",
      storage: "20 GB",
      // Encrypted at rest with automated backups; never reachable from the internet.
      transform: {
        instance: (args) => {
          args.storageEncrypted = true;
          args.backupRetentionPeriod = isProduction ? 14 : 1;
          args.deletionProtection = isProduction;
          args.publiclyAccessible = false;
        },
      },
    });

    const media = new sst.aws.Bucket("Media", { access: undefined });

    const secrets = {
      authSecret: new sst.Secret("AuthSecret"),
      tokenEncryptionKey: new sst.Secret("TokenEncryptionKey"),
    };

    const app = new sst.aws.Nextjs("Web", {
      vpc,
      link: [database, media, ...Object.values(secrets)],
      environment: {
        DATABASE_URL: $interpolate`postgresql://${database.username}:${database.password}@${database.host}:${database.port}/${database.database}`,
        AUTH_SECRET: secrets.authSecret.value,
        TOKEN_ENCRYPTION_KEY: secrets.tokenEncryptionKey.value,
        APP_URL: isProduction ? "https://app.superseller.com.br" : "",
      },
    });

    return { url: app.url, inngestServeUrl: $interpolate`${app.url}/api/inngest` };
  },
});
