import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end journeys in the system's Chromium (never downloaded: `apt-get install chromium`).
 * Against E2E_BASE_URL when given; otherwise this config starts the production build
 * (`next build` first, with the same NEXT_DIST_DIR) on port 3100.
 */
const externalBaseUrl = process.env.E2E_BASE_URL;
const baseURL = externalBaseUrl ?? "http://localhost:3100";

// `next start` runs with NODE_ENV=production, where src/env.js insists on real secrets. These
// test-only values are used only when the caller did not provide their own.
const TEST_AUTH_SECRET = "e2e-only-auth-secret-0123456789abcdefghijklmnop";
const TEST_TOKEN_KEY = Buffer.alloc(32, 7).toString("base64");

export default defineConfig({
  testDir: "./e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    screenshot: "on",
    trace: "retain-on-failure",
    // An English browser on purpose: Portuguese must be the default whatever the browser prefers.
    locale: "en-US",
    timezoneId: "America/Sao_Paulo",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      // Without the networking flags Chromium keeps calling home on a closed network.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1280, height: 800 } } }],
  webServer: externalBaseUrl
    ? undefined
    : {
        command: "npm run start -- -p 3100",
        url: "http://localhost:3100/api/v1/health",
        reuseExistingServer: false,
        timeout: 60_000,
        stdout: "pipe",
        stderr: "pipe",
        env: {
          NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? ".next",
          AUTH_SECRET: process.env.AUTH_SECRET ?? TEST_AUTH_SECRET,
          TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY ?? TEST_TOKEN_KEY,
          // Always the server started here: the sandboxes and the OAuth callback live on it.
          APP_URL: baseURL,
          LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
          // The developers spec sends a test webhook to a receiver it starts on 127.0.0.1 over http,
          // which production refuses (SSRF guard) unless this test-only switch allows it.
          WEBHOOK_ALLOW_PRIVATE_URLS: process.env.WEBHOOK_ALLOW_PRIVATE_URLS ?? "1",
          // Production keeps the provider sandboxes off; the e2e journeys connect through them.
          ENABLE_SANDBOXES: process.env.ENABLE_SANDBOXES ?? "1",
        },
      },
});
