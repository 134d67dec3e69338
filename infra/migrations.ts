import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** sha256 over every migration's name and SQL: changes exactly when a migration is added or edited. */
export function migrationsHash(dir = path.join(process.cwd(), "prisma", "migrations")) {
  const hash = createHash("sha256");
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  for (const name of names) {
    hash.update(name).update("\0").update(readFileSync(path.join(dir, name, "migration.sql"))).update("\0");
  }
  return hash.digest("hex");
}

/**
 * Migrations on deploy: a function in the VPC (infra/functions/migrate.ts applies
 * prisma/migrations/* the way `prisma migrate deploy` does, recording them in _prisma_migrations)
 * invoked by the deploy itself whenever the migrations change. A failing migration fails the
 * deploy before the new app version goes live (the app depends on the invocation).
 */
export function createMigrations({ vpc, database }: { vpc: sst.aws.Vpc; database: sst.aws.Postgres }) {
  const migrator = new sst.aws.Function("Migrator", {
    handler: "infra/functions/migrate.handler",
    vpc,
    link: [database],
    timeout: "15 minutes",
    memory: "512 MB",
    copyFiles: [{ from: "prisma/migrations", to: "migrations" }],
    // pg has an optional native binding esbuild cannot resolve; install it instead of bundling.
    // Same version as package.json.
    nodejs: { install: { pg: "8.23.1" } },
    environment: { MIGRATIONS_DIR: "migrations" },
  });

  const hash = migrationsHash();
  const invocation = new aws.lambda.Invocation("MigratorInvocation", {
    functionName: migrator.name,
    input: JSON.stringify({ migrationsHash: hash }),
    // Re-invoked when a migration is added/changed, and when the function or database is replaced.
    triggers: {
      migrations: hash,
      function: migrator.arn,
      database: database.id,
    },
  });

  return { migrator, invocation };
}
