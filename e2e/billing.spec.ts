import { expect, test, type Page } from "@playwright/test";

import { connectMercadoLivre, mainNav, screen as screenAs, signUpOwner, uniqueId } from "./helpers";

/**
 * Billing journey in test mode (no STRIPE_SECRET_KEY): a new owner starts on the free plan, sees
 * the test-mode banner and the usage bars, connects a sandbox Mercado Livre account, is refused a
 * second one with a banner naming the limit and the plan that lifts it, upgrades to Pro (applied
 * locally, with a test invoice), connects the second account, and the bars and invoices show it.
 */

const PASSWORD = "Jabuticaba-Orvalho-Trem-2026";

function screen(page: Page, step: string) {
  return screenAs(page, "billing", step);
}

function marketplaceBar(page: Page) {
  return page.getByRole("progressbar", { name: "Contas de marketplace" });
}

test("free plan → limit on the second marketplace account → upgrade to Pro in test mode → second account connects", async ({ page }) => {
  test.setTimeout(180_000);
  const id = uniqueId();

  await test.step("sign up", async () => {
    await signUpOwner(page, { name: "Marina Rocha", email: `marina-${id}@example.com`, organization: `Loja da Marina ${id.slice(-4)}`, password: PASSWORD });
  });

  await test.step("Settings → Billing: free plan, test mode, usage bars", async () => {
    await mainNav(page).getByRole("link", { name: "Plano e cobrança", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Plano e cobrança" })).toBeVisible();
    await expect(page.getByTestId("test-mode")).toContainText("Modo de teste: o Stripe não está conectado");
    await expect(page.getByTestId("test-mode")).toContainText("STRIPE_SECRET_KEY");
    await expect(page.getByTestId("test-mode")).toContainText("/api/v1/webhooks/stripe");
    await expect(page.getByTestId("current-plan-name")).toHaveText("Grátis");
    await expect(page.getByTestId("plan-status")).toContainText("Ativa");
    // One labelled bar per limit.
    for (const name of ["Contas de marketplace", "Anúncios", "Contas de redes sociais", "Publicações por mês", "Créditos de IA por mês", "Membros"]) {
      await expect(page.getByTestId("usage").getByRole("progressbar", { name, exact: true })).toBeVisible();
    }
    await expect(marketplaceBar(page)).toHaveAttribute("aria-valuenow", "0");
    await expect(marketplaceBar(page)).toHaveAttribute("aria-valuemax", "1");
    await expect(page.getByTestId("usage-seats")).toContainText("1 de 2");
    await expect(page.getByText("Nenhuma fatura ainda")).toBeVisible();
    await expect(page.getByTestId("plan-option").filter({ hasText: "Pro" })).toContainText("R$ 149,00/mês");
    await screen(page, "01-free-plan");
  });

  await test.step("connect the first Mercado Livre account", async () => {
    await connectMercadoLivre(page, /LOJA_DEMO_SS/);
    await page.waitForURL(/\/settings\/connections\?connected=mercadolivre/);
    await expect(page.getByTestId("connect-result")).toContainText("Mercado Livre conectado");
    await expect(page.getByTestId("connection-card")).toHaveCount(1);
    await expect(page.getByTestId("connection-card")).toContainText("LOJA_DEMO_SS");
  });

  await test.step("a second account is refused: the banner names the limit and the plan that lifts it", async () => {
    await connectMercadoLivre(page, /CASA_COZINHA_SS/);
    await page.waitForURL(/\/settings\/connections\?error=planLimitReached/);
    const banner = page.getByTestId("connect-result");
    await expect(banner).toContainText("Limite do plano atingido: contas de marketplace — 1 de 1 no plano Grátis. O plano Pro permite 3.");
    await expect(page.getByTestId("connection-card")).toHaveCount(1);
    await screen(page, "02-limit-reached");
    await banner.getByRole("link", { name: "Ver planos" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Plano e cobrança" })).toBeVisible();
    await expect(marketplaceBar(page)).toHaveAttribute("aria-valuenow", "1");
    await expect(page.getByTestId("usage-marketplaceAccounts")).toContainText("Limite atingido");
  });

  await test.step("upgrade to Pro in test mode", async () => {
    await page.getByTestId("plan-option").filter({ hasText: "Pro" }).getByRole("button", { name: "Assinar" }).click();
    await expect(page.getByText("Pronto: sua organização está no plano Pro (modo de teste, sem cobrança).")).toBeVisible();
    await expect(page.getByTestId("current-plan-name")).toHaveText("Pro");
    await expect(page.getByTestId("current-plan")).toContainText("Assinatura de teste");
    await expect(page.getByTestId("current-plan")).toContainText("Renova em");
    await expect(marketplaceBar(page)).toHaveAttribute("aria-valuemax", "3");
    await expect(page.getByTestId("plan-option").filter({ hasText: "Pro" })).toContainText("Plano atual");
    await screen(page, "03-pro");
  });

  await test.step("the second account connects now", async () => {
    await connectMercadoLivre(page, /CASA_COZINHA_SS/);
    await page.waitForURL(/\/settings\/connections\?connected=mercadolivre/);
    await expect(page.getByTestId("connection-card")).toHaveCount(2);
    await expect(page.getByTestId("connection-card").filter({ hasText: "CASA_COZINHA_SS" })).toBeVisible();
  });

  await test.step("Billing: 2 of 3 marketplace accounts; the test invoice is listed", async () => {
    await mainNav(page).getByRole("link", { name: "Plano e cobrança", exact: true }).click();
    await expect(marketplaceBar(page)).toHaveAttribute("aria-valuenow", "2");
    await expect(marketplaceBar(page)).toHaveAttribute("aria-valuemax", "3");
    await expect(page.getByTestId("usage-marketplaceAccounts")).toContainText("2 de 3");
    const invoice = page.getByTestId("invoice-row");
    await expect(invoice).toHaveCount(1);
    await expect(invoice).toContainText("Teste");
    await expect(invoice).toContainText("Paga");
    await expect(invoice).toContainText("R$ 149,00");
    await screen(page, "04-two-accounts");
  });
});
