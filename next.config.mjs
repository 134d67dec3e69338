import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Build output for tests/e2e can be kept apart from `next dev`'s folder.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // pino and Prisma's pg adapter are server-only; keep them out of the bundler.
  serverExternalPackages: ["pino", "@prisma/adapter-pg", "pg"],
};

export default withNextIntl(config);
