import { expect, test } from "@playwright/test";

// HTTP-level contract of the running production build: health, uniform JSON errors, limits.
test.describe("API surface", () => {
  test("liveness and readiness answer in JSON", async ({ request }) => {
    const live = await request.get("/api/v1/health");
    expect(live.status()).toBe(200);
    expect(await live.json()).toMatchObject({ status: "ok" });

    const ready = await request.get("/api/v1/health/ready");
    expect(ready.status()).toBe(200);
    // The e2e app runs without REDIS_URL: Redis is reported, not checked.
    expect(await ready.json()).toEqual({ status: "ready", database: "ok", migrations: "ok", redis: "not_configured" });
  });

  test("provider sandboxes get the providers' paths and bodies as sent; pages keep one canonical URL", async ({ request }) => {
    // TikTok's paths end in "/": no redirect may stand between its client and the sandbox.
    const tiktok = await request.post("/api/sandbox/tiktok/v2/video/list/", { data: {}, maxRedirects: 0 });
    expect(tiktok.status()).toBe(401);
    expect(await tiktok.json()).toMatchObject({ error: { code: "access_token_invalid" } });
    // A YouTube upload chunk (8 MiB) is over the API body limit, which applies to our API only.
    const chunk = await request.put("/api/sandbox/youtube/upload/youtube/v3/videos?upload_id=unknown", {
      data: Buffer.alloc(8 * 1024 * 1024),
      headers: { "content-type": "video/mp4", "content-range": `bytes 0-${8 * 1024 * 1024 - 1}/${16 * 1024 * 1024}` },
      maxRedirects: 0,
    });
    expect(chunk.status()).toBe(404);
    const page = await request.get("/sign-in/?from=e2e", { maxRedirects: 0 });
    expect(page.status()).toBe(308);
    expect(page.headers()["location"]).toBe("/sign-in?from=e2e");
  });

  test("unknown API routes are JSON 404s with a correlation id", async ({ request }) => {
    const response = await request.get("/api/v1/does-not-exist", { headers: { "x-correlation-id": "e2e-corr-0001" } });
    expect(response.status()).toBe(404);
    expect(response.headers()["content-type"]).toContain("application/json");
    expect(response.headers()["x-correlation-id"]).toBe("e2e-corr-0001");
    expect(await response.json()).toMatchObject({ errors: [{ code: "NOT_FOUND" }] });
  });

  test("invalid input is a 400 with field errors, never a 500", async ({ request }) => {
    const response = await request.post("/api/trpc/auth.signUp", {
      data: { json: { name: "A", email: "not-an-email", password: "" } },
    });
    expect(response.status()).toBe(400);
    const body = (await response.json()) as { error: { json: { message: string; data: { code: string; fieldErrors: Record<string, string[]> } } } };
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(body.error.json.data.fieldErrors).sort()).toEqual(["email", "name", "password"]);
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules|stack/);
  });

  test("malformed JSON is refused cleanly", async ({ request }) => {
    const response = await request.post("/api/trpc/auth.signUp", { data: "{not json", headers: { "content-type": "application/json" } });
    expect(response.status()).toBeGreaterThanOrEqual(400);
    expect(response.status()).toBeLessThan(500);
  });

  test("oversized bodies are refused with 413", async ({ request }) => {
    const big = "x".repeat(1_100_000);
    const response = await request.post("/api/trpc/auth.signUp", { data: { json: { name: big, email: "a@b.co", password: "x" } } });
    expect(response.status()).toBe(413);
    expect(await response.json()).toMatchObject({ errors: [{ code: "PAYLOAD_TOO_LARGE" }] });
  });

  test("tenant procedures refuse anonymous callers with 401, echoing the correlation id", async ({ request }) => {
    const response = await request.get("/api/trpc/tenants.current", { headers: { "x-correlation-id": "e2e-corr-trpc-0001" } });
    expect(response.status()).toBe(401);
    expect(response.headers()["x-correlation-id"]).toBe("e2e-corr-trpc-0001");
  });

  test("the tRPC panel is on unless ENABLE_TRPC_PANEL turns it off, and asks for a session", async ({ request }) => {
    const response = await request.get("/api/panel", { maxRedirects: 0 });
    if (process.env.ENABLE_TRPC_PANEL === "0" || process.env.ENABLE_TRPC_PANEL === "false") {
      expect(response.status()).toBe(404);
      return;
    }
    expect(response.status()).toBe(302);
    expect(response.headers()["location"]).toBe("/sign-in?callbackUrl=%2Fapi%2Fpanel");
  });

  test("the API reference and its document are public", async ({ request }) => {
    const docs = await request.get("/api/v1/docs");
    expect(docs.status()).toBe(200);
    expect(docs.headers()["content-security-policy"]).toContain("default-src 'none'");
    const document = await request.get("/api/v1/openapi.json");
    expect(document.status()).toBe(200);
    expect(await document.json()).toMatchObject({ openapi: expect.stringMatching(/^3\.1/) as unknown, paths: expect.any(Object) as unknown });
  });
});
