import type { Page } from "@playwright/test";

/** The demo login the seed creates (prisma/seed.ts). */
export const DEMO_EMAIL = "demo@superseller.dev";
export const DEMO_PASSWORD = "Demo#SuperSeller2026";

/** A full-page screenshot into test-results/e2e/screens/<spec>-<step>.png, from the top. */
export async function screen(page: Page, spec: string, step: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/e2e/screens/${spec}-${step}.png`, fullPage: true });
}

export function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Navegação principal" });
}

/** Signs in as the demo owner through the sign-in form and waits for the dashboard. */
export async function signInAsDemo(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail", { exact: true }).fill(DEMO_EMAIL);
  await page.getByLabel("Senha", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await page.waitForURL("**/dashboard");
}
