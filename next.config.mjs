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
  // TikTok's API paths end in "/" (/v2/video/list/) and its clients do not follow redirects: the
  // sandbox mounted at /api/sandbox/tiktok must receive them as sent. Pages keep their canonical
  // form through the redirect in src/proxy.ts instead.
  skipTrailingSlashRedirect: true,
};

export default withNextIntl(config);
