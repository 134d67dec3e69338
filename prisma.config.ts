import path from "node:path";
import { defineConfig } from "prisma/config";

// Offline machines cannot download Prisma's native schema engine. Our bridge speaks the same
// stdio JSON-RPC protocol and runs the WASM build of the engine instead (see
// scripts/prisma-schema-engine/README.md). A user who sets the variable keeps their own binary.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(
  import.meta.dirname,
  "scripts/prisma-schema-engine/bin.mjs",
);

// `prisma generate` needs no database, but the config must still parse when DATABASE_URL is
// unset: point at an address that can never be a real server instead of throwing.
const databaseUrl = process.env.DATABASE_URL ?? "postgresql://unset@127.0.0.1:1/unset";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: {
    path: "prisma/migrations",
    seed: "node --conditions=react-server --import tsx prisma/seed.ts",
  },
  datasource: {
    url: databaseUrl,
    shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL,
  },
});
