/**
 * Ingest N sandbox listings (default 100 000) of one Mercado Livre seller through the real path:
 * connect (OAuth with PKCE against the sandbox over HTTP) → the sync service driven page by page
 * exactly as the background function runs it → PostgreSQL. Reports wall time, requests/s achieved
 * against the sandbox's configured limit, the share of 429s, and peak memory (this process holds
 * the app code *and* the sandbox, so the figure is an upper bound for the app alone).
 */
import { it } from "vitest";

import { createMercadoLivreConnector } from "~/server/connectors/marketplace/mercadolivre";
import { setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import { createMercadoLivreSandbox } from "~/server/connectors/sandbox/mercadolivre";
import { logger } from "~/server/lib/logger";
import { beginConnect, completeConnect } from "~/server/services/connectors/connectors";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import type { TenantCtx } from "~/server/services/context";
import { startSync, syncNextPage } from "~/server/services/listings/sync";
import { serveFetch } from "../tests/helpers/serve-fetch";
import { createOrgFixture, db } from "../tests/integration/helpers/fixtures";
import { record } from "./helpers";

const LISTINGS = Number(process.env.BENCH_INGEST_LISTINGS ?? 100_000);
const RATE = Number(process.env.BENCH_SANDBOX_RATE ?? 100); // requests per second the sandbox allows
const SELLER = 310_000_001;
const APP_URL = "http://127.0.0.1:9";

it(`ingests ${LISTINGS} listings against a sandbox limited to ${RATE} req/s`, { timeout: 3_600_000 }, async () => {
  const sandbox = createMercadoLivreSandbox({ catalogSize: LISTINGS, rateLimitPerSecond: RATE, notificationUrl: null, tokenSecret: "bench" });
  const served = await serveFetch(sandbox.handler);
  const statuses = new Map<number, number>();
  const countingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    return response;
  };
  const connector = createMercadoLivreConnector({
    apiUrl: served.url,
    authUrl: served.url,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    isSandbox: true,
    timeoutMs: 30_000,
    fetch: countingFetch,
  });
  const restore = setMarketplaceConnector(connector);
  setPacingRate("MERCADOLIVRE", RATE);

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const fx = await createOrgFixture("ingest-bench");
    const ctx: TenantCtx = {
      db,
      userId: fx.users.OWNER.userId,
      request: { correlationId: "bench", ip: "127.0.0.1" },
      log: logger,
      tenant: { organizationId: fx.organizationId, userId: fx.users.OWNER.userId, role: "OWNER" },
    };
    const { authorizationUrl, sealedFlow } = await beginConnect(ctx, { provider: "MERCADOLIVRE", consentVersion: "mercadolivre-2026-11", appUrl: APP_URL });
    const authUrl = new URL(authorizationUrl);
    const form = new URLSearchParams(authUrl.searchParams);
    form.set("decision", "allow");
    form.set("user_id", String(SELLER));
    const consent = await fetch(`${authUrl.origin}${authUrl.pathname}`, { method: "POST", body: form, redirect: "manual" });
    const params = Object.fromEntries(new URL(consent.headers.get("location")!).searchParams.entries());
    const connection = await completeConnect(ctx, { provider: "MERCADOLIVRE", sealedFlow, params, appUrl: APP_URL });

    statuses.clear();
    const jobCtx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const started = performance.now();
    const { generation } = await startSync(jobCtx, { connectionId: connection.id, mode: "full" });
    let steps = 0;
    let waitedMs = 0;
    for (;;) {
      const result = await syncNextPage(jobCtx, { connectionId: connection.id, generation });
      steps++;
      if (result.kind === "wait") {
        waitedMs += result.waitMs;
        await new Promise((resolve) => setTimeout(resolve, result.waitMs));
      }
      if (result.done) break;
    }
    const wallMs = performance.now() - started;
    const listings = await db.listing.count({ where: { organizationId: fx.organizationId, connectionId: connection.id } });
    const snapshots = await db.listingMetricSnapshot.count({ where: { organizationId: fx.organizationId } });
    const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
    const tooMany = statuses.get(429) ?? 0;
    const achieved = requests / (wallMs / 1000);
    record("ingest", {
      listings,
      expectedListings: LISTINGS,
      metricSnapshots: snapshots,
      sandboxLimitPerSecond: RATE,
      wallSeconds: Math.round(wallMs / 100) / 10,
      steps,
      waitedSeconds: Math.round(waitedMs / 100) / 10,
      requests,
      requestsPerSecond: Math.round(achieved * 10) / 10,
      shareOfAllowedRate: Math.round((achieved / RATE) * 1000) / 10 + " %",
      answered429: tooMany,
      share429: Math.round((tooMany / Math.max(1, requests)) * 10000) / 100 + " %",
      statuses: Object.fromEntries(statuses),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
    });
  } finally {
    clearInterval(sampler);
    restore();
    await served.close();
  }
});
