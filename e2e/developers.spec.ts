import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { expect, test, type Page } from "@playwright/test";

import { DEMO_EMAIL, DEMO_PASSWORD, screen, signInAsDemo } from "./helpers";

// The developer platform as the demo owner sees it: an API key made in the UI works on the REST API
// within its scopes until it is revoked, the reference and the tRPC panel work offline, and a
// webhook endpoint receives a signed test delivery.

const SPEC = "developers";

type Received = { headers: IncomingMessage["headers"]; body: string };

/** A tiny webhook receiver on a free local port: records what it gets and answers 200. */
async function startReceiver() {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200, { "content-type": "application/json" });
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/super-seller`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Every request the page makes to a host other than the app's (localhost / 127.0.0.1). */
function recordExternalRequests(page: Page) {
  const external: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!url.protocol.startsWith("http")) return; // data:, blob:
    if (url.hostname !== "localhost" && url.hostname !== "127.0.0.1") external.push(request.url());
  });
  return external;
}

test.describe("developer platform", () => {
  test("API key from the UI: scoped REST calls, revocation, offline reference, tRPC panel, webhook test delivery", async ({ page, request, playwright }) => {
    const keyName = `E2E leitura ${Date.now()}`;
    await signInAsDemo(page);

    // ── API keys: create one with listings:read only, read it once ──
    await page.goto("/settings/api-keys");
    await expect(page.getByRole("heading", { name: "Chaves de API" }).first()).toBeVisible();
    await screen(page, SPEC, "01-api-keys");
    await page.getByRole("button", { name: "Nova chave" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Nova chave de API" });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel("Nome", { exact: true }).fill(keyName);
    // Whatever the form preselects, end with listings:read and nothing else.
    for (const box of await dialog.locator('input[type="checkbox"][data-scope]').all()) {
      if (await box.isChecked()) await box.uncheck();
    }
    await dialog.getByRole("checkbox", { name: "Anúncios e saúde: Leitura" }).check();
    await screen(page, SPEC, "02-new-key");
    await dialog.getByRole("button", { name: "Criar chave" }).click();
    const shown = page.getByRole("dialog", { name: "Chave criada: copie agora" });
    const keyField = shown.getByLabel("Sua nova chave de API");
    await expect(keyField).toHaveValue(/^ssk_/);
    const apiKey = await keyField.inputValue();
    await screen(page, SPEC, "03-key-shown-once");
    await shown.getByRole("button", { name: "Já guardei a chave" }).click();
    await expect(shown).toBeHidden();
    const row = page.getByRole("row").filter({ hasText: keyName });
    await expect(row).toBeVisible();
    // The listing never shows the secret again.
    await expect(page.locator("body")).not.toContainText(apiKey);

    // ── The key on the REST API, from a client with no cookies ──
    const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, extraHTTPHeaders: { authorization: `Bearer ${apiKey}` } });
    try {
      const listings = await api.get("/api/v1/listings?limit=5");
      expect(listings.status()).toBe(200);
      const body = (await listings.json()) as { data: unknown; meta: { correlationId: string }; errors: unknown[] };
      const items = Array.isArray(body.data) ? body.data : (body.data as { items: unknown[] }).items;
      expect(items).toHaveLength(5);
      expect(body.errors).toEqual([]);
      expect(body.meta.correlationId).toBeTruthy();
      const headers = listings.headers();
      expect(Number(headers["ratelimit-limit"])).toBeGreaterThan(0);
      expect(Number(headers["ratelimit-remaining"])).toBeLessThan(Number(headers["ratelimit-limit"]));
      expect(headers["ratelimit-reset"]).toMatch(/^\d+$/);

      // Approving an action needs actions:write, which this key does not have.
      const approve = await api.post("/api/v1/actions/00000000-0000-4000-8000-000000000000/approve", { data: {} });
      expect(approve.status()).toBe(403);
      expect(await approve.json()).toMatchObject({ data: null, errors: [{ code: "FORBIDDEN" }] });

      // ── Revoke in the UI: the key stops working at once ──
      await row.getByRole("button", { name: `Revogar a chave ${keyName}` }).click();
      const confirm = page.getByRole("dialog", { name: `Revogar a chave “${keyName}”?` });
      await confirm.getByRole("button", { name: "Revogar chave" }).click();
      await expect(confirm).toBeHidden();
      await expect(row).toContainText("Revogada");
      await screen(page, SPEC, "04-key-revoked");
      const afterRevoke = await api.get("/api/v1/listings?limit=5");
      expect(afterRevoke.status()).toBe(401);
      expect(await afterRevoke.json()).toMatchObject({ data: null, errors: [{ code: "UNAUTHORIZED" }] });
    } finally {
      await api.dispose();
    }

    // The reference and the document are public (no session needed).
    const anonymousDocs = await request.get("/api/v1/docs");
    expect(anonymousDocs.status()).toBe(200);
    expect(anonymousDocs.headers()["content-security-policy"]).toContain("default-src 'none'");

    // ── The API reference renders offline: no request leaves the app ──
    const external = recordExternalRequests(page);
    await page.goto("/api/v1/docs");
    await expect(page.getByRole("heading", { name: "Super Seller API v1", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Listings", level: 3 })).toBeVisible();
    await expect(page.locator('.opblock-summary-path[data-path="/listings"]').first()).toBeVisible();
    await screen(page, SPEC, "05-api-reference");

    // ── tRPC panel for a signed-in developer: every router, a query runs as the user ──
    await page.goto("/api/panel");
    // The sidebar lists every router of the app (one empty router used to blank the whole page).
    const sidebar = (router: string) => page.getByRole("button", { name: new RegExp(`^R ${router}\\b`) });
    for (const router of [
      "auth", "tenants", "connectors", "listings", "scores", "actions", "content", "media", "publications",
      "analytics", "engagement", "notifications", "billing", "jobs", "admin", "apiKeys", "webhooks",
    ]) {
      await expect(sidebar(router)).toBeVisible();
    }
    await page.getByRole("button", { name: /^ROUTER listings\b/ }).click();
    await page.getByRole("button", { name: /^QUERY list\b/ }).first().click();
    const trpcCall = page.waitForResponse((response) => response.url().includes("/api/trpc/listings.list"));
    await page.getByRole("button", { name: "Execute list" }).click();
    expect((await trpcCall).status()).toBe(200);
    await expect(page.getByText(/^Response \(/)).toBeVisible();
    await screen(page, SPEC, "06-trpc-panel");
    expect(external).toEqual([]);

    // ── Webhooks: an endpoint on a local receiver gets a test delivery ──
    const receiver = await startReceiver();
    try {
      await page.goto("/settings/webhooks");
      await expect(page.getByRole("heading", { name: "Webhooks" }).first()).toBeVisible();
      await screen(page, SPEC, "07-webhooks");
      await page.getByRole("button", { name: "Novo endpoint" }).first().click();
      const form = page.getByRole("dialog", { name: "Novo endpoint de webhook" });
      await form.getByLabel("URL do endpoint").fill(receiver.url);
      await form.getByLabel("Descrição (opcional)").fill("Receptor do e2e");
      await form.getByRole("checkbox", { name: /Nota de saúde mudou/ }).check();
      await form.getByRole("button", { name: "Criar endpoint" }).click();
      // The signing secret is shown once, in the same dialog, like a key.
      const secretField = form.getByLabel("Segredo de assinatura");
      await expect(secretField).toHaveValue(/.{16,}/);
      const signingSecret = await secretField.inputValue();
      await screen(page, SPEC, "08-webhook-secret");
      await form.getByRole("button", { name: "Já copiei" }).click();
      await expect(form).toBeHidden();
      const actions = page.getByRole("group", { name: `Ações de ${receiver.url}` });
      await expect(actions).toBeVisible();
      await expect(page.locator("body")).not.toContainText(signingSecret);
      await actions.getByRole("button", { name: "Enviar teste" }).click();
      await expect(page.getByText("Evento de teste enviado. Veja o resultado nas entregas.")).toBeVisible();
      await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThan(0);
      const delivery = receiver.received[0]!;
      expect(delivery.headers["content-type"]).toContain("application/json");
      expect(JSON.stringify(delivery.headers)).toMatch(/signature/i);
      expect(delivery.body).toContain("webhook.test");
      // The delivery log shows it succeeded, with the receiver's status code.
      await actions.getByRole("link", { name: "Entregas" }).click();
      await expect(page.getByRole("heading", { name: "Entregas" }).first()).toBeVisible();
      const log = page.getByRole("table", { name: "Entregas do endpoint" });
      const testRow = log.getByRole("row").filter({ hasText: "Evento de teste" }).first();
      await expect(async () => {
        await page.getByRole("button", { name: "Atualizar" }).first().click();
        await expect(testRow).toContainText("Entregue", { timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
      // Columns: details, event, status, response code, latency, …
      await expect(testRow.getByRole("cell").nth(3)).toHaveText("200");
      await expect(testRow.getByRole("cell").nth(4)).toHaveText(/^\d+ ms$/);
      await screen(page, SPEC, "09-webhook-delivery");

      // Clean up through the UI (an organization has at most 10 endpoints): delete asks first.
      await page.getByRole("link", { name: "Voltar aos webhooks" }).click();
      await actions.getByRole("button", { name: "Excluir" }).click();
      const confirmDelete = page.getByRole("dialog", { name: `Excluir o endpoint ${receiver.url}?` });
      await confirmDelete.getByRole("button", { name: "Excluir endpoint" }).click();
      await expect(page.getByText("Endpoint excluído.")).toBeVisible();
      await expect(actions).toBeHidden();
    } finally {
      await receiver.close();
    }
  });

  test("the tRPC panel sends an anonymous visitor through sign-in and back", async ({ page }) => {
    await page.goto("/api/panel");
    await page.waitForURL("**/sign-in?callbackUrl=%2Fapi%2Fpanel");
    await page.getByLabel("E-mail", { exact: true }).fill(DEMO_EMAIL);
    await page.getByLabel("Senha", { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Entrar", exact: true }).click();
    await page.waitForURL("**/api/panel");
    await expect(page.getByRole("button", { name: /^R listings\b/ })).toBeVisible();
  });
});
