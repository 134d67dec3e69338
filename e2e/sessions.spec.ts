import { expect, test, type Browser, type Page } from "@playwright/test";

/**
 * Sessions and password (Settings → Security): signing out the other devices ends another
 * browser's session at its next navigation; a password change makes the old password fail.
 * Each test signs up its own person (the demo login's sessions and password stay untouched).
 */

const PASSWORD = "Seriguela-Neblina-Barco-2026";
const NEW_PASSWORD = "Cupuacu-Ventania-Farol-2027";

function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}@example.com`;
}

async function signUp(page: Page, name: string, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Seu nome").fill(name);
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Senha", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Criar conta" }).click();
  await page.waitForURL("**/dashboard");
}

async function signIn(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Senha", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
}

async function newPage(browser: Browser) {
  return (await browser.newContext()).newPage();
}

test("signing out the other devices ends the other browser's session at its next navigation", async ({ browser }) => {
  const email = uniqueEmail("sessoes");
  const a = await newPage(browser);
  const b = await newPage(browser);
  await signUp(a, "Helena Prado", email);
  await signIn(b, email, PASSWORD);
  await b.waitForURL("**/dashboard");

  await a.goto("/settings/security");
  const sessions = a.getByRole("list").filter({ hasText: "Este dispositivo" });
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await a.screenshot({ path: "test-results/e2e/screens/sessions-01-two-devices.png", fullPage: true });
  await a.getByRole("button", { name: "Sair de todos os outros dispositivos" }).click();
  await a.getByRole("dialog").getByRole("button", { name: "Sair dos outros" }).click();
  await expect(sessions.getByRole("listitem")).toHaveCount(1);

  await b.goto("/settings/security");
  await b.waitForURL(/\/sign-in/);

  await a.reload();
  await expect(a.getByText("Este dispositivo")).toBeVisible();
});

test("changing the password: the new one signs in, the old one no longer does", async ({ browser }) => {
  const email = uniqueEmail("senha");
  const page = await newPage(browser);
  await signUp(page, "Otávio Reis", email);
  await page.goto("/settings/security");
  await page.getByLabel("Senha atual", { exact: true }).fill("nao-e-a-senha-atual-1");
  await page.getByLabel("Nova senha", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirme a nova senha", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Trocar senha" }).click();
  await expect(page.getByText("A senha atual está incorreta.")).toBeVisible();

  await page.getByLabel("Senha atual", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Trocar senha" }).click();
  await expect(page.getByText("As outras sessões foram encerradas.")).toBeVisible();
  await page.screenshot({ path: "test-results/e2e/screens/sessions-02-password-changed.png", fullPage: true });

  const other = await newPage(browser);
  await signIn(other, email, PASSWORD);
  await expect(other.getByText("E-mail ou senha incorretos.")).toBeVisible();
  await signIn(other, email, NEW_PASSWORD);
  await other.waitForURL("**/dashboard");
});
