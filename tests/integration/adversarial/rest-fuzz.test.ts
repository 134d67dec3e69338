/**
 * Fuzzing the REST dispatcher: every /api/v1 route of the route table (so routes added later are
 * covered) gets random query strings, path params and bodies (invalid JSON, arrays, huge, nasty
 * values) with a valid API key. Property: never a 5xx, always the JSON envelope.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DELETE, GET, PATCH, POST } from "~/app/api/v1/[...path]/route";
import { setRestSessionResolver } from "~/server/api/openapi/dispatch";
import { getRestRoutes } from "~/server/api/openapi/routes";
import { API_SCOPES } from "~/server/auth/scopes";
import { randomToken, sha256 } from "~/server/lib/crypto";
import { setApiRateLimits } from "~/server/lib/rate-limit";
import { createOrgFixture, db } from "../helpers/fixtures";
import { fuzzRuns, nasty } from "../helpers/fuzz";

const HANDLERS = { GET, POST, PATCH, DELETE } as const;
const RUNS = fuzzRuns(8);
let key: string;

beforeAll(async () => {
  setApiRateLimits({ store: "memory", keyPrefix: `rest-fuzz-${Date.now()}`, limits: { ipPerMinute: 1e6, readPerMinute: 1e6, writePerMinute: 1e6, authPerMinute: 1e6 } });
  setRestSessionResolver(async () => null);
  const fx = await createOrgFixture("rest-fuzz");
  key = `ssk_${randomToken(32)}`;
  await db.apiKey.create({
    data: { organizationId: fx.organizationId, name: "REST fuzz", prefix: key.slice(0, 12), keyHash: sha256(key), scopes: [...API_SCOPES], createdById: fx.users.OWNER.userId },
  });
});

afterAll(() => {
  setApiRateLimits(null);
  setRestSessionResolver(null);
});

const segment = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("%00", "..", "%2e%2e", "' OR '1'='1", "x".repeat(5000), "%ZZ"));
const query = fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("limit", "cursor", "__proto__", "status", "q")), segment), { maxLength: 4 });
const body = fc.oneof(
  fc.constantFrom("{", "[]", "null", "\"x\"", "1e999", "{\"__proto__\":{\"a\":1}}", "[".repeat(5000), "x".repeat(300_000)),
  nasty.map((value) => JSON.stringify(value) ?? "null"),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
);

describe("fuzzing the REST dispatcher", () => {
  for (const route of getRestRoutes()) {
    const method = route.openapi.method;
    it(`${method} ${route.openapi.path} never answers 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(segment, { minLength: route.pathParams.length, maxLength: route.pathParams.length }), query, body, async (params, pairs, rawBody) => {
          let i = 0;
          const path = route.openapi.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++] ?? ""));
          const search = new URLSearchParams(pairs).toString();
          const headers = new Headers({ authorization: `Bearer ${key}`, "content-type": "application/json" });
          const request = new Request(`http://localhost:3000/api/v1${path}${search ? `?${search}` : ""}`, {
            method,
            headers,
            ...(method === "GET" || method === "DELETE" ? {} : { body: rawBody }),
          });
          const response = await HANDLERS[method](request);
          const text = await response.text();
          if (response.status >= 500) throw new Error(`${method} ${path}?${search} → ${response.status}: ${text.slice(0, 300)}`);
          expect(() => JSON.parse(text) as unknown).not.toThrow();
        }),
        { numRuns: RUNS, verbose: 1 },
      );
    });
  }

  it("answers a body with a __proto__ key as a client error (it was a 500 in every POST route)", async () => {
    const response = await POST(
      new Request("http://localhost:3000/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: '{"__proto__":{"a":1}}' }),
    );
    expect(response.status).toBe(400);
  });
});
