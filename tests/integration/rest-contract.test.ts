/**
 * The REST API v1 against its own OpenAPI document: the document is a valid OpenAPI 3.1 document,
 * and every route of the route table is called through the catch-all route's handlers (real
 * procedures, real PostgreSQL) with an owner's API key holding every scope; each response body
 * is validated against the operation's response schema for its status. A route added without a
 * call here fails the test.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";

import { DELETE, GET, PATCH, POST } from "~/app/api/v1/[...path]/route";
import { getOpenApiDocument, type OpenApiDocument } from "~/server/api/openapi/document";
import { inputFromQuery, isCrossOriginCookieWrite, reviveDates, setRestSessionResolver } from "~/server/api/openapi/dispatch";
import { buildRoutes, getRestRoutes, type RestRoute } from "~/server/api/openapi/routes";
import { hashPassword } from "~/server/auth/password";
import { API_SCOPES } from "~/server/auth/scopes";
import { randomToken, sha256 } from "~/server/lib/crypto";
import { setApiRateLimits } from "~/server/lib/rate-limit";
import { createOrgFixture, db, type OrgFixture, uniqueEmail } from "./helpers/fixtures";

const BASE = "http://localhost:3000/api/v1";
const HANDLERS = { GET, POST, PATCH, DELETE } as const;

type Envelope = {
  data: unknown;
  meta: { correlationId: string; nextCursor?: string | null };
  errors: Array<{ code: string; message: string; reason?: string; details?: Record<string, unknown>; fieldErrors?: Record<string, string[]> }>;
};

let a: OrgFixture;
let b: OrgFixture;
let keyA: string;
let document: OpenApiDocument;
const LOGIN = { email: uniqueEmail("rest-login"), password: "girassol azul 42 correndo" };
const extraListings: string[] = [];

async function createKey(fx: OrgFixture, scopes: readonly string[] = API_SCOPES) {
  const key = `ssk_${randomToken(32)}`;
  await db.apiKey.create({
    data: { organizationId: fx.organizationId, name: "REST contract", prefix: key.slice(0, 12), keyHash: sha256(key), scopes: [...scopes], createdById: fx.users.OWNER.userId },
  });
  return key;
}

async function call(method: keyof typeof HANDLERS, path: string, opts: { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(opts.headers);
  const key = opts.key === undefined ? keyA : opts.key;
  if (key) headers.set("authorization", `Bearer ${key}`);
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined) headers.set("content-type", "application/json");
  const response = await HANDLERS[method](new Request(`${BASE}${path}`, { method, headers, body }));
  return { status: response.status, headers: response.headers, body: (await response.json()) as Envelope };
}

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

/** Validates a body against the documented response of (path template, method, status). */
function expectContract(template: string, method: string, status: number, body: unknown) {
  const operation = (document.paths[template] as Record<string, { responses: Record<string, { content: { "application/json": { schema: object } } }> }> | undefined)?.[method.toLowerCase()];
  expect(operation, `${method} ${template} is documented`).toBeDefined();
  const response = operation!.responses[String(status)];
  expect(response, `${method} ${template} documents status ${status}`).toBeDefined();
  // The operation's schema references #/components/…: validate with the components alongside.
  const validate = ajv.compile({ ...response!.content["application/json"].schema, components: document.components });
  const valid = validate(body);
  expect(valid ? [] : validate.errors, `${method} ${template} ${status} matches its documented schema`).toEqual([]);
}

type Case = { method: keyof typeof HANDLERS; path: () => string; body?: () => unknown; key?: () => string | null; status: number };

/** One call per route (keyed by procedure), in this order (rejecting before approving other rows). */
const CASES: Record<string, Case> = {
  "auth.signUp": { method: "POST", path: () => "/auth/register", key: () => null, body: () => ({ name: "Pessoa API", email: uniqueEmail("rest-register"), password: "um cavalo correto 99 bateria" }), status: 201 },
  "auth.login": { method: "POST", path: () => "/auth/login", key: () => null, body: () => LOGIN, status: 200 },
  "listings.list": { method: "GET", path: () => "/listings?limit=2&sort=recent", status: 200 },
  "listings.get": { method: "GET", path: () => `/listings/${a.listingId}`, status: 200 },
  "listings.metrics": { method: "GET", path: () => `/listings/${a.listingId}/metrics?days=7`, status: 200 },
  "scores.listing": { method: "GET", path: () => `/listings/${a.listingId}/score`, status: 200 },
  "scores.summary": { method: "GET", path: () => "/scores/summary", status: 200 },
  "actions.list": { method: "GET", path: () => "/actions?status=ALL&limit=10", status: 200 },
  "actions.recommendations": { method: "GET", path: () => "/actions/recommendations?limit=5", status: 200 },
  "actions.get": { method: "GET", path: () => `/actions/${a.failedActionId}`, status: 200 },
  "actions.reject": { method: "POST", path: () => `/actions/${a.titleActionId}/reject`, body: () => ({ note: "agora não" }), status: 200 },
  "actions.approve": {
    method: "POST",
    path: () => `/actions/${a.actionId}/approve`,
    body: () => ({ payload: { currentCount: 0, targetCount: 3, pictureUrls: ["https://example.com/foto-1.jpg"] } }),
    status: 200,
  },
  "content.list": { method: "GET", path: () => "/contents?limit=10", status: 200 },
  "content.get": { method: "GET", path: () => `/contents/${a.contentId}`, status: 200 },
  "content.create": { method: "POST", path: () => "/contents", body: () => ({ title: "Post pela API", baseCaption: "Legenda", networks: ["INSTAGRAM"] }), status: 201 },
  "publications.schedule": {
    method: "POST",
    path: () => "/publications",
    body: () => ({ contentId: a.contentId, targets: [{ connectionId: a.social.spareSocialConnectionId, scheduledAt: new Date(Date.now() + 2 * 86_400_000).toISOString() }] }),
    status: 201,
  },
  "publications.list": { method: "GET", path: () => "/publications?tab=scheduled", status: 200 },
  "publications.get": { method: "GET", path: () => `/publications/${a.social.publicationId}`, status: 200 },
  "connectors.list": { method: "GET", path: () => "/connections", status: 200 },
};

beforeAll(async () => {
  setApiRateLimits({ store: "memory", keyPrefix: `rest-contract-${Date.now()}`, limits: { ipPerMinute: 100_000, readPerMinute: 100_000, writePerMinute: 100_000, authPerMinute: 100_000 } });
  setRestSessionResolver(async () => null);
  a = await createOrgFixture("rest-a");
  b = await createOrgFixture("rest-b");
  keyA = await createKey(a);
  await db.user.create({ data: { email: LOGIN.email, name: "Login REST", passwordHash: await hashPassword(LOGIN.password), activeOrganizationId: a.organizationId } });
  const listing = await db.listing.findUniqueOrThrow({ where: { id: a.listingId } });
  for (let i = 0; i < 5; i++) {
    const row = await db.listing.create({
      data: { organizationId: a.organizationId, connectionId: listing.connectionId, provider: "MERCADOLIVRE", externalId: `${listing.externalId}-${i}`, title: `Extra ${i}`, priceCents: 1000 + i },
    });
    extraListings.push(row.id);
  }
  document = getOpenApiDocument();
});

afterAll(() => {
  setApiRateLimits(null);
  setRestSessionResolver(null);
});

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toBe("3.1.0");
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)) as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("documents scopes, roles and errors per operation", () => {
    const approve = document.paths["/actions/{id}/approve"]!.post as Record<string, unknown> & { responses: Record<string, unknown>; description: string };
    expect(approve.operationId).toBe("actions.approve");
    expect(approve["x-required-scope"]).toBe("actions:write");
    expect(approve.description).toMatch(/actions:write.*OWNER, MANAGER, OPERATOR/);
    expect(Object.keys(approve.responses).sort()).toEqual(["200", "400", "401", "402", "403", "404", "409", "412", "413", "415", "429", "500", "503"]);
    const list = document.paths["/listings"]!.get as { parameters: Array<{ name: string; in: string }> };
    expect(list.parameters.map((p) => p.name).sort()).toEqual(["categoryId", "cursor", "health", "limit", "provider", "search", "sort", "status"]);
    const login = document.paths["/auth/login"]!.post as Record<string, unknown>;
    expect(login.security).toEqual([]);
  });

  it("refuses a badly annotated procedure at load", () => {
    const proc = (type: "query" | "mutation", method: "GET" | "POST", path: `/${string}`, inputs: unknown[] = []) => ({
      _def: { type, inputs, meta: { openapi: { method, path, summary: "x", tags: [], output: {} as never } } },
    });
    expect(() => buildRoutes({ "a.b": proc("mutation", "GET", "/a") })).toThrow(/a\.b: GET \/a must be a query/);
    expect(() => buildRoutes({ "a.b": proc("query", "GET", "/a"), "a.c": proc("query", "GET", "/a") })).toThrow(/already served by a\.b/);
    expect(() => buildRoutes({ "a.b": proc("query", "GET", "/a/{id}") })).toThrow(/\{id\}.*not a field of its input/);
  });
});

describe("every route answers its contract", () => {
  it("has a call for every route (and no call for a route that does not exist)", () => {
    expect(getRestRoutes().map((r) => r.procedure).sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))("%s", async (procedure, c) => {
    const route = getRestRoutes().find((r) => r.procedure === procedure)!;
    const res = await call(c.method, c.path(), { key: c.key ? c.key() : undefined, body: c.body?.() });
    expect(res.body.errors, JSON.stringify(res.body.errors)).toEqual([]);
    expect(res.status).toBe(c.status);
    expect(res.headers.get("x-correlation-id")).toBe(res.body.meta.correlationId);
    expect(res.headers.get("ratelimit-limit")).toBeTruthy();
    expectContract(route.openapi.path, route.openapi.method, res.status, res.body);
  });
});

describe("errors", () => {
  it("401 without a credential and with a bad key", async () => {
    const anonymous = await call("GET", "/listings", { key: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ data: null, errors: [{ code: "UNAUTHORIZED" }] });
    expectContract("/listings", "GET", 401, anonymous.body);
    const bad = await call("GET", "/listings", { key: `ssk_${randomToken(32)}` });
    expect(bad.status).toBe(401);
    expect(bad.body.errors[0]!.code).toBe("UNAUTHORIZED");
    expectContract("/listings", "GET", 401, bad.body);
  });

  it("403 for a key without the scope", async () => {
    const readOnly = await createKey(a, ["listings:read"]);
    const res = await call("POST", `/actions/${a.failedActionId}/reject`, { key: readOnly, body: {} });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]).toMatchObject({ code: "FORBIDDEN", reason: "apiKeyScope" });
    expectContract("/actions/{id}/reject", "POST", 403, res.body);
  });

  it("400 with fieldErrors on bad input", async () => {
    const res = await call("GET", "/listings?limit=0&status=NOPE");
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code: "BAD_REQUEST", reason: "invalidInput" });
    expect(Object.keys(res.body.errors[0]!.fieldErrors ?? {}).sort()).toEqual(["limit", "status"]);
    expectContract("/listings", "GET", 400, res.body);
    const body = await call("POST", "/contents", { body: { title: "" } });
    expect(body.status).toBe(400);
    expect(body.body.errors[0]!.fieldErrors?.title).toBeDefined();
  });

  it("400 for a malformed JSON body or one that is not an object; 413 for a huge one", async () => {
    const target = `/actions/${a.failedActionId}/reject`;
    const broken = await call("POST", target, { rawBody: "{not json" });
    expect(broken.status).toBe(400);
    expect(broken.body.errors[0]!.reason).toBe("invalidJson");
    expectContract("/actions/{id}/reject", "POST", 400, broken.body);
    const string = await call("POST", target, { rawBody: '"just a string"' });
    expect(string.status).toBe(400);
    expect(string.body.errors[0]!.reason).toBe("bodyNotObject");
    const huge = await call("POST", "/contents", { rawBody: JSON.stringify({ title: "x", baseCaption: "a".repeat(2_000_000) }) });
    expect(huge.status).toBe(413);
    expectContract("/contents", "POST", 413, huge.body);
    // Nothing was rejected by the refused calls.
    expect((await db.action.findUniqueOrThrow({ where: { id: a.failedActionId } })).status).toBe("FAILED");
  });

  it("an empty body counts as {} and a second approval is 409 actionAlreadyApproved", async () => {
    const action = await db.action.create({
      data: { organizationId: a.organizationId, listingId: a.listingId, type: "ADJUST_PRICE", payload: { fromCents: 1990, toCents: 1790, referenceCents: 1790 }, reason: "price_above_reference" },
    });
    const first = await call("POST", `/actions/${action.id}/approve`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.data).toEqual({ id: action.id, status: "APPROVED" });
    const again = await call("POST", `/actions/${action.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ data: null, errors: [{ code: "CONFLICT", reason: "actionAlreadyApproved" }] });
    expectContract("/actions/{id}/approve", "POST", 409, again.body);
  });

  it("404 for another organization's listing", async () => {
    const res = await call("GET", `/listings/${b.listingId}`);
    expect(res.status).toBe(404);
    expect(res.body.errors[0]!.code).toBe("NOT_FOUND");
    expect(JSON.stringify(res.body)).not.toContain(b.organizationId);
    expectContract("/listings/{id}", "GET", 404, res.body);
  });

  it("404 for an unknown path, 405 with Allow for a known path and the wrong method", async () => {
    const unknown = await call("GET", "/nothing/here");
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ data: null, errors: [{ code: "NOT_FOUND", reason: "routeNotFound" }] });
    const wrong = await call("DELETE", "/listings");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
    expect(wrong.body.data).toBeNull();
    const wrongPost = await call("PATCH", "/contents");
    expect(wrongPost.headers.get("allow")).toBe("GET, POST");
  });

  it("refuses cross-origin cookie writes (CSRF), not bearer ones nor same-origin ones", async () => {
    const req = (headers: Record<string, string>, method = "POST") => new Request(`${BASE}/contents`, { method, headers });
    const app = "http://localhost:3000";
    expect(isCrossOriginCookieWrite(req({ origin: "https://evil.example" }), app)).toBe(true);
    expect(isCrossOriginCookieWrite(req({ origin: app }), app)).toBe(false);
    expect(isCrossOriginCookieWrite(req({}), app)).toBe(false);
    expect(isCrossOriginCookieWrite(req({ origin: "https://evil.example", authorization: "Bearer ssk_x" }), app)).toBe(false);
    expect(isCrossOriginCookieWrite(req({ origin: "https://evil.example" }, "GET"), app)).toBe(false);
    // Through the handler: refused before any session or body is looked at.
    const res = await call("POST", "/contents", { key: null, body: { title: "csrf" }, headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(403);
    expect(res.body.errors[0]!.reason).toBe("crossOrigin");
    expect(await db.content.count({ where: { organizationId: a.organizationId, title: "csrf" } })).toBe(0);
  });
});

describe("pagination", () => {
  it("walks meta.nextCursor over several pages without duplicates", async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const res = await call("GET", `/listings?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      expectContract("/listings", "GET", 200, res.body);
      seen.push(...(res.body.data as Array<{ id: string }>).map((l) => l.id));
      cursor = res.body.meta.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual([a.listingId, ...extraListings].sort());
  });

  it("the pending queue only holds PENDING actions", async () => {
    await db.action.create({ data: { organizationId: a.organizationId, listingId: a.listingId, type: "PAUSE_LISTING", payload: {}, reason: "rest queue" } });
    const res = await call("GET", "/actions/recommendations?limit=50");
    const statuses = (res.body.data as Array<{ status: string }>).map((x) => x.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(["PENDING"]));
    const all = await call("GET", "/actions?status=ALL&limit=50");
    expect((all.body.data as Array<{ status: string }>).some((x) => x.status !== "PENDING")).toBe(true);
  });
});

describe("input building", () => {
  const input = z.object({
    limit: z.number().int().default(25),
    archived: z.boolean().optional(),
    since: z.date().optional(),
    tags: z.array(z.string()).optional(),
    counts: z.array(z.number()).optional(),
    search: z.string().optional(),
  });
  const route = { input, pathParams: [] } as unknown as RestRoute;

  it("coerces query parameters to the input's types, arrays from repeated keys", () => {
    const built = inputFromQuery(route, new URLSearchParams("limit=10&archived=true&since=2026-01-02T03:04:05Z&tags=a&tags=b&counts=1&counts=2&search=42&other=x"));
    expect(built).toEqual({ limit: 10, archived: true, since: new Date("2026-01-02T03:04:05Z"), tags: ["a", "b"], counts: [1, 2], search: "42" });
    // What does not fit is passed as given, so the schema refuses it (400) rather than guessing.
    expect(inputFromQuery(route, new URLSearchParams("limit=ten&archived=maybe&since=yesterday"))).toEqual({ limit: "ten", archived: "maybe", since: "yesterday" });
  });

  it("revives ISO dates in JSON bodies where the input wants a Date, nested too", () => {
    const schema = z.object({ at: z.date(), targets: z.array(z.object({ when: z.date(), note: z.string() })), label: z.string() });
    expect(reviveDates(schema, { at: "2026-01-01T00:00:00Z", targets: [{ when: "2026-02-01T00:00:00Z", note: "2026-03-01T00:00:00Z" }], label: "2026-04-01T00:00:00Z" })).toEqual({
      at: new Date("2026-01-01T00:00:00Z"),
      targets: [{ when: new Date("2026-02-01T00:00:00Z"), note: "2026-03-01T00:00:00Z" }],
      label: "2026-04-01T00:00:00Z",
    });
  });
});
