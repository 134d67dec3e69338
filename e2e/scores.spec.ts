import { expect, test, type Page } from "@playwright/test";

import { screen as screenAs, signInAsDemo, mainNav } from "./helpers";

/**
 * Health Score journey on the demo organization (seeded with a sandbox Mercado Livre account whose
 * listings are scored, with a score history): the /seller/scores page with its bands, average,
 * worst listings, movers and weights; "Recalcular" with its pending state; then a listing's score
 * panel with its components, missing data and history chart.
 */


function screen(page: Page, step: string) {
  return screenAs(page, "scores", step);
}

test("see the score bands, recalculate, and read a listing's Health Score", async ({ page }) => {
  test.setTimeout(180_000);

  await test.step("sign in as the demo user and open Saúde", async () => {
    await signInAsDemo(page);
    await mainNav(page).getByRole("link", { name: "Saúde", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Saúde dos anúncios" })).toBeVisible();
  });

  await test.step("bands, average with confidence, worst listings, movers and weights", async () => {
    const bands = page.getByTestId("score-bands");
    await expect(bands.getByRole("heading", { name: "Distribuição por faixa" })).toBeVisible();
    for (const band of ["Boa", "Regular", "Ruim", "Sem nota"]) await expect(bands.getByText(band, { exact: true })).toBeVisible();
    await expect(page.getByTestId("score-average")).toContainText("/ 100");
    await expect(page.getByTestId("score-average")).toContainText(/Confiança \d+%/);
    const worst = page.getByTestId("score-worst");
    await expect(worst.getByRole("link").first()).toBeVisible();
    await expect(page.getByTestId("score-movers")).toBeVisible();
    // The demo user owns the organization: the weights editor is there, with the default total.
    const weights = page.getByTestId("score-weights");
    await expect(weights.getByLabel("Qualidade no marketplace")).toHaveValue(/\d+/);
    await expect(weights).toContainText("Total");
    await screen(page, "01-overview");
  });

  await test.step("Recalcular shows a pending state until the new scores are in", async () => {
    const button = page.getByTestId("scores-recompute");
    await button.click();
    await expect(button).toHaveText("Recalculando…");
    await expect(button).toBeDisabled();
    await screen(page, "02-recalculating");
    await expect(button).toHaveText("Recalcular", { timeout: 90_000 });
    await expect(button).toBeEnabled();
  });

  await test.step("open the worst listing: score, components with explanations, missing data, history", async () => {
    const first = page.getByTestId("score-worst").getByRole("link").first();
    const title = (await first.textContent())?.trim() ?? "";
    await first.click();
    await page.waitForURL(/\/seller\/listings\/[^/]+$/);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const panel = page.getByTestId("score-panel");
    await expect(panel.getByTestId("score-value")).toContainText(/\d+/);
    for (const component of [
      "marketplaceQuality",
      "contentCompleteness",
      "images",
      "offerCompetitiveness",
      "conversion",
      "stockHealth",
      "purchaseExperience",
    ]) {
      await expect(panel.getByTestId(`score-component-${component}`)).toBeVisible();
    }
    await expect(panel.getByTestId("score-component-images")).toContainText("Imagens");
    // No connector reports claims per listing yet: always listed as missing data.
    await expect(panel.getByTestId("score-missing")).toContainText("Dados ausentes:");
    await expect(panel.getByTestId("score-missing")).toContainText("reclamações");
    await expect(panel.getByTestId("score-history")).toBeVisible();
    await screen(page, "03-listing-score");
  });
});
