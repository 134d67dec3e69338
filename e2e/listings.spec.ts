import { expect, test, type Page } from "@playwright/test";

import { mainNav, screen as screenAs, signUpOwner, uniqueId } from "./helpers";

/**
 * Seller journey: a new owner connects the sandbox Mercado Livre account (the sandbox's own consent
 * page), watches the first sync fill in, filters the listings and opens one listing's chart. The
 * sandbox is served by the app under test (APP_URL), and the sync runs in the app's local jobs runner.
 */

const PASSWORD = "Jabuticaba-Orvalho-Trem-2026";

function screen(page: Page, step: string) {
  return screenAs(page, "listings", step);
}

test("connect the sandbox Mercado Livre account, watch the sync, filter listings, open a chart", async ({ page, request }) => {
  test.setTimeout(180_000);
  const id = uniqueId();

  await test.step("sign up", async () => {
    await signUpOwner(page, { name: "Renata Alves", email: `renata-${id}@example.com`, organization: `Loja da Renata ${id.slice(-4)}`, password: PASSWORD });
  });

  await test.step("listings start empty and point to Connections", async () => {
    await mainNav(page).getByRole("link", { name: "Anúncios", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Anúncios" })).toBeVisible();
    await expect(page.getByText("Nenhum anúncio ainda")).toBeVisible();
    await expect(page.getByRole("link", { name: "Ir para Conexões" })).toBeVisible();
    await screen(page, "01-empty");
  });

  await test.step("Connections → consent → the sandbox's authorization page", async () => {
    await page.getByRole("link", { name: "Ir para Conexões" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Conexões" })).toBeVisible();
    await expect(page.getByText("Nenhuma conta conectada ainda")).toBeVisible();
    await page.getByRole("button", { name: "Conectar Mercado Livre" }).click();
    const dialog = page.getByRole("dialog", { name: "Conectar Mercado Livre" });
    await expect(dialog.getByTestId("consent-text")).toContainText("LGPD");
    await expect(dialog.getByRole("button", { name: "Continuar para Mercado Livre" })).toBeDisabled();
    await screen(page, "02-consent");
    await dialog.getByLabel("Li e concordo com o acesso descrito acima.").check();
    await dialog.getByRole("button", { name: "Continuar para Mercado Livre" }).click();
    await page.waitForURL(/\/api\/sandbox\/mercadolivre\/authorization/);
    await expect(page.getByText("Autorizar Super Seller (sandbox)")).toBeVisible();
    await screen(page, "03-sandbox-consent");
    await page.getByRole("button", { name: "Permitir" }).click();
  });

  await test.step("back on Connections: connected, the first sync shows its progress", async () => {
    await page.waitForURL(/\/settings\/connections\?connected=mercadolivre/);
    await expect(page.getByTestId("connect-result")).toContainText("Mercado Livre conectado");
    const card = page.getByTestId("connection-card");
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId("connection-status")).toHaveText("Ativa");
    await expect(card).toContainText("LOJA_DEMO_SS");
    await expect(card.getByTestId("sync-progress")).toContainText(/Sincroniza/);
    await screen(page, "04-connected-syncing");
    await expect(card.getByTestId("sync-progress")).toContainText(/Sincronização concluída: \d+ anúncios/, { timeout: 90_000 });
    await expect(card).toContainText("Acesso expira");
    await screen(page, "05-sync-done");
  });

  await test.step("listings appear, and filters narrow them", async () => {
    await mainNav(page).getByRole("link", { name: "Anúncios", exact: true }).click();
    const rows = page.getByTestId("listing-row");
    await expect(rows.first()).toBeVisible();
    await expect(rows).toHaveCount(50);
    await expect(page.getByRole("button", { name: "Carregar mais" })).toBeVisible();
    await screen(page, "06-listings");

    await page.getByLabel("Situação").selectOption({ label: "Pausado" });
    await expect(async () => {
      const statuses = await rows.locator("td:nth-child(3)").allInnerTexts();
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(["Pausado"]));
    }).toPass();
    await page.getByLabel("Situação").selectOption({ label: "Todos" });

    const firstTitle = (await rows.first().getByRole("link").innerText()).trim();
    const word = firstTitle.split(/\s+/).find((w) => w.length > 3) ?? firstTitle.split(/\s+/)[0]!;
    await page.getByLabel("Buscar no título").fill(word);
    await expect(async () => {
      const titles = await rows.getByRole("link").allInnerTexts();
      expect(titles.length).toBeGreaterThan(0);
      for (const title of titles) expect(title.toLowerCase()).toContain(word.toLowerCase());
    }).toPass();
    await screen(page, "07-filtered");
  });

  await test.step("the REST contract serves the same listings to the session", async () => {
    const response = await page.request.get("/api/v1/listings?limit=5&sort=title");
    expect(response.status()).toBe(200);
    const body = (await response.json()) as { data: { id: string }[]; meta: { nextCursor: string | null }; errors: unknown[] };
    expect(body.data).toHaveLength(5);
    expect(body.meta.nextCursor).toBe(body.data[4]!.id);
    expect(body.errors).toEqual([]);
    const metrics = await page.request.get(`/api/v1/listings/${body.data[0]!.id}/metrics`);
    expect(metrics.status()).toBe(200);
    // Signed out, nothing.
    expect((await request.get("/api/v1/listings")).status()).toBe(401);
  });

  await test.step("open a listing: details and its metrics chart", async () => {
    const rows = page.getByTestId("listing-row");
    // An active listing: a closed one may have had no visits in 30 days, and a flat line at zero has
    // no height (which listing comes first depends on when its score was computed).
    await page.getByLabel("Buscar no título").fill("");
    await page.getByLabel("Situação").selectOption({ label: "Ativo" });
    await expect(async () => {
      const statuses = await rows.locator("td:nth-child(3)").allInnerTexts();
      expect(statuses.length).toBeGreaterThan(0);
      expect(new Set(statuses)).toEqual(new Set(["Ativo"]));
    }).toPass();
    const link = rows.first().getByRole("link");
    const title = (await link.innerText()).trim();
    await link.click();
    await page.waitForURL(/\/seller\/listings\/[\w-]+$/);
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    const chart = page.getByTestId("metrics-chart");
    await expect(chart).toBeVisible();
    await expect(chart.locator(".recharts-line path").first()).toBeVisible();
    await screen(page, "08-chart-visits");
    await chart.getByRole("tab", { name: "Preço" }).click();
    await expect(chart.getByRole("tab", { name: "Preço" })).toHaveAttribute("aria-selected", "true");
    await screen(page, "09-chart-price");
  });
});

test("Mercado Livre notifications: a bad one is refused, a good one is answered 200 fast", async ({ request }) => {
  const body = (applicationId: string) =>
    JSON.stringify({
      _id: `e2e-${uniqueId()}`,
      resource: "/items/MLB1000000001",
      user_id: 310000001,
      topic: "items",
      application_id: Number(applicationId),
      attempts: 1,
      sent: new Date().toISOString(),
      received: new Date().toISOString(),
    });
  const refused = await request.post("/api/v1/webhooks/mercadolivre", { data: body("1"), headers: { "content-type": "application/json" } });
  expect(refused.status()).toBe(401);
  // The sandbox app's public client id (src/server/connectors/sandbox/mercadolivre/sandbox.ts).
  const started = Date.now();
  const accepted = await request.post("/api/v1/webhooks/mercadolivre", { data: body("5847291036472810"), headers: { "content-type": "application/json" } });
  expect(accepted.status()).toBe(200);
  expect(Date.now() - started).toBeLessThan(500);
});
