import { expect, test, type Page } from "@playwright/test";

import { screen as screenAs, signInAsDemo, mainNav } from "./helpers";

/**
 * Action queue journey on the demo organization (seeded with a sandbox Mercado Livre account,
 * scored listings and pending recommended actions): edit a suggested title, approve it, watch the
 * background function apply it on the (sandbox) marketplace, and find the new title on the
 * listing's page. Then the REST seed contract for recommendations and approval.
 */


function screen(page: Page, step: string) {
  return screenAs(page, "actions", step);
}

test("edit a suggested title, approve it, see it applied on the listing", async ({ page }) => {
  test.setTimeout(180_000);
  const newTitle = `Título revisado no teste ${Date.now().toString(36).slice(-6)}`;

  await test.step("sign in as the demo user; the dashboard has the measured-gain card", async () => {
    await signInAsDemo(page);
    await expect(page.getByTestId("effects-card")).toBeVisible();
    await expect(page.getByTestId("effects-card")).toContainText("Ganho medido por tipo de ação");
    await screen(page, "01-dashboard");
  });

  await test.step("open the action queue and narrow it to title rewrites", async () => {
    await mainNav(page).getByRole("link", { name: "Ações", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Fila de ações" })).toBeVisible();
    await expect(page.getByTestId("action-row").first()).toBeVisible({ timeout: 30_000 });
    await screen(page, "02-queue");
    await page.getByLabel("Tipo").selectOption({ label: "Reescrever título" });
    await expect(async () => {
      const types = await page.getByTestId("action-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action-type")));
      expect(types.length).toBeGreaterThan(0);
      expect(new Set(types)).toEqual(new Set(["REWRITE_TITLE"]));
    }).toPass();
  });

  const row = page.getByTestId("action-row").first();
  const actionId = await row.getAttribute("data-action-id");
  expect(actionId).toBeTruthy();
  const card = page.locator(`[data-testid="action-row"][data-action-id="${actionId}"]`);

  await test.step("edit the suggested title (with its character counter) and approve it", async () => {
    await expect(card.getByTestId("title-diff")).toBeVisible();
    await expect(card.getByText(/Sugestão local \(sem IA configurada\)|IA/).first()).toBeVisible();
    await card.getByRole("button", { name: "Editar", exact: true }).click();
    const input = card.getByTestId("title-input");
    await input.fill(newTitle);
    await expect(card.getByText(new RegExp(`${newTitle.length}/\\d+ caracteres`))).toBeVisible();
    await screen(page, "03-editing");
    await card.getByRole("button", { name: "Aprovar com as alterações" }).click();
  });

  await test.step("the queue follows it until the marketplace has it: APPLIED", async () => {
    const tracked = page.getByTestId("tracked-actions").locator(`[data-action-id="${actionId}"]`);
    await expect(tracked).toBeVisible();
    await expect(tracked.getByTestId("suggested-title")).toHaveText(newTitle);
    await screen(page, "04-applying");
    await expect(tracked.getByTestId("action-status")).toHaveAttribute("data-status", "APPLIED", { timeout: 90_000 });
    await expect(tracked.getByTestId("action-status-line")).toContainText("Aplicada em");
    await screen(page, "05-applied");
  });

  await test.step("the listing shows the new title and the applied action", async () => {
    const tracked = page.getByTestId("tracked-actions").locator(`[data-action-id="${actionId}"]`);
    await tracked.getByRole("link").first().click();
    await page.waitForURL(/\/seller\/listings\/[\w-]+$/);
    await expect(page.getByRole("heading", { level: 1, name: newTitle })).toBeVisible();
    const section = page.getByTestId("listing-actions");
    await expect(section.locator(`[data-action-id="${actionId}"]`).getByTestId("action-status")).toHaveAttribute("data-status", "APPLIED");
    await screen(page, "06-listing");
  });
});

test("REST: pending recommendations and approval", async ({ page, request }) => {
  await signInAsDemo(page);
  const list = await page.request.get("/api/v1/actions/recommendations?limit=5");
  expect(list.status()).toBe(200);
  const body = (await list.json()) as {
    data: Array<{ id: string; type: string; status: string; payload: Record<string, unknown>; listing: { id: string } | null }>;
    meta: { nextCursor: string | null };
    errors: unknown[];
  };
  expect(body.errors).toEqual([]);
  expect(body.data.length).toBeGreaterThan(0);
  expect(body.data.every((a) => a.status === "PENDING")).toBe(true);
  if (body.data.length === 5) expect(body.meta.nextCursor).toBe(body.data[4]!.id);

  // Something that needs no input from the seller (photos and attributes do).
  const ready = body.data.find((a) => ["ADJUST_PRICE", "RESTOCK_ALERT", "REWRITE_DESCRIPTION", "PAUSE_LISTING"].includes(a.type));
  if (ready) {
    const approved = await page.request.post(`/api/v1/actions/${ready.id}/approve`, { data: {} });
    expect(approved.status()).toBe(200);
    expect(await approved.json()).toMatchObject({ data: { id: ready.id, status: "APPROVED" }, errors: [] });
    const again = await page.request.post(`/api/v1/actions/${ready.id}/approve`);
    expect(again.status()).toBe(409);
    expect(await again.json()).toMatchObject({ data: null, errors: [{ code: "CONFLICT", reason: "actionAlreadyApproved" }] });
  }

  const photos = body.data.find((a) => a.type === "ADD_PHOTOS");
  if (photos) {
    const refused = await page.request.post(`/api/v1/actions/${photos.id}/approve`, { data: {} });
    expect(refused.status()).toBe(412);
    expect(await refused.json()).toMatchObject({ errors: [{ reason: "actionPhotosMissing" }] });
  }

  expect((await page.request.post("/api/v1/actions/does-not-exist/approve")).status()).toBe(404);
  // Malformed JSON, and JSON that is not an object, are refused (and approve nothing).
  const target = body.data[0]!.id;
  expect((await page.request.post(`/api/v1/actions/${target}/approve`, { data: Buffer.from("{not json"), headers: { "content-type": "application/json" } })).status()).toBe(400);
  expect((await page.request.post(`/api/v1/actions/${target}/approve`, { data: Buffer.from('"just a string"'), headers: { "content-type": "application/json" } })).status()).toBe(400);
  // Signed out, nothing.
  expect((await request.get("/api/v1/actions/recommendations")).status()).toBe(401);
  expect((await request.post(`/api/v1/actions/${body.data[0]!.id}/approve`)).status()).toBe(401);
});
