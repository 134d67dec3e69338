import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";

import * as notFoundRoute from "~/app/api/[...notFound]/route";
import * as stripeSandbox from "~/app/api/sandbox/stripe/[...path]/route";
import { config as proxyConfig, proxy } from "~/proxy";
import { isCrossOriginCookieWrite } from "~/server/api/openapi/dispatch";
import { csrfRefusal, sandboxGate } from "~/server/security/policy";

// The app's origin in tests (env.js default APP_URL).
const APP = "http://localhost:3000";

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(`${APP}${path}`, { method: init.method ?? "GET", headers: init.headers });
}

function expectBaseHeaders(headers: Headers) {
  expect(headers.get("x-content-type-options")).toBe("nosniff");
  expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
  expect(headers.get("x-frame-options")).toBe("DENY");
  expect(headers.get("permissions-policy")).toBe("camera=(), microphone=(), geolocation=()");
  expect(headers.get("cross-origin-opener-policy")).toBe("same-origin");
}

async function expectUniformError(response: Response, status: number, code: string, reason: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = (await response.json()) as { data: unknown; meta: { correlationId: unknown }; errors: { code: string; message: string }[] };
  expect(body.data).toBeNull();
  expect(body.meta).toHaveProperty("correlationId");
  expect(body.errors).toEqual([{ code, message: expect.any(String) as string, reason }]);
}

describe("security headers", () => {
  it("a page gets a CSP with a fresh nonce (also on the request, for Next's scripts) and no inline scripts", () => {
    const first = proxy(request("/dashboard"));
    const second = proxy(request("/dashboard"));
    expectBaseHeaders(first.headers);
    const csp = first.headers.get("content-security-policy")!;
    const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "))!;
    expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'/);
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'self'");
    expect(csp).toMatch(/form-action 'self' [^;]*https:\/\/auth\.mercadolivre\.com\.br/);
    // Next reads the nonce from the request's CSP (x-middleware-request-* headers).
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(second.headers.get("content-security-policy")).not.toBe(csp);
    // Plain http (tests, local): no HSTS pinning localhost.
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });

  it("an API route gets a CSP that loads nothing; the API reference and tRPC panel keep their own", () => {
    const api = proxy(request("/api/v1/products"));
    expectBaseHeaders(api.headers);
    expect(api.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    const docs = proxy(request("/api/v1/docs"));
    expectBaseHeaders(docs.headers);
    expect(docs.headers.get("content-security-policy")).toBeNull();
  });

  it("routes the proxy skips (static, media, sandboxes) get the same headers from next.config", async () => {
    expect(proxyConfig.matcher[0]).toContain("api/v1/media");
    const nextConfig = (await import("../../next.config.mjs")).default as { headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]> };
    const rules = await nextConfig.headers();
    for (const source of ["/_next/static/:path*", "/api/v1/media/:path*", "/api/sandbox/:path*"]) {
      const rule = rules.find((r) => r.source === source);
      expect(rule, source).toBeDefined();
      const headers = new Headers(rule!.headers.map((h) => [h.key, h.value] as [string, string]));
      expectBaseHeaders(headers);
      expect(headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    }
  });

  it("the proxy's own answers (redirect, 413) carry them too", async () => {
    const redirect = proxy(request("/dashboard/"));
    expect(redirect.status).toBe(308);
    expectBaseHeaders(redirect.headers);
    const tooLarge = proxy(request("/api/v1/products", { method: "POST", headers: { "content-length": String(50 * 1024 * 1024) } }));
    expectBaseHeaders(tooLarge.headers);
    await expectUniformError(tooLarge, 413, "PAYLOAD_TOO_LARGE", "bodyTooLarge");
  });
});

describe("CORS on /api/v1", () => {
  it("the app's own origin is allowed (exact match, Vary: Origin)", () => {
    const response = proxy(request("/api/v1/products", { headers: { origin: APP } }));
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("another origin gets no CORS headers, and its preflight is a uniform 403", async () => {
    const simple = proxy(request("/api/v1/products", { headers: { origin: "https://evil.example" } }));
    expect(simple.headers.get("access-control-allow-origin")).toBeNull();
    expect(simple.headers.get("access-control-allow-credentials")).toBeNull();
    const preflight = proxy(
      request("/api/v1/products", { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } }),
    );
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    await expectUniformError(preflight, 403, "FORBIDDEN", "originNotAllowed");
    // A look-alike is not an exact match.
    const lookalike = proxy(request("/api/v1/products", { headers: { origin: "http://localhost:3000.evil.example" } }));
    expect(lookalike.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("an allowed preflight answers 204 with the methods and headers (Authorization included)", () => {
    const preflight = proxy(
      request("/api/v1/products", { method: "OPTIONS", headers: { origin: APP, "access-control-request-method": "POST", "access-control-request-headers": "authorization" } }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(APP);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it("/api/trpc and /api/auth never allow another origin", () => {
    for (const path of ["/api/trpc/tenants.audit", "/api/auth/session"]) {
      const response = proxy(request(path, { headers: { origin: "https://evil.example" } }));
      expect(response.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("CSRF on cookie-authenticated tRPC mutations", () => {
  it("a cross-origin POST (Origin, or Sec-Fetch-Site: cross-site without it) is refused with a uniform 403", async () => {
    const attempts: Record<string, string>[] = [{ origin: "https://evil.example" }, { "sec-fetch-site": "cross-site" }];
    for (const headers of attempts) {
      // The tRPC route's first check (src/app/api/trpc/[trpc]/route.ts), before any session lookup.
      const response = csrfRefusal(request("/api/trpc/tenants.update", { method: "POST", headers: { ...headers, "content-type": "application/json" } }));
      await expectUniformError(response!, 403, "FORBIDDEN", "crossOrigin");
    }
  });

  it("same origin, same-site navigation, non-browser clients and bearer calls pass the check", () => {
    const post = (headers: Record<string, string>) => new Request(`${APP}/api/trpc/x`, { method: "POST", headers });
    expect(isCrossOriginCookieWrite(post({ origin: APP }))).toBe(false);
    expect(isCrossOriginCookieWrite(post({ "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(isCrossOriginCookieWrite(post({}))).toBe(false);
    expect(isCrossOriginCookieWrite(post({ origin: "https://evil.example", authorization: "Bearer ss_abc" }))).toBe(false);
    expect(isCrossOriginCookieWrite(new Request(`${APP}/api/trpc/x`, { headers: { origin: "https://evil.example" } }))).toBe(false);
  });
});

describe("sandboxes", () => {
  it("answer a uniform 404 (with the API headers) when ENABLE_SANDBOXES is off", async () => {
    const refused = sandboxGate(false)!;
    expectBaseHeaders(refused.headers);
    await expectUniformError(refused, 404, "NOT_FOUND", "routeNotFound");
    expect(sandboxGate(true)).toBeNull();
  });

  it("serve when on (the test environment's default)", async () => {
    const response = await stripeSandbox.GET(new Request(`${APP}/api/sandbox/stripe/v1/unknown`));
    expect(response.headers.get("content-type") ?? "").toContain("json");
    const body = (await response.json()) as Record<string, unknown>;
    // The double's own (Stripe-shaped) body, not the gate's.
    expect(body).not.toHaveProperty("meta");
  });
});

describe("uniform API errors", () => {
  it("an unknown /api route is a JSON 404 with the correlation id", async () => {
    const response = await notFoundRoute.GET(new Request(`${APP}/api/nope`, { headers: { "x-correlation-id": "req_0123456789abcdef" } }));
    await expectUniformError(response.clone(), 404, "NOT_FOUND", "routeNotFound");
  });
});
