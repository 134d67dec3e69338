/**
 * PostgreSQL 16 on RDS in the VPC's private subnets, behind RDS Proxy.
 *
 * The app runs on Lambda: many short-lived instances, each with a small pg pool
 * (DATABASE_POOL_MAX=2). The proxy multiplexes them onto a bounded set of server connections, so a
 * traffic burst does not exhaust `max_connections` of a small instance.
 */
export function createDatabase({ vpc, isProduction }: { vpc: sst.aws.Vpc; isProduction: boolean }) {
  const database = new sst.aws.Postgres("Database", {
    vpc,
    version: "16.8",
    instance: isProduction ? "t4g.small" : "t4g.micro",
    storage: isProduction ? "100 GB" : "20 GB",
    database: "super_seller",
    proxy: true,
    transform: {
      // Clients (the app, the migrator) must speak TLS to the proxy; its certificate is from ACM.
      proxy: (args) => {
        args.requireTls = true;
      },
      instance: (args) => {
        args.storageEncrypted = true;
        args.publiclyAccessible = false;
        // Automated daily backups (point-in-time recovery inside the window), 03:00–04:00 in São Paulo.
        args.backupRetentionPeriod = isProduction ? 14 : 7;
        args.backupWindow = "06:00-07:00";
        args.maintenanceWindow = "sun:07:30-sun:08:30";
        args.copyTagsToSnapshot = true;
        args.autoMinorVersionUpgrade = true;
        args.deletionProtection = isProduction;
        args.skipFinalSnapshot = !isProduction;
        if (isProduction) args.finalSnapshotIdentifier = `${$app.name}-${$app.stage}-final`;
      },
    },
  });
  return { database };
}
