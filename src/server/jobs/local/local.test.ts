import { cron, eventType, Inngest } from "inngest";
import { describe, expect, it, vi } from "vitest";

vi.mock("~/env", async () => ({ env: (await import("../unit-env")).unitEnv }));
vi.mock("~/server/db", () => ({ db: {} }));

const { compileCondition, compileKey, UnsupportedExpressionError } = await import("./expressions");
const { buildRegistry } = await import("./registry");
const { parseInngestCron, scheduleTimes } = await import("./cron");
const { defaultRetryDelay } = await import("./engine");
const { localEventFetch, normalizeEvent, LOCAL_EVENT_API_URL } = await import("./send");
const { inngestDashboardUrl, resolveJobsMode } = await import("../mode");

const client = new Inngest({ id: "app", isDev: true });
const ping = eventType("test/ping");

describe("expressions", () => {
  it("builds concurrency keys from event paths and literals", () => {
    const event = { data: { orgId: "o1", seller: { id: 42 } } };
    expect(compileKey("event.data.orgId")(event)).toBe("o1");
    expect(compileKey(`event.data.orgId + "-" + event.data.seller.id`)(event)).toBe("o1-42");
    expect(compileKey("event.data.missing")(event)).toBe("");
  });

  it("evaluates ==, != and && conditions, including Inngest's match form", () => {
    const matches = compileCondition(`event.data.kind == "sale" && event.data.count != 0`);
    expect(matches({ data: { kind: "sale", count: 2 } })).toBe(true);
    expect(matches({ data: { kind: "sale", count: 0 } })).toBe(false);
    expect(matches({ data: { kind: "refund", count: 2 } })).toBe(false);
    expect(compileCondition("event.data.id == async.data.id")({ data: { id: "x" } }, { data: { id: "x" } })).toBe(true);
  });

  it("refuses what it cannot evaluate instead of ignoring it", () => {
    expect(() => compileCondition("event.data.total > 10")).toThrow(UnsupportedExpressionError);
    expect(() => compileKey("size(event.data.items)")).toThrow(UnsupportedExpressionError);
  });
});

describe("registry", () => {
  it("reads triggers, retries and the concurrency key of each function", () => {
    const serial = client.createFunction(
      { id: "serial", triggers: [ping, cron("TZ=America/Sao_Paulo 0 3 * * *")], retries: 2, concurrency: { limit: 1, key: "event.data.connectionId" } },
      async () => null,
    );
    const plain = client.createFunction({ id: "plain", triggers: [{ event: "test/ping", if: "event.data.ok == true" }] }, async () => null);
    const registry = buildRegistry("app", [serial, plain]);

    const s = registry.byId.get("app-serial")!;
    expect(s.maxAttempts).toBe(3);
    expect(s.crons).toEqual(["TZ=America/Sao_Paulo 0 3 * * *"]);
    expect(s.queueFor({ data: { connectionId: "c1" } })).toBe("c:app-serial:c1");
    expect(s.queueFor({ data: { connectionId: "c2" } })).not.toBe(s.queueFor({ data: { connectionId: "c1" } }));
    expect(registry.byId.get("app-plain")!.maxAttempts).toBe(5); // Inngest's default: 4 retries
    expect(registry.byId.get("app-plain")!.queueFor({})).toBeNull();

    expect(registry.forEvent("test/ping", { data: { ok: true } }).map((f) => f.id).sort()).toEqual(["app-plain", "app-serial"]);
    expect(registry.forEvent("test/ping", { data: { ok: false } }).map((f) => f.id)).toEqual(["app-serial"]);
    expect(registry.crons().map((c) => c.fn.id)).toEqual(["app-serial"]);
  });

  it("registers onFailure handlers and reports options it does not enforce", () => {
    const fn = client.createFunction(
      { id: "careful", triggers: [ping], throttle: { limit: 5, period: "1m" }, concurrency: [{ limit: 10 }], onFailure: async () => null },
      async () => null,
    );
    const registry = buildRegistry("app", [fn]);
    expect(registry.byId.get("app-careful-failure")).toMatchObject({ kind: "failure", maxAttempts: 2 });
    expect(registry.byId.get("app-careful")!.ignoredOptions).toEqual(["concurrency(limit 10)", "throttle"]);
  });
});

describe("cron", () => {
  it("reads the TZ= prefix and computes schedule times in that zone", () => {
    expect(parseInngestCron("TZ=America/Sao_Paulo 0 3 * * *")).toEqual({ pattern: "0 3 * * *", timezone: "America/Sao_Paulo" });
    expect(parseInngestCron("*/5 * * * *")).toEqual({ pattern: "*/5 * * * *", timezone: "UTC" });
    const times = scheduleTimes("TZ=America/Sao_Paulo 0 3 * * *", new Date("2026-03-01T00:00:00Z"), new Date("2026-03-03T00:00:00Z"));
    expect(times.map((d) => d.toISOString())).toEqual(["2026-03-01T06:00:00.000Z", "2026-03-02T06:00:00.000Z"]);
    expect(scheduleTimes("0 6 * * *", new Date("2026-03-01T06:00:00Z"), new Date("2026-03-01T06:00:00Z"))).toEqual([]);
  });
});

describe("retry backoff", () => {
  it("grows exponentially with jitter and is capped", () => {
    const delay = defaultRetryDelay(10_000, 60_000);
    for (let i = 0; i < 20; i++) {
      expect(delay(1)).toBeGreaterThanOrEqual(8_000);
      expect(delay(1)).toBeLessThanOrEqual(12_000);
      expect(delay(3)).toBeGreaterThanOrEqual(32_000);
      expect(delay(10)).toBeLessThanOrEqual(72_000);
    }
  });
});

describe("local event API", () => {
  it("fills in an id and timestamp, keeping the sender's idempotency id", () => {
    const e = normalizeEvent({ name: "a/b", data: { x: 1 } }, 1000);
    expect(e).toMatchObject({ name: "a/b", data: { x: 1 }, ts: 1000 });
    expect(e.id).toMatch(/[0-9a-f-]{36}/);
    expect(normalizeEvent({ name: "a/b", id: "mine", ts: 5 }).id).toBe("mine");
    expect(() => normalizeEvent({ data: {} })).toThrow();
  });

  it("answers Inngest APIs it does not implement with 501, and bad payloads with 400", async () => {
    const notImplemented = await localEventFetch(new URL("v1/runs/1", LOCAL_EVENT_API_URL), { method: "GET" });
    expect(notImplemented.status).toBe(501);
    const bad = await localEventFetch(new URL("e/key", LOCAL_EVENT_API_URL), { method: "POST", body: "{not json" });
    expect(bad.status).toBe(400);
  });
});

describe("jobs mode", () => {
  const base = { JOBS_MODE: "auto" as const, INNGEST_EVENT_KEY: undefined, INNGEST_SIGNING_KEY: undefined, INNGEST_BASE_URL: undefined, INNGEST_DEV: undefined };

  it("is local unless an Inngest server is configured (or a mode is forced)", () => {
    expect(resolveJobsMode(base)).toBe("local");
    expect(resolveJobsMode({ ...base, INNGEST_DEV: "0" })).toBe("local");
    expect(resolveJobsMode({ ...base, INNGEST_EVENT_KEY: "k" })).toBe("inngest");
    expect(resolveJobsMode({ ...base, INNGEST_SIGNING_KEY: "signkey-prod-1" })).toBe("inngest");
    expect(resolveJobsMode({ ...base, INNGEST_BASE_URL: "http://inngest:8288" })).toBe("inngest");
    expect(resolveJobsMode({ ...base, INNGEST_DEV: "1" })).toBe("inngest");
    expect(resolveJobsMode({ ...base, INNGEST_EVENT_KEY: "k", JOBS_MODE: "local" })).toBe("local");
  });

  it("points owners at the right dashboard", () => {
    expect(inngestDashboardUrl(base)).toBeNull();
    expect(inngestDashboardUrl({ ...base, INNGEST_DEV: "1" })).toBe("http://localhost:8288");
    expect(inngestDashboardUrl({ ...base, INNGEST_BASE_URL: "https://inngest.internal" })).toBe("https://inngest.internal");
    expect(inngestDashboardUrl({ ...base, INNGEST_EVENT_KEY: "k" })).toBe("https://app.inngest.com");
  });
});
