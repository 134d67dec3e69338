import { expect, type Page } from "@playwright/test";

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

/** A suffix that keeps e-mails and organization names of one run apart from the others'. */
export function uniqueId() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

/** Signs a new owner up through the form (their organization is created with them) and waits for the dashboard. */
export async function signUpOwner(page: Page, person: { name: string; email: string; organization: string; password: string }) {
  await page.goto("/sign-up");
  await page.getByLabel("Seu nome").fill(person.name);
  await page.getByLabel("E-mail", { exact: true }).fill(person.email);
  await page.getByLabel(/Nome da organização/).fill(person.organization);
  await page.getByLabel("Senha", { exact: true }).fill(person.password);
  await page.getByRole("button", { name: "Criar conta" }).click();
  await page.waitForURL("**/dashboard");
}

/** Connections → consent → the sandbox's authorization page → pick the seller matching `seller` → Permitir. */
export async function connectMercadoLivre(page: Page, seller: RegExp) {
  await mainNav(page).getByRole("link", { name: "Conexões", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Conexões" })).toBeVisible();
  await page.getByRole("button", { name: "Conectar Mercado Livre" }).click();
  const dialog = page.getByRole("dialog", { name: "Conectar Mercado Livre" });
  await dialog.getByLabel("Li e concordo com o acesso descrito acima.").check();
  await dialog.getByRole("button", { name: "Continuar para Mercado Livre" }).click();
  await page.waitForURL(/\/api\/sandbox\/mercadolivre\/authorization/);
  const sellers = page.getByLabel("Conta de vendedor do sandbox");
  const label = (await sellers.locator("option").allTextContents()).find((text) => seller.test(text));
  await sellers.selectOption({ label: label ?? "" });
  await page.getByRole("button", { name: "Permitir" }).click();
}
