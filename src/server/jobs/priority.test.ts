/**
 * The priority policy: expression → factor → graphile-worker priority (local runner), the factor
 * each of the app's functions gets for manual and automatic events, and the `priority` an Inngest
 * server receives when the app syncs.
 */
import { Inngest } from "inngest";
import { serve } from "inngest/edge";
import { describe, expect, it, vi } from "vitest";

vi.mock("~/env", async () => ({ env: (await import("./unit-env")).unitEnv }));
vi.mock("~/server/db", () => ({ db: {} }));

const { compilePriority, UnsupportedExpressionError } = await import("./local/expressions");
const { buildRegistry } = await import("./local/registry");
const { PRIORITY, clampPriorityFactor, queuePriorityOf, runPriority } = await import("./priority");
const { jobContextOf } = await import("./events");
const { INNGEST_APP_ID } = await import("./client");
const { functions } = await import("./functions");

const manual = { data: { organizationId: "o1", connectionId: "c1", trigger: "manual" } };
const automatic = { data: { organizationId: "o1", connectionId: "c1" } };

describe("priority expressions", () => {
  it("evaluates numbers, paths and (chained) conditionals", () => {
    expect(compilePriority("600")({})).toBe(600);
    expect(compilePriority("-60")({})).toBe(-60);
    expect(compilePriority("event.data.priority")({ data: { priority: 42 } })).toBe(42);
    const tiered = compilePriority(`event.data.plan == "pro" ? 300 : event.data.plan == "free" ? -30 : 0`);
    expect(tiered({ data: { plan: "pro" } })).toBe(300);
    expect(tiered({ data: { plan: "free" } })).toBe(-30);
    expect(tiered({ data: {} })).toBe(0);
    expect(compilePriority(`event.data.a == "x?y" ? 1 : 2`)({ data: { a: "x?y" } })).toBe(1);
  });

  it("refuses what it cannot evaluate instead of ignoring it", () => {
    expect(() => compilePriority("event.data.a > 1 ? 600 : 0")).toThrow(UnsupportedExpressionError);
    expect(() => compilePriority("event.data.a == 1 ? event.data.b == 2 ? 1 : 2 : 3")).toThrow(UnsupportedExpressionError);
    expect(() => compilePriority("event.data.a == 1 ? 600")).toThrow(UnsupportedExpressionError);
    expect(() => compilePriority("int(event.data.p)")).toThrow(UnsupportedExpressionError);
  });

  it("clips factors to Inngest's range, treats non-numbers as 0, and flips the sign for the queue", () => {
    expect(clampPriorityFactor(10_000)).toBe(600);
    expect(clampPriorityFactor(-10_000)).toBe(-600);
    expect(clampPriorityFactor("600")).toBe(0);
    expect(clampPriorityFactor(undefined)).toBe(0);
    expect(clampPriorityFactor(12.7)).toBe(12);
    expect(queuePriorityOf(PRIORITY.USER_VISIBLE)).toBe(-600);
    expect(queuePriorityOf(PRIORITY.BULK)).toBe(60);
    expect(queuePriorityOf(0)).toBe(0);
    expect(Object.is(queuePriorityOf(0), -0)).toBe(false);
  });

  it("marks events a person started as manual, and only those", () => {
    const ctx = { tenant: { organizationId: "o1", userId: "u1" }, request: { correlationId: "r1" } };
    expect(jobContextOf(ctx)).toMatchObject({ trigger: "manual" });
    const manualElseBulk = compilePriority(runPriority.manualElseBulk.run);
    expect(manualElseBulk({ data: jobContextOf(ctx) })).toBe(PRIORITY.USER_VISIBLE);
    expect(manualElseBulk({ data: { organizationId: "o1", userId: "u1" } })).toBe(PRIORITY.BULK);
  });
});

describe("the app's functions (local runner registry)", () => {
  const registry = buildRegistry(INNGEST_APP_ID, functions);
  const queuePriority = (slug: string, event: unknown) => {
    const fn = registry.byId.get(`${INNGEST_APP_ID}-${slug}`);
    if (!fn) throw new Error(`no function ${slug}`);
    return fn.priorityFor(event);
  };

  it("puts user-visible work first and bulk work last", () => {
    // Always user-visible: applying an approved action, publishing a due post (the dispatcher is a cron).
    expect(queuePriority("apply-action", automatic)).toBe(-600);
    expect(queuePriority("publish-publication", automatic)).toBe(-600);
    // A sync, an analytics sync or a rescore a person asked for vs. the ones cron and chains send.
    for (const slug of ["sync-listings", "social-analytics-sync", "recompute-health-scores"]) {
      expect(queuePriority(slug, manual), slug).toBe(-600);
      expect(queuePriority(slug, automatic), slug).toBe(60);
    }
    // Always bulk.
    expect(queuePriority("backfill-listing-sales", manual)).toBe(60);
    expect(queuePriority("reconcile-listings-daily", {})).toBe(60);
    expect(queuePriority("social-analytics-fan-out", {})).toBe(60);
    // Everything else keeps the default.
    expect(queuePriority("send-comment-reply", manual)).toBe(0);
    expect(queuePriority("purge-soft-deleted", {})).toBe(0);
  });

  it("no longer lists priority among the options it does not enforce", () => {
    for (const fn of registry.byId.values()) expect(fn.ignoredOptions, fn.id).not.toContain("priority");
  });
});

describe("what an Inngest server receives", () => {
  it("the serve handler's sync (PUT) registers each function's priority expression", async () => {
    const registered: { functions: { id: string; priority?: { run?: string } }[] }[] = [];
    // A client whose requests to the Inngest API are captured: the body is what a server would store.
    const client = new Inngest({
      id: INNGEST_APP_ID,
      isDev: true,
      baseUrl: "http://inngest-server.invalid",
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
        if (url.pathname === "/fn/register") registered.push(JSON.parse(String(init?.body)) as (typeof registered)[number]);
        return Response.json({ ok: true, modified: true });
      }) as typeof fetch,
    });
    const handler = serve({ client, functions });
    const response = await handler(new Request("http://app.test/api/inngest", { method: "PUT", headers: { host: "app.test" } }));
    expect(response.status).toBe(200);
    expect(registered).toHaveLength(1);
    const byId = new Map(registered[0]!.functions.map((f) => [f.id, f]));
    expect(byId.get(`${INNGEST_APP_ID}-apply-action`)?.priority).toEqual({ run: "600" });
    expect(byId.get(`${INNGEST_APP_ID}-publish-publication`)?.priority).toEqual({ run: "600" });
    expect(byId.get(`${INNGEST_APP_ID}-backfill-listing-sales`)?.priority).toEqual({ run: "-60" });
    expect(byId.get(`${INNGEST_APP_ID}-sync-listings`)?.priority).toEqual({ run: `event.data.trigger == "manual" ? 600 : -60` });
    expect(byId.get(`${INNGEST_APP_ID}-purge-soft-deleted`)?.priority).toBeUndefined();
  });
});
