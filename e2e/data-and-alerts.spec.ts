import { expect, test, type Page } from "@playwright/test";

import { connectMercadoLivre, mainNav, screen as screenAs, signUpOwner, uniqueId } from "./helpers";

/**
 * What a new seller gets beyond the listings themselves, on a fresh free-plan organization:
 * - the notification centre: connecting a sandbox account with more listings than the free plan
 *   follows leaves some out, the bell says so; turning the category off in Settings → Notificações
 *   hides it, turning it back on shows it again, and opening it marks it read;
 * - "Buscar semelhantes": once the sync's listings are indexed, a listing's own title finds that
 *   listing first, and "Mais como este" lists the others like it;
 * - Settings → Arquivo de dados: the sync's raw payloads are archived, the retention is saved, and a
 *   reprocess from the archive runs to completion as a background task.
 */

const PASSWORD = "Jabuticaba-Orvalho-Trem-2026";

function screen(page: Page, step: string) {
  return screenAs(page, "data-and-alerts", step);
}

function bell(page: Page) {
  return page.getByTestId("notifications-bell");
}

function bellPanel(page: Page) {
  return page.getByRole("region", { name: "Notificações" });
}

/** The bell polls once a minute: reload until its unread count matches. */
async function expectUnread(page: Page, label: RegExp) {
  await expect(async () => {
    await page.reload();
    await expect(bell(page)).toHaveAttribute("aria-label", label, { timeout: 3_000 });
  }).toPass({ timeout: 60_000 });
}

const LEFT_OUT = /anúncios da conta LOJA_DEMO_SS ficaram de fora: o plano Grátis acompanha até 200 anúncios\. Com o plano Pro são até/;

test("notifications with preferences, similar-listing search and the raw archive on a new free-plan organization", async ({ page }) => {
  test.setTimeout(300_000);
  const id = uniqueId();

  await test.step("sign up and connect the sandbox Mercado Livre account (300 listings, the free plan follows 200)", async () => {
    await signUpOwner(page, { name: "Paula Nogueira", email: `paula-${id}@example.com`, organization: `Loja da Paula ${id.slice(-4)}`, password: PASSWORD });
    await expect(bell(page)).toHaveAttribute("aria-label", "Abrir notificações — Nenhuma não lida");

    await connectMercadoLivre(page, /LOJA_DEMO_SS/);
    await page.waitForURL(/\/settings\/connections\?connected=mercadolivre/);
    const card = page.getByTestId("connection-card");
    await expect(card.getByTestId("sync-progress")).toContainText(/Sincronização concluída: \d+ anúncios/, { timeout: 120_000 });
  });

  await test.step("the bell counts the plan-limit notification and shows it", async () => {
    await expectUnread(page, /1 não lida$/);
    await bell(page).click();
    const panel = bellPanel(page);
    await expect(panel.getByRole("listitem")).toHaveCount(1);
    await expect(panel.getByRole("listitem").first()).toContainText(LEFT_OUT);
    await screen(page, "01-bell");
    await page.keyboard.press("Escape");
    await expect(panel).toBeHidden();
  });

  await test.step("Settings → Notificações: turning the plan-limit category off in the app hides it from the bell", async () => {
    await mainNav(page).getByRole("link", { name: "Notificações", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Notificações" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: "Assuntos e canais" })).toBeVisible();
    const inApp = page.getByRole("checkbox", { name: "Limites do plano: No aplicativo" });
    await expect(inApp).toBeChecked();
    const save = page.getByTestId("notification-preferences-save");
    await expect(save).toBeDisabled();
    await inApp.uncheck();
    await save.click();
    await expect(page.getByText("Preferências salvas.")).toBeVisible();
    await expect(bell(page)).toHaveAttribute("aria-label", /Nenhuma não lida$/);
    await bell(page).click();
    await expect(bellPanel(page)).toContainText("Nenhuma notificação por aqui.");
    await page.keyboard.press("Escape");
    await screen(page, "02-preferences-off");

    // Stored, not just shown: a fresh page load keeps the choice.
    await page.reload();
    await expect(page.getByRole("checkbox", { name: "Limites do plano: No aplicativo" })).not.toBeChecked();
    // E-mail is opt-in and was left alone.
    await expect(page.getByRole("checkbox", { name: "Limites do plano: Por e-mail" })).not.toBeChecked();
  });

  await test.step("turned back on, the notification returns; opening it goes to billing and marks it read", async () => {
    await page.getByRole("checkbox", { name: "Limites do plano: No aplicativo" }).check();
    await page.getByTestId("notification-preferences-save").click();
    await expect(page.getByText("Preferências salvas.")).toBeVisible();
    await expect(bell(page)).toHaveAttribute("aria-label", /1 não lida$/);
    await bell(page).click();
    await bellPanel(page).getByRole("link", { name: LEFT_OUT }).click();
    await page.waitForURL(/\/settings\/billing$/);
    await expect(page.getByRole("heading", { level: 1, name: "Plano e cobrança" })).toBeVisible();
    await expect(bell(page)).toHaveAttribute("aria-label", /Nenhuma não lida$/);
  });

  let title = "";
  let listingHref = "";
  await test.step("Buscar semelhantes: a listing's own title finds that listing first", async () => {
    await mainNav(page).getByRole("link", { name: "Anúncios", exact: true }).click();
    const firstListing = page.getByTestId("listing-row").first().getByRole("link");
    title = (await firstListing.innerText()).trim();
    listingHref = (await firstListing.getAttribute("href")) ?? "";
    expect(listingHref).toMatch(/^\/seller\/listings\/.+/);

    await mainNav(page).getByRole("link", { name: "Buscar semelhantes", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Buscar semelhantes" })).toBeVisible();
    await expect(page.getByText("O que você quer encontrar?")).toBeVisible();
    // The index is built in the background after the sync's score recompute: search until it is in.
    const results = page.getByTestId("search-result");
    await expect(async () => {
      await page.goto(`/search?q=${encodeURIComponent(title)}&type=listing`);
      await expect(results.first().getByRole("link", { name: title, exact: true })).toHaveAttribute("href", listingHref, { timeout: 3_000 });
    }).toPass({ timeout: 90_000 });
    await expect(results.first().getByTestId("search-score")).toHaveText(/^(9\d|100)% semelhante$/);
    expect(await results.count()).toBeGreaterThan(1);
    await expect(page.getByTestId("search-engine")).toContainText("200 anúncios");
    await screen(page, "03-search");
  });

  await test.step("Mais como este: the others like it, never the listing itself", async () => {
    const results = page.getByTestId("search-result");
    await results.first().getByRole("button", { name: "Mais como este" }).click();
    await expect(page.getByTestId("similar-to")).toHaveText(`Semelhantes a “${title}”`);
    await expect(results.first()).toBeVisible();
    const hrefs = await results.getByRole("link").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs).not.toContain(listingHref);
    const scores = (await results.getByTestId("search-score").allInnerTexts()).map((text) => Number(/\d+/.exec(text)?.[0]));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  await test.step("Settings → Arquivo de dados: the sync's payloads are archived; retention is saved", async () => {
    await mainNav(page).getByRole("link", { name: "Arquivo de dados", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Arquivo de dados" })).toBeVisible();
    await expect(page.getByTestId("archive-storage")).toContainText("Disco local do servidor");
    const listingsPartition = page.getByTestId("archive-partition").filter({ hasText: "Mercado Livre" }).filter({ hasText: "Anúncios" });
    await expect(listingsPartition.first().locator("td").nth(3)).toHaveText(/^[1-9]\d*$/);
    await expect(page.getByText("365 dias", { exact: true })).toBeVisible();

    await page.getByLabel("Dias de retenção").fill("0");
    await expect(page.getByText("Informe um número inteiro de 1 a 3650.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Salvar retenção" })).toBeDisabled();
    await page.getByLabel("Dias de retenção").fill("90");
    await page.getByRole("button", { name: "Salvar retenção" }).click();
    await expect(page.getByText("Retenção salva: 90 dias.")).toBeVisible();
    await page.reload();
    await expect(page.getByText("90 dias", { exact: true })).toBeVisible();
    await expect(page.getByLabel("Dias de retenção")).toHaveValue("90");
    await screen(page, "04-archive");
  });

  await test.step("reprocess the listings from the archive: it runs to completion in the background", async () => {
    await page.getByRole("button", { name: "Reprocessar" }).click();
    await expect(page.getByText("Reprocessamento enfileirado. Acompanhe em Tarefas em segundo plano.")).toBeVisible();
    await mainNav(page).getByRole("link", { name: "Tarefas em segundo plano", exact: true }).click();
    await page.waitForURL(/\/settings\/jobs$/);
    await expect(page.getByRole("heading", { level: 1, name: "Tarefas em segundo plano" })).toBeVisible();
    const run = page.getByRole("row").filter({ hasText: "Reprocessamento do arquivo de dados" });
    await expect(async () => {
      await page.reload();
      await expect(run.first()).toContainText("Concluída", { timeout: 3_000 });
    }).toPass({ timeout: 60_000 });
    await expect(run.first()).not.toContainText("Falhou");
    await screen(page, "05-reprocessed");

    // Rebuilt from the archive, not duplicated: the organization still follows the plan's 200 listings.
    await mainNav(page).getByRole("link", { name: "Plano e cobrança", exact: true }).click();
    await expect(page.getByTestId("usage-listings")).toContainText("200 de 200");
  });
});
