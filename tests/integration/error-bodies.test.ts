/**
 * Every API error answers JSON in one envelope, the REST dispatcher's:
 * `{ data: null, meta: { correlationId }, errors: [{ code, message, reason?, details?, fieldErrors? }] }`,
 * with the correlation id echoed in X-Correlation-Id. Through the catch-all REST route's real
 * handlers (real procedures, PostgreSQL), the proxy, the /api not-found route, the CORS preflight
 * and the tRPC route's CSRF refusal: 400, 401, 403, 404, 405, 413, 415, 429 and 500.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import * as notFoundRoute from "~/app/api/[...notFound]/route";
import { DELETE, GET, PATCH, POST, PUT } from "~/app/api/v1/[...path]/route";
import { proxy } from "~/proxy";
import { isJsonContentType, setRestSessionResolver } from "~/server/api/openapi/dispatch";
import { getOpenApiDocument } from "~/server/api/openapi/document";
import { API_SCOPES } from "~/server/auth/scopes";
import { randomToken, sha256 } from "~/server/lib/crypto";
import { setApiRateLimits } from "~/server/lib/rate-limit";
import { csrfRefusal, corsFor } from "~/server/security/policy";
import { createOrgFixture, db, type OrgFixture } from "./helpers/fixtures";

const APP = "http://localhost:3000";
const BASE = `${APP}/api/v1`;
const HANDLERS = { GET, POST, PATCH, DELETE, PUT } as const;
const HIGH = { ipPerMinute: 100_000, readPerMinute: 100_000, writePerMinute: 100_000, authPerMinute: 100_000 };
const ITEM_KEYS = ["code", "message", "reason", "details", "fieldErrors"];

let a: OrgFixture;
let b: OrgFixture;
let fullKey: string;
let readOnlyKey: string;

async function createKey(fx: OrgFixture, scopes: readonly string[]) {
  const key = `ssk_${randomToken(32)}`;
  await db.apiKey.create({
    data: { organizationId: fx.organizationId, name: "Error bodies", prefix: key.slice(0, 12), keyHash: sha256(key), scopes: [...scopes], createdById: fx.users.OWNER.userId },
  });
  return key;
}

type CallOptions = { key?: string | null; json?: unknown; body?: string; headers?: Record<string, string> };

function call(method: keyof typeof HANDLERS, path: string, opts: CallOptions = {}) {
  const headers = new Headers(opts.headers);
  const key = opts.key === undefined ? fullKey : opts.key;
  if (key) headers.set("authorization", `Bearer ${key}`);
  let body = opts.body;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return HANDLERS[method](new Request(`${BASE}${path}`, { method, headers, body }));
}

type ErrorItem = { code: string; message: string; reason?: string; details?: Record<string, unknown>; fieldErrors?: Record<string, string[]> };

/** The one error envelope; returns the error item for further checks. */
/** `reason`: the expected one, null for none, undefined to leave it unchecked. */
async function expectErrorBody(response: Response, status: number, code: string, reason: string | null | undefined): Promise<ErrorItem> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { data: unknown; meta: { correlationId: unknown }; errors: ErrorItem[] };
  expect(Object.keys(body).sort()).toEqual(["data", "errors", "meta"]);
  expect(body.data).toBeNull();
  expect(body.meta.correlationId).toEqual(expect.stringMatching(/^[A-Za-z0-9._:-]{8,128}$/));
  expect(response.headers.get("x-correlation-id")).toBe(body.meta.correlationId);
  expect(body.errors).toHaveLength(1);
  const item = body.errors[0]!;
  expect(item.code).toBe(code);
  expect(item.message).toEqual(expect.any(String));
  expect(item.message.length).toBeGreaterThan(0);
  // Never a stack, a file or a driver's message.
  expect(item.message).not.toMatch(/\bat .+\.(ts|js)|Error:|prisma|postgres/i);
  for (const key of Object.keys(item)) expect(ITEM_KEYS).toContain(key);
  if (reason === null) expect(item).not.toHaveProperty("reason");
  else if (reason !== undefined) expect(item.reason).toBe(reason);
  return item;
}

beforeAll(async () => {
  setRestSessionResolver(async () => null);
  a = await createOrgFixture("errbody-a");
  b = await createOrgFixture("errbody-b");
  fullKey = await createKey(a, API_SCOPES);
  readOnlyKey = await createKey(a, ["listings:read", "content:read"]);
});

beforeEach(() => {
  setApiRateLimits({ store: "memory", keyPrefix: `errbody-${randomToken(6)}`, limits: HIGH });
  setRestSessionResolver(async () => null);
});

afterAll(() => {
  setApiRateLimits(null);
  setRestSessionResolver(null);
});

describe("REST /api/v1 errors share one JSON envelope", () => {
  it("400: a body that is not JSON, not an object, or fails the input schema", async () => {
    await expectErrorBody(await call("POST", "/contents", { body: "{not json", headers: { "content-type": "application/json" } }), 400, "BAD_REQUEST", "invalidJson");
    await expectErrorBody(await call("POST", "/contents", { json: [1, 2] }), 400, "BAD_REQUEST", "bodyNotObject");
    const invalid = await expectErrorBody(await call("POST", "/contents", { json: { title: 42 } }), 400, "BAD_REQUEST", "invalidInput");
    expect(invalid.fieldErrors).toHaveProperty("title");
  });

  it("401: no credential, or a bearer credential that does not exist", async () => {
    // No credential at all: the procedure's own 401 (its message says to sign in).
    const anonymous = await expectErrorBody(await call("GET", "/listings", { key: null }), 401, "UNAUTHORIZED", undefined);
    expect(anonymous.message).toMatch(/sign in/i);
    await expectErrorBody(await call("GET", "/listings", { key: `ssk_${randomToken(32)}` }), 401, "UNAUTHORIZED", "invalidCredential");
    await expectErrorBody(await call("POST", "/auth/login", { key: null, json: { email: "ninguem@example.test", password: "senha errada 123" } }), 401, "UNAUTHORIZED", "invalidCredentials");
  });

  it("403: a cross-origin cookie write, and an API key without the scope", async () => {
    await expectErrorBody(await call("POST", "/contents", { key: null, json: { title: "x" }, headers: { origin: "https://evil.example" } }), 403, "FORBIDDEN", "crossOrigin");
    await expectErrorBody(await call("POST", "/contents", { key: null, json: { title: "x" }, headers: { "sec-fetch-site": "cross-site" } }), 403, "FORBIDDEN", "crossOrigin");
    await expectErrorBody(await call("POST", "/contents", { key: readOnlyKey, json: { title: "Post", networks: ["INSTAGRAM"] } }), 403, "FORBIDDEN", "apiKeyScope");
  });

  it("404: an unknown path, and another organization's row", async () => {
    await expectErrorBody(await call("GET", "/nope/nothing"), 404, "NOT_FOUND", "routeNotFound");
    await expectErrorBody(await call("GET", `/listings/${b.listingId}`), 404, "NOT_FOUND", "notFound");
  });

  it("405: a wrong method on a known path names the allowed ones (PUT included)", async () => {
    const put = await call("PUT", "/listings", { json: {} });
    expect(put.headers.get("allow")).toBe("GET");
    await expectErrorBody(put, 405, "METHOD_NOT_SUPPORTED", "methodNotAllowed");
    const del = await call("DELETE", "/auth/login", { key: null });
    expect(del.headers.get("allow")).toBe("POST");
    await expectErrorBody(del, 405, "METHOD_NOT_SUPPORTED", "methodNotAllowed");
  });

  it("413: a body over MAX_REQUEST_BODY_BYTES, declared or streamed", async () => {
    const big = JSON.stringify({ title: "x".repeat(1_100_000) });
    await expectErrorBody(await call("POST", "/contents", { body: big, headers: { "content-type": "application/json", "content-length": String(big.length) } }), 413, "PAYLOAD_TOO_LARGE", "bodyTooLarge");
    await expectErrorBody(await call("POST", "/contents", { body: big, headers: { "content-type": "application/json" } }), 413, "PAYLOAD_TOO_LARGE", "bodyTooLarge");
  });

  it("415: a body that is not declared as JSON (what a cross-site form sends) is refused, never parsed", async () => {
    const json = JSON.stringify({ title: "Post", networks: ["INSTAGRAM"] });
    const before = await db.content.count({ where: { organizationId: a.organizationId } });
    for (const type of ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      await expectErrorBody(await call("POST", "/contents", { body: json, headers: { "content-type": type } }), 415, "UNSUPPORTED_MEDIA_TYPE", "unsupportedMediaType");
    }
    await expectErrorBody(await call("POST", "/contents", { body: json }), 415, "UNSUPPORTED_MEDIA_TYPE", "unsupportedMediaType");
    await expectErrorBody(await call("POST", "/auth/login", { key: null, body: "email=a%40b.c&password=x", headers: { "content-type": "application/x-www-form-urlencoded" } }), 415, "UNSUPPORTED_MEDIA_TYPE", "unsupportedMediaType");
    expect(await db.content.count({ where: { organizationId: a.organizationId } })).toBe(before);
    // JSON with a charset, and a +json type, are JSON; an empty body needs no type.
    expect((await call("POST", "/contents", { json: { title: "Post JSON", networks: ["INSTAGRAM"] }, headers: { "content-type": "application/json; charset=utf-8" } })).status).toBe(201);
    expect(isJsonContentType("application/vnd.api+json")).toBe(true);
    expect(isJsonContentType("text/json")).toBe(false);
    expect(isJsonContentType("application/jsonp")).toBe(false);
    expect((await call("POST", `/actions/${a.titleActionId}/reject`, { headers: { "content-type": "text/plain" } })).status).toBe(200);
    // Documented on every operation with a body.
    const document = getOpenApiDocument() as unknown as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(document.paths["/contents"]!.post!.responses).toHaveProperty("415");
    expect(document.paths["/auth/login"]!.post!.responses).toHaveProperty("415");
    expect(document.paths["/listings"]!.get!.responses).not.toHaveProperty("415");
  });

  it("429: over the per-IP limit, with Retry-After and details.retryAfterSeconds", async () => {
    setApiRateLimits({ store: "memory", keyPrefix: `errbody-429-${randomToken(6)}`, limits: { ...HIGH, ipPerMinute: 1 } });
    const ip = { "x-forwarded-for": "192.0.2.77" };
    expect((await call("GET", "/listings", { headers: ip })).status).toBe(200);
    const refused = await call("GET", "/listings", { headers: ip });
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const item = await expectErrorBody(refused, 429, "TOO_MANY_REQUESTS", "rateLimited");
    expect(item.details).toMatchObject({ retryAfterSeconds: expect.any(Number) as number });
  });

  it("500: an unexpected throw is a generic Internal error, the cause only in the logs", async () => {
    // The cookie session lookup fails (Auth.js / its database down): the dispatcher's own catch.
    setRestSessionResolver(async () => {
      throw new Error("session store unreachable: postgres://secret@db");
    });
    const response = await call("GET", "/listings", { key: null });
    const item = await expectErrorBody(response.clone(), 500, "INTERNAL_SERVER_ERROR", null);
    expect(item.message).toBe("Internal error");
    expect(await response.text()).not.toContain("secret");
  });
});

describe("the other API answers use the same envelope", () => {
  const nextRequest = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
    new NextRequest(`${APP}${path}`, { method: init.method ?? "GET", headers: { "x-correlation-id": "req_errbody_0001", ...init.headers } });

  it("the tRPC route's CSRF refusal: 403 crossOrigin", async () => {
    const refused = csrfRefusal(nextRequest("/api/trpc/tenants.update", { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" } }));
    await expectErrorBody(refused!, 403, "FORBIDDEN", "crossOrigin");
    // Without a correlation id from the proxy, one is minted (never null).
    const bare = csrfRefusal(new Request(`${APP}/api/trpc/x`, { method: "POST", headers: { "sec-fetch-site": "cross-site" } }));
    await expectErrorBody(bare!, 403, "FORBIDDEN", "crossOrigin");
  });

  it("an unknown /api path: 404 routeNotFound", async () => {
    await expectErrorBody(await notFoundRoute.GET(nextRequest("/api/nothing/here")), 404, "NOT_FOUND", "routeNotFound");
    await expectErrorBody(await notFoundRoute.POST(new Request(`${APP}/api/nothing`, { method: "POST" })), 404, "NOT_FOUND", "routeNotFound");
  });

  it("the proxy's 413 for a declared oversized body, and a refused CORS preflight", async () => {
    const tooLarge = proxy(nextRequest("/api/v1/contents", { method: "POST", headers: { "content-length": String(50 * 1024 * 1024) } }));
    await expectErrorBody(tooLarge, 413, "PAYLOAD_TOO_LARGE", "bodyTooLarge");
    const preflight = corsFor(new Request(`${BASE}/listings`, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } }), "req_errbody_0002").preflight!;
    await expectErrorBody(preflight, 403, "FORBIDDEN", "originNotAllowed");
  });
});
