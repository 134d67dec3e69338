import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";

import { DEMO_EMAIL, signInAsDemo } from "./helpers";

test("Settings → Privacy: download my data as JSON and see the consent history", async ({ page }) => {
  await signInAsDemo(page);
  await page.goto("/settings/privacy");
  await expect(page.getByRole("heading", { name: "Privacidade e dados" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Histórico de consentimentos" })).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("privacy-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^super-seller-dados-\d{4}-\d{2}-\d{2}\.json$/);
  const doc = JSON.parse(await readFile((await download.path())!, "utf8")) as Record<string, unknown> & { profile: { email: string } };
  // Version 2 added productEvents (product telemetry, docs/product-telemetry.md).
  expect(doc.schemaVersion).toBe(2);
  expect(doc.profile.email).toBe(DEMO_EMAIL);
  for (const key of ["memberships", "sessions", "consents", "auditEntries", "notifications", "contents", "apiKeys", "aiUsage", "productEvents"]) expect(Array.isArray(doc[key])).toBe(true);
  expect(JSON.stringify(doc)).not.toContain("passwordHash");

  for (const [name, width] of [["desktop", 1280], ["mobile", 390]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `/tmp/shots-lgpd/settings-privacy-${name}.png`, fullPage: true });
  }
});

test("the connect start refuses a cross-site POST", async ({ page, request }) => {
  await signInAsDemo(page);
  const response = await page.request.post("/api/v1/auth/mercadolivre/connect", {
    form: { consent: "mercadolivre-2026-11" },
    headers: { origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ errors: [{ reason: "crossOrigin" }] });
  // A plain link (GET) no longer starts anything.
  expect((await request.get("/api/v1/auth/mercadolivre/connect?consent=mercadolivre-2026-11", { maxRedirects: 0 })).status()).toBe(405);
});
