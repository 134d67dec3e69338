import { expect, test, type Page } from "@playwright/test";

import { signInAsDemo } from "./helpers";

/** Collects what Chromium reports when the CSP blocks something (console errors and the DOM event). */
async function watchCsp(page: Page) {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return violations;
}

test("pages load under the nonce CSP without violations: sign in, dashboard, a settings page", async ({ page }) => {
  const violations = await watchCsp(page);
  const signIn = await page.goto("/sign-in");
  const csp = signIn!.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(signIn!.headers()["x-content-type-options"]).toBe("nosniff");
  expect(signIn!.headers()["x-frame-options"]).toBe("DENY");

  await signInAsDemo(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.goto("/settings/security");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

test("API responses carry the API CSP and other origins get no CORS", async ({ request }) => {
  const response = await request.get("/api/v1/nope", { headers: { origin: "https://evil.example" } });
  expect(response.status()).toBe(404);
  expect(response.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(response.headers()["access-control-allow-origin"]).toBeUndefined();
  const body = (await response.json()) as { data: unknown; errors: { code: string }[] };
  expect(body.errors[0]!.code).toBe("NOT_FOUND");
});
