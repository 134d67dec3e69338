/**
 * Circuit breakers against the Mercado Livre sandbox served over real HTTP: failures open the
 * breaker, nothing reaches the sandbox while it is open, the background function sleeps instead of
 * failing, one probe half-opens it (a failed probe reopens it for twice as long), and a healthy
 * probe closes it so the sync completes. One connection's breaker does not block another's; the
 * provider-wide one blocks them all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { setMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import { createShopeeConnector } from "~/server/connectors/marketplace/shopee";
import { createShopeeSandbox } from "~/server/connectors/sandbox/shopee";
import { INNGEST_APP_ID } from "~/server/jobs/client";
import { actionFunctions } from "~/server/jobs/functions/actions-apply";
import { listingFunctions } from "~/server/jobs/functions/listings-sync";
import { startLocalRunner } from "~/server/jobs/local/runner";
import { insertAction } from "~/server/repositories/actions";
import { deleteAllCircuits } from "~/server/repositories/provider-circuits";
import { CircuitOpen } from "~/server/services/connectors/breaker-call";
import { beginConnect, completeConnect } from "~/server/services/connectors/connectors";
import { jobTenantCtx } from "~/server/services/connectors/job-ctx";
import { setPacingRate } from "~/server/services/connectors/pacing";
import { refreshConnectionToken } from "~/server/services/connectors/tokens";
import { startSync, syncNextPage, type SyncStepResult } from "~/server/services/listings/sync";
import { configureCircuits, connectionScopeKey, providerScopeKey } from "~/server/services/resilience/circuit-breaker";
import { serveFetch } from "../helpers/serve-fetch";
import { connectSandboxSeller, serveMercadoLivreSandbox, TEST_APP_URL, type ServedSandbox } from "./helpers/mercadolivre-sandbox";
import { callerFor, createOrgFixture, db, tenantCtxOf, type OrgFixture } from "./helpers/fixtures";

const CATALOG = 60;
const [SELLER_A, SELLER_B, SELLER_C] = [310_000_001, 310_000_002, 310_000_003];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every API request the sandbox received (token and fault-control paths excluded), with its answer. */
const requests: { at: number; path: string; status: number }[] = [];
/** Sellers whose item search answers 503 (a failing shard of the marketplace). */
const failingSellers = new Set<number>();
/** Token endpoint: requests received, and whether it answers 503. */
const tokenEndpoint = { requests: 0, failing: false };
let served: ServedSandbox;

beforeAll(async () => {
  served = await serveMercadoLivreSandbox(
    { catalogSize: CATALOG, rateLimitPerSecond: 0, notificationUrl: null, tokenSecret: "circuit-breaker-test" },
    {
      wrap: (handler) => async (request) => {
        const path = new URL(request.url).pathname;
        const seller = /\/users\/(\d+)\/items\/search/.exec(path)?.[1];
        if (path.endsWith("/oauth/token")) {
          tokenEndpoint.requests++;
          if (tokenEndpoint.failing) return Response.json({ message: "down", error: "service_unavailable", status: 503, cause: [] }, { status: 503 });
        }
        const response =
          seller && failingSellers.has(Number(seller))
            ? Response.json({ message: "shard down", error: "service_unavailable", status: 503, cause: [] }, { status: 503 })
            : await handler(request);
        if (!path.includes("/oauth/") && !path.includes("/_sandbox/") && !path.includes("/authorization")) requests.push({ at: Date.now(), path, status: response.status });
        return response;
      },
    },
  );
});

afterAll(async () => {
  await served?.close();
});

afterEach(async () => {
  served.sandbox.setFaults({});
  failingSellers.clear();
  tokenEndpoint.failing = false;
  await deleteAllCircuits(db);
});

const circuit = (key: string) => db.providerCircuit.findUnique({ where: { scopeKey: key } });
/** The outage notifications an organization received, oldest first: [subject, account]. */
const outageNotices = async (organizationId: string) =>
  (await db.notification.findMany({ where: { organizationId, kind: "connection.providerUnavailable" }, orderBy: { createdAt: "asc" } })).map((n) => {
    const params = n.params as { subject: string; account: string };
    return [params.subject, params.account];
  });

describe("circuit breaker through the local runner", () => {
  it("opens after N failures, sends nothing while open, sleeps the run, half-opens to one probe, backs off, then closes and the sync completes", async () => {
    const restore = configureCircuits({ failureThreshold: 3, providerFailureThreshold: 1000, openMs: 1500, maxOpenMs: 10_000 });
    const fx = await createOrgFixture("breaker-runner");
    // Only this test's sync in the queue: other organizations' Mercado Livre accounts are retired.
    await db.connection.updateMany({ where: { provider: "MERCADOLIVRE", organizationId: { not: fx.organizationId } }, data: { status: "DISCONNECTED" } });
    // The connect queues the first sync; the runner starts after the fault is set.
    const connection = await connectSandboxSeller(tenantCtxOf(fx), SELLER_A);
    // Three failures open it; the first probe fails too (a 4th), the second probe finds it healthy.
    served.sandbox.setFaults({ serverErrors: 4, serverErrorStatus: 500 });
    requests.length = 0;
    const runner = await startLocalRunner({ functions: listingFunctions, cron: false, pollIntervalMs: 50, retryDelay: () => 100, concurrency: 2 });
    const runStatusesWhileOpen = new Set<string>();
    let openedCountSeen = 0;
    try {
      await runner.ready;
      const deadline = Date.now() + 45_000;
      for (;;) {
        const [sync, row, run] = await Promise.all([
          db.connectionSync.findUnique({ where: { connectionId: connection.id } }),
          circuit(connectionScopeKey(connection.id)),
          db.jobRun.findFirst({ where: { organizationId: fx.organizationId, functionId: `${INNGEST_APP_ID}-sync-listings` }, orderBy: { createdAt: "asc" } }),
        ]);
        if (row?.state === "OPEN" && run) runStatusesWhileOpen.add(run.status);
        openedCountSeen = Math.max(openedCountSeen, row?.openedCount ?? 0);
        if (sync?.state === "COMPLETED" && run?.status === "COMPLETED") break;
        if (Date.now() > deadline) throw new Error(`sync did not finish: ${JSON.stringify({ sync, row, run })}`);
        await sleep(50);
      }
    } finally {
      await runner.stop();
      restore();
    }

    const failures = requests.filter((r) => r.status >= 500);
    expect(failures).toHaveLength(4);
    const [, , third, probeFailed] = failures;
    const firstOk = requests.find((r) => r.status === 200)!;
    // Between the 3rd failure and the first probe: no request at all, for the whole open window.
    expect(requests.filter((r) => r.at > third!.at && r.at < probeFailed!.at)).toEqual([]);
    expect(probeFailed!.at - third!.at).toBeGreaterThanOrEqual(1500 - 50);
    // The failed probe reopened it for twice as long; then a single probe got through and closed it.
    expect(requests.filter((r) => r.at > probeFailed!.at && r.at < firstOk.at)).toEqual([]);
    expect(firstOk.at - probeFailed!.at).toBeGreaterThanOrEqual(3000 - 50);
    expect(openedCountSeen).toBe(2);
    // The run waited (a step sleep) instead of failing while the breaker was open.
    expect(runStatusesWhileOpen.has("SLEEPING")).toBe(true);
    expect(runStatusesWhileOpen.has("FAILED")).toBe(false);
    expect(await circuit(connectionScopeKey(connection.id))).toMatchObject({ state: "CLOSED", failures: 0, openedCount: 0 });
    expect(await db.listing.count({ where: { organizationId: fx.organizationId, connectionId: connection.id } })).toBe(CATALOG);
  }, 60_000);
});

describe("scopes: per connection and per provider", () => {
  async function connected(fx: OrgFixture, seller: number) {
    const connection = await connectSandboxSeller(tenantCtxOf(fx), seller);
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const { generation } = await startSync(ctx, { connectionId: connection.id, mode: "full" });
    const step = () => syncNextPage(ctx, { connectionId: connection.id, generation });
    return { id: connection.id, step };
  }
  /** A step's result, or "threw" when it failed (the runner would retry it with backoff). */
  const attempt = (step: () => Promise<SyncStepResult>) => step().then((r) => r.kind, () => "threw");
  const searchesOf = (seller: number) => requests.filter((r) => r.path.includes(`/users/${seller}/items/search`)).length;

  it("one connection's open breaker leaves the others alone until the provider-wide breaker opens", async () => {
    const restore = configureCircuits({ failureThreshold: 2, providerFailureThreshold: 3, openMs: 60_000, maxOpenMs: 60_000 });
    try {
      const [fa, fb] = [await createOrgFixture("breaker-a"), await createOrgFixture("breaker-b")];
      const a = await connected(fa, SELLER_A);
      const b = await connected(fb, SELLER_B);
      const c = await connected(fb, SELLER_C);

      failingSellers.add(SELLER_A);
      expect(await attempt(a.step)).toBe("threw");
      // The second failure opens A's breaker: the step parks (waits) instead of failing again.
      expect(await attempt(a.step)).toBe("wait");
      expect(await circuit(connectionScopeKey(a.id))).toMatchObject({ state: "OPEN", failures: 2, lastErrorCode: "http_503" });
      expect(await circuit(providerScopeKey("MERCADOLIVRE"))).toMatchObject({ state: "CLOSED", failures: 2 });
      // A's organization is told once; B's is not (its accounts are fine).
      expect(await outageNotices(fa.organizationId)).toEqual([[connectionScopeKey(a.id), "LOJA_DEMO_SS"]]);
      expect(await outageNotices(fb.organizationId)).toEqual([]);
      const aSearches = searchesOf(SELLER_A);
      expect(await attempt(a.step)).toBe("wait");
      expect(searchesOf(SELLER_A)).toBe(aSearches);

      // B syncs completely while A is open; its successes reset the provider-wide count.
      let last: SyncStepResult | null = null;
      for (let i = 0; i < 20 && !last?.done; i++) last = await b.step();
      expect(last).toMatchObject({ kind: "done", processed: CATALOG });
      expect(await circuit(providerScopeKey("MERCADOLIVRE"))).toMatchObject({ state: "CLOSED", failures: 0 });
      expect(await circuit(connectionScopeKey(a.id))).toMatchObject({ state: "OPEN" });

      // B fails twice (B opens, provider count 2) and C once: 3 consecutive failures across
      // accounts open the provider-wide breaker.
      const b2 = await connected(fb, SELLER_B);
      failingSellers.add(SELLER_B).add(SELLER_C);
      expect(await attempt(b2.step)).toBe("threw");
      expect(await attempt(b2.step)).toBe("wait");
      expect(await attempt(c.step)).toBe("wait");
      const provider = await circuit(providerScopeKey("MERCADOLIVRE"));
      expect(provider).toMatchObject({ state: "OPEN", failures: 3 });
      // C is healthy again, and its own breaker is closed, but the provider's blocks it: no request.
      failingSellers.delete(SELLER_C);
      const cSearches = searchesOf(SELLER_C);
      expect(await attempt(c.step)).toBe("wait");
      expect(searchesOf(SELLER_C)).toBe(cSearches);
      expect(await circuit(connectionScopeKey(c.id))).toMatchObject({ state: "CLOSED", failures: 1 });
      // The provider-wide outage reaches both organizations (each once, whatever else is open);
      // B's own account was announced when it opened just before.
      expect(await outageNotices(fa.organizationId)).toEqual([[connectionScopeKey(a.id), "LOJA_DEMO_SS"], [providerScopeKey("MERCADOLIVRE"), "none"]]);
      expect(await outageNotices(fb.organizationId)).toEqual([[connectionScopeKey(b2.id), "CASA_COZINHA_SS"], [providerScopeKey("MERCADOLIVRE"), "none"]]);

      // What each organization's banner gets: B sees the provider and its own account, never A's.
      const bStatus = await (await callerFor(fb.users.VIEWER.userId)).connectors.circuits();
      expect(bStatus.timeZone).toBe("America/Sao_Paulo");
      expect(bStatus.circuits.map((x) => [x.scope, x.connectionId]).sort()).toEqual(
        [["connection", b2.id], ["provider", null]].sort(),
      );
      expect(bStatus.circuits.find((x) => x.scope === "provider")?.resumesAt).toEqual(provider!.reopenAt);
      const aStatus = await (await callerFor(fa.users.OWNER.userId)).connectors.circuits();
      expect(aStatus.circuits.map((x) => [x.scope, x.connectionId]).sort()).toEqual([["connection", a.id], ["provider", null]].sort());
    } finally {
      restore();
    }
  }, 60_000);
});

describe("applying an action while the breaker is open", () => {
  it("the apply function sleeps until the reopen time without spending a retry, then applies with the probe and closes the breaker", async () => {
    const restore = configureCircuits({ failureThreshold: 2, providerFailureThreshold: 1000, openMs: 2500, maxOpenMs: 10_000 });
    const fx = await createOrgFixture("breaker-apply");
    const connection = await connectSandboxSeller(tenantCtxOf(fx), SELLER_B);
    const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
    const first = await startSync(ctx, { connectionId: connection.id, mode: "full" });
    for (let i = 0; i < 20; i++) if ((await syncNextPage(ctx, { connectionId: connection.id, generation: first.generation })).done) break;
    const listing = await db.listing.findFirstOrThrow({
      where: { organizationId: fx.organizationId, connectionId: connection.id, status: "ACTIVE", soldQuantity: 0, hasVariations: false, catalogListing: false },
      orderBy: { externalId: "asc" },
    });
    // The account's marketplace calls fail twice: its breaker opens for 2.5 s.
    failingSellers.add(SELLER_B);
    const again = await startSync(ctx, { connectionId: connection.id, mode: "full" });
    const step = () => syncNextPage(ctx, { connectionId: connection.id, generation: again.generation }).then((r) => r.kind, () => "threw");
    expect([await step(), await step()]).toEqual(["threw", "wait"]);
    failingSellers.clear();
    const open = await circuit(connectionScopeKey(connection.id));
    expect(open).toMatchObject({ state: "OPEN" });

    const { id } = await insertAction(db, fx.organizationId, { listingId: listing.id, type: "RESTOCK_ALERT", payload: { currentStock: 1, daysOfCover: 1, suggestedStock: 37 }, reason: "test", expectedGain: 5 });
    await (await callerFor(fx.users.OPERATOR.userId)).actions.approve({ id });
    const approvedAt = Date.now();
    const runner = await startLocalRunner({ functions: actionFunctions, cron: false, pollIntervalMs: 50, retryDelay: () => 100, concurrency: 2 });
    const runStatusesWhileOpen = new Set<string>();
    try {
      await runner.ready;
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [action, row, run] = await Promise.all([
          db.action.findUniqueOrThrow({ where: { id } }),
          circuit(connectionScopeKey(connection.id)),
          db.jobRun.findFirst({ where: { organizationId: fx.organizationId, functionId: `${INNGEST_APP_ID}-apply-action` } }),
        ]);
        if (row?.state === "OPEN" && run) runStatusesWhileOpen.add(run.status);
        if (action.status === "APPLIED") break;
        if (Date.now() > deadline) throw new Error(`not applied: ${JSON.stringify({ action, row, run })}`);
        await sleep(50);
      }
    } finally {
      await runner.stop();
      restore();
    }
    // Nothing reached the marketplace before the reopen time; the write went out after it.
    const sent = requests.filter((r) => r.at >= approvedAt);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent[0]!.at).toBeGreaterThanOrEqual(open!.reopenAt!.getTime() - 50);
    expect(runStatusesWhileOpen.has("SLEEPING")).toBe(true);
    expect(await db.action.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "APPLIED", attempts: 1 });
    expect(await circuit(connectionScopeKey(connection.id))).toMatchObject({ state: "CLOSED", failures: 0 });
  }, 60_000);
});

describe("token refresh", () => {
  it("a failing token endpoint opens the account's breaker; while open no refresh is sent and the connection keeps its tokens", async () => {
    const restore = configureCircuits({ failureThreshold: 2, providerFailureThreshold: 1000, openMs: 60_000, maxOpenMs: 60_000 });
    try {
      const fx = await createOrgFixture("breaker-refresh");
      const connection = await connectSandboxSeller(tenantCtxOf(fx), SELLER_A);
      const stored = await db.connection.findUniqueOrThrow({ where: { id: connection.id } });
      const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
      tokenEndpoint.failing = true;
      const before = tokenEndpoint.requests;
      for (let i = 0; i < 2; i++) await expect(refreshConnectionToken(ctx, connection.id, { force: true })).rejects.toMatchObject({ kind: "transient" });
      expect(tokenEndpoint.requests).toBe(before + 2);
      expect(await circuit(connectionScopeKey(connection.id))).toMatchObject({ state: "OPEN", failures: 2, lastErrorCode: "http_503" });

      // Open: refused before any request, as a CircuitOpen (the function retries at the reopen time).
      await expect(refreshConnectionToken(ctx, connection.id, { force: true })).rejects.toBeInstanceOf(CircuitOpen);
      expect(tokenEndpoint.requests).toBe(before + 2);
      // An outage is not a revoked authorization: still active, tokens untouched.
      expect(await db.connection.findUniqueOrThrow({ where: { id: connection.id } })).toMatchObject({
        status: "ACTIVE",
        accessTokenEnc: stored.accessTokenEnc,
        refreshTokenEnc: stored.refreshTokenEnc,
      });
    } finally {
      restore();
    }
  });
});

describe("Shopee", () => {
  it("timeouts open a Shopee account's breaker; nothing is sent while open; after the window the probe succeeds and the sync completes", async () => {
    const shopee = createShopeeSandbox({ seed: "circuit-breaker", catalogSize: 40, rateLimitPerSecond: 0, pushUrl: null });
    const shopeeRequests: number[] = [];
    const server = await serveFetch(async (request) => {
      if (new URL(request.url).pathname.includes("/api/v2/product/")) shopeeRequests.push(Date.now());
      return shopee.handler(request);
    });
    const restoreShopee = setMarketplaceConnector(
      createShopeeConnector({ apiUrl: server.url + "/api/sandbox/shopee", partnerId: shopee.partnerId, partnerKey: shopee.partnerKey, isSandbox: true, timeoutMs: 300 }),
    );
    setPacingRate("SHOPEE", 500);
    const restore = configureCircuits({ failureThreshold: 2, providerFailureThreshold: 1000, openMs: 1500, maxOpenMs: 1500 });
    try {
      const fx = await createOrgFixture("breaker-shopee");
      const tctx = tenantCtxOf(fx);
      const { authorizationUrl, sealedFlow } = await beginConnect(tctx, { provider: "SHOPEE", consentVersion: "shopee-2026-11", appUrl: TEST_APP_URL });
      const html = await (await fetch(authorizationUrl)).text();
      const link = /data-shop-id="\d+" href="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
      const connection = await completeConnect(tctx, { provider: "SHOPEE", sealedFlow, params: Object.fromEntries(new URL(link).searchParams.entries()), appUrl: TEST_APP_URL });
      const ctx = jobTenantCtx(db, { organizationId: fx.organizationId });
      const { generation } = await startSync(ctx, { connectionId: connection.id, mode: "full" });
      const step = () => syncNextPage(ctx, { connectionId: connection.id, generation });

      // The next two calls answer after the client's 300 ms timeout.
      shopee.injectFaults({ delayMs: 800, delayCount: 2 });
      expect(await step().then((r) => r.kind, () => "threw")).toBe("threw");
      expect((await step()).kind).toBe("wait");
      const open = await circuit(connectionScopeKey(connection.id));
      expect(open).toMatchObject({ state: "OPEN", failures: 2, lastErrorCode: "timeout" });
      const sent = shopeeRequests.length;
      expect((await step()).kind).toBe("wait");
      expect(shopeeRequests.length).toBe(sent);

      await sleep(open!.reopenAt!.getTime() - Date.now() + 20);
      shopee.clearFaults();
      let last: SyncStepResult | null = null;
      for (let i = 0; i < 20 && !last?.done; i++) last = await step();
      expect(last).toMatchObject({ kind: "done" });
      const done = last as Extract<SyncStepResult, { kind: "done" }>;
      expect(done.processed).toBe(done.total);
      expect(await db.listing.count({ where: { organizationId: fx.organizationId, connectionId: connection.id } })).toBe(done.total);
      expect(shopeeRequests[sent]!).toBeGreaterThanOrEqual(open!.reopenAt!.getTime());
      expect(await circuit(connectionScopeKey(connection.id))).toMatchObject({ state: "CLOSED", failures: 0 });
    } finally {
      restore();
      restoreShopee();
      await server.close();
    }
  }, 60_000);
});
