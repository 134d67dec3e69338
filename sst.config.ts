// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- SST declares its globals ($config, sst, aws) in generated ambient types loaded this way
/// <reference path="./.sst/platform/config.d.ts" />

/**
 * AWS deployment (docs/deploy.md): a VPC with a NAT, PostgreSQL 16 on RDS in private subnets behind
 * RDS Proxy, a private encrypted media bucket, every secret as an `sst.Secret`, the Next.js app
 * (OpenNext on Lambda + CloudFront) in the VPC, and a migrator invoked on every deploy that changes
 * prisma/migrations. One module per concern in infra/, imported inside run() as SST requires.
 *
 * Checked without AWS by tests/unit/sst-config.test.ts (a recording stand-in of SST's globals).
 */
export default $config({
  app(input) {
    const isProduction = input?.stage === "production";
    return {
      name: "super-seller",
      home: "aws",
      removal: isProduction ? "retain" : "remove",
      protect: isProduction,
      // São Paulo by default; SUPER_SELLER_AWS_REGION picks another region at deploy time.
      providers: { aws: { region: (process.env.SUPER_SELLER_AWS_REGION || "sa-east-1") as "sa-east-1" } },
    };
  },
  async run() {
    const isProduction = $app.stage === "production";
    const region: string = $app.providers?.aws?.region ?? "sa-east-1";

    const { createNetwork } = await import("./infra/network");
    const { createDatabase } = await import("./infra/database");
    const { createStorage } = await import("./infra/storage");
    const { createSecrets } = await import("./infra/secrets");
    const { createMigrations } = await import("./infra/migrations");
    const { createApp } = await import("./infra/app");
    const { deployOutputs } = await import("./infra/outputs");

    const { vpc } = createNetwork({ isProduction });
    const { database } = createDatabase({ vpc, isProduction });
    const { media } = createStorage({ isProduction });
    const secrets = createSecrets();
    const { migrator, invocation } = createMigrations({ vpc, database });
    const { url } = createApp({ region, vpc, database, media, secrets, dependsOn: [invocation] });

    return deployOutputs({ url, media, database, migrator });
  },
});
