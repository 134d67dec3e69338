import createNextIntlPlugin from "next-intl/plugin";

import { API_CSP, baseSecurityHeaders } from "./src/server/security/headers.js";

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
  // The proxy sets the security headers of pages and API routes; the paths its matcher skips (static
  // assets, media, the sandboxes) get them here. Static files are data too: nothing may frame them.
  async headers() {
    const https = (process.env.APP_URL ?? "").startsWith("https:");
    const list = Object.entries({ ...baseSecurityHeaders({ https }), "Content-Security-Policy": API_CSP }).map(
      ([key, value]) => ({ key, value }),
    );
    return ["/_next/static/:path*", "/_next/image", "/favicon.ico", "/api/v1/media/:path*", "/api/sandbox/:path*"].map(
      (source) => ({ source, headers: list }),
    );
  },
  // Files read from node_modules at run time (not imported, so not traced by default): the offline
  // API reference's Swagger UI, the tRPC panel and its local Monaco editor.
  outputFileTracingIncludes: {
    "/api/v1/docs/assets/[file]": [
      "./node_modules/swagger-ui-dist/package.json",
      "./node_modules/swagger-ui-dist/swagger-ui-bundle.js",
      "./node_modules/swagger-ui-dist/swagger-ui.css",
    ],
    "/api/v1/docs": ["./node_modules/swagger-ui-dist/package.json"],
    // trpc-ui-zod4 reads its page, bundle and stylesheet next to its own module at run time.
    "/api/panel": ["./node_modules/trpc-ui-zod4/lib/react-app/*"],
    "/api/panel/monaco/[...path]": ["./node_modules/monaco-editor/min/vs/**/*"],
  },
};

export default withNextIntl(config);
