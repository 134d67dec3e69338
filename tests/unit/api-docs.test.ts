import { describe, expect, it } from "vitest";

import { GET as asset } from "~/app/api/v1/docs/assets/[file]/route";
import { GET as docs } from "~/app/api/v1/docs/route";

// The offline API reference: a page whose every resource is one of our allow-listed files.
function getAsset(file: string, headers?: HeadersInit) {
  return asset(new Request(`http://app.test/api/v1/docs/assets/${file}`, { headers }), { params: Promise.resolve({ file }) });
}

describe("GET /api/v1/docs", () => {
  it("serves an HTML page under a same-origin-only CSP", async () => {
    const response = await docs();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it("loads only files served by its asset route, and no inline script", async () => {
    const html = await (await docs()).text();
    expect(html).toContain("Super Seller API v1");
    expect(html).toContain('href="/api/v1/openapi.json"');
    expect(html).toContain('href="/settings/api-keys"');
    expect(html).toContain('href="/api/panel"');
    // No absolute URL anywhere in the markup (no CDN, no fonts, no validator).
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/<script>(?!<\/script>)|<style/);
    const resources = [...html.matchAll(/(?:<script src|<link rel="stylesheet" href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(resources.map((url) => new URL(url, "http://app.test").pathname).sort()).toEqual([
      "/api/v1/docs/assets/docs.css",
      "/api/v1/docs/assets/init.js",
      "/api/v1/docs/assets/swagger-ui-bundle.js",
      "/api/v1/docs/assets/swagger-ui.css",
    ]);
    // Every URL carries a version, so the long cache never serves a stale file after an upgrade.
    for (const url of resources) expect(url).toMatch(/\?v=[\w.-]+$/);
  });
});

describe("GET /api/v1/docs/assets/[file]", () => {
  it.each([
    ["swagger-ui-bundle.js", "text/javascript; charset=utf-8", "SwaggerUIBundle"],
    ["swagger-ui.css", "text/css; charset=utf-8", ".swagger-ui"],
    ["init.js", "text/javascript; charset=utf-8", "validatorUrl: null"],
    ["docs.css", "text/css; charset=utf-8", ".ss-header"],
  ])("serves %s with its content type and a long cache", async (file, contentType, marker) => {
    const response = await getAsset(file);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(contentType);
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toContain(marker);
  });

  it("the init script points Swagger UI at our document, with deep links, kept authorization and try-it-out", async () => {
    const init = await (await getAsset("init.js")).text();
    expect(init).toContain('url: "/api/v1/openapi.json"');
    expect(init).toMatch(/deepLinking: true[\s\S]*persistAuthorization: true[\s\S]*tryItOutEnabled: true/);
  });

  it("answers 304 to a matching If-None-Match", async () => {
    const etag = (await getAsset("swagger-ui.css")).headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await getAsset("swagger-ui.css", { "if-none-match": etag });
    expect(again.status).toBe(304);
  });

  it.each(["package.json", "index.html", "swagger-ui.js", "..", "../package.json", "%2e%2e%2fpackage.json", "__proto__", "constructor", "toString"])(
    "refuses %s (not on the allow-list)",
    async (file) => {
      const response = await getAsset(file);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ errors: [{ code: "NOT_FOUND" }] });
    },
  );
});
