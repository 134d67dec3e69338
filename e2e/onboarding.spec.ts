import { expect, test, type Page } from "@playwright/test";

/**
 * Onboarding journey: an owner signs up (Portuguese by default), invites a viewer by link, the
 * viewer signs up through the link and joins read-only, and the server refuses what the UI hides.
 */

// Strong enough for the server's zxcvbn check (score ≥ 3) and not built from the names used below.
const PASSWORD = "Jabuticaba-Orvalho-Trem-2026";

function uniqueId() {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

async function screen(page: Page, step: string) {
  // From the top: sticky bars would otherwise be drawn in the middle of a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `test-results/e2e/screens/${step}.png`, fullPage: true });
}

async function signUp(page: Page, person: { name: string; email?: string; organization?: string }, labels = PT) {
  await page.getByLabel(labels.name).fill(person.name);
  if (person.email) await page.getByLabel(labels.email, { exact: true }).fill(person.email);
  if (person.organization) await page.getByLabel(labels.organization).fill(person.organization);
  await page.getByLabel(labels.password, { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: labels.submit }).click();
}

const PT = { name: "Seu nome", email: "E-mail", organization: /Nome da organização/, password: "Senha", submit: "Criar conta" };
const EN = { name: "Your name", email: "E-mail", organization: /Organization name/, password: "Password", submit: "Create account" };

function slug(text: string) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^\w]+/g, "-").toLowerCase();
}

function mainNav(page: Page) {
  return page.getByRole("navigation", { name: "Navegação principal" });
}

test("owner invites a viewer, who joins read-only and cannot change roles", async ({ page }) => {
  const id = uniqueId();
  const owner = { name: "Ana Souza", email: `ana-${id}@example.com`, organization: `Loja da Ana ${id.slice(-4)}` };
  const viewer = { name: "Bruno Lima", email: `bruno-${id}@example.com` };

  await test.step("sign up → dashboard in Portuguese", async () => {
    await page.goto("/sign-up");
    await expect(page.getByRole("heading", { name: "Crie sua conta" })).toBeVisible();
    await expect(page).toHaveTitle("Criar conta · Super Seller");
    await screen(page, "01-sign-up");
    await signUp(page, owner);
    await page.waitForURL("**/dashboard");
    await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
    await expect(page).toHaveTitle("Painel · Super Seller");
    await expect(page.getByRole("heading", { name: "Olá, Ana!" })).toBeVisible();
    await expect(page.getByText("Nenhuma conta conectada ainda")).toBeVisible();
    await expect(page.getByText("Nenhum anúncio avaliado ainda")).toBeVisible();
    await expect(page.getByTestId("role-badge")).toHaveText("Proprietário");
    await expect(page.getByRole("button", { name: `Organização atual: ${owner.organization}. Trocar de organização` })).toBeVisible();
    await expect(mainNav(page).getByRole("link", { name: "Painel" })).toHaveAttribute("aria-current", "page");
    await screen(page, "02-dashboard-owner");
  });

  await test.step("every area opens with its own title and an honest notice", async () => {
    const pages = [
      { link: "Anúncios", title: "Anúncios", construction: false, text: "Nenhum anúncio ainda" },
      { link: "Saúde", title: "Saúde dos anúncios", construction: false, text: "Nenhum anúncio avaliado ainda" },
      { link: "Ações", title: "Fila de ações", construction: false, text: "Nenhuma ação pendente" },
      { link: "Conteúdo", title: "Conteúdo", construction: false, text: "Nenhum conteúdo ainda" },
      { link: "Calendário", title: "Calendário", construction: false, text: "Nada agendado neste período" },
      { link: "Organização", title: "Organização", construction: false, text: "Fuso horário" },
      { link: "Conexões", title: "Conexões", construction: false, text: "Conectar Mercado Livre" },
      { link: "Plano e cobrança", title: "Plano e cobrança", construction: false, text: "Modo de teste: o Stripe não está conectado" },
      { link: "Auditoria", title: "Auditoria", construction: false, text: "Conta criada" },
    ] as { link: string; title: string; construction: boolean; text?: string }[];
    for (const [index, target] of pages.entries()) {
      await mainNav(page).getByRole("link", { name: target.link, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: target.title })).toBeVisible();
      await expect(page).toHaveTitle(`${target.title} · Super Seller`);
      await expect(mainNav(page).getByRole("link", { name: target.link, exact: true })).toHaveAttribute("aria-current", "page");
      if (target.construction) await expect(page.getByRole("note").getByText("Em construção", { exact: true })).toBeVisible();
      // Visible text only: the audit page's filter also lists action names as <option>s.
      if (target.text) await expect(page.getByRole("main").getByText(target.text).filter({ visible: true }).first()).toBeVisible();
      await screen(page, `02-area-${String(index + 1).padStart(2, "0")}-${slug(target.link)}`);
    }
  });

  let link = "";
  await test.step("invite a viewer and read the link", async () => {
    await mainNav(page).getByRole("link", { name: "Membros" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Membros" })).toBeVisible();
    await expect(page.getByTestId("member-row")).toHaveCount(1);
    await page.getByLabel("E-mail da pessoa").fill(viewer.email);
    await page.getByLabel("Papel", { exact: true }).selectOption({ label: "Visualizador" });
    await page.getByRole("button", { name: "Criar convite" }).click();
    const linkInput = page.getByTestId("invite-link");
    await expect(linkInput).toBeVisible();
    link = await linkInput.inputValue();
    expect(link).toMatch(/^http:\/\/[^/]+\/invite\/[\w-]{20,}$/);
    await expect(page.getByText("O envio de e-mails ainda não está configurado")).toBeVisible();
    await expect(page.getByRole("list", { name: "Convites pendentes" }).getByRole("listitem").filter({ hasText: viewer.email })).toContainText("Visualizador");
    await screen(page, "03-members-invited");
  });

  await test.step("sign out", async () => {
    await page.getByRole("button", { name: `Menu da conta de ${owner.name}` }).click();
    await expect(page.getByRole("banner").getByText(owner.email)).toBeVisible();
    await page.getByRole("button", { name: "Sair", exact: true }).click();
    await page.waitForURL("**/sign-in");
  });

  await test.step("open the link signed out → create the account with the invited e-mail", async () => {
    await page.goto(new URL(link).pathname);
    await expect(page.getByRole("heading", { name: `Convite para ${owner.organization}` })).toBeVisible();
    await expect(page.getByText(`${owner.name} convidou ${viewer.email} para participar como Visualizador.`)).toBeVisible();
    await expect(page).toHaveTitle("Convite · Super Seller");
    await screen(page, "04-invite-signed-out");
    await page.getByRole("link", { name: "Criar conta" }).click();
    await page.waitForURL(/\/sign-up\?/);
    await expect(page.getByLabel("E-mail", { exact: true })).toHaveValue(viewer.email);
    await signUp(page, { name: viewer.name });
    await page.waitForURL(/\/invite\//);
    await expect(page.getByText(`Você entrou como ${viewer.email}.`)).toBeVisible();
    await screen(page, "05-invite-signed-in");
  });

  await test.step("accept → the owner's organization, as viewer", async () => {
    await page.getByRole("button", { name: "Aceitar convite" }).click();
    await page.waitForURL("**/dashboard");
    await expect(page.getByRole("heading", { name: "Olá, Bruno!" })).toBeVisible();
    await expect(page.getByRole("button", { name: `Organização atual: ${owner.organization}. Trocar de organização` })).toBeVisible();
    await expect(page.getByTestId("role-badge")).toHaveText("Visualizador");
    // Viewers are not offered pages the server would refuse them.
    await expect(mainNav(page).getByRole("link", { name: "Auditoria" })).toHaveCount(0);
    await expect(mainNav(page).getByRole("link", { name: "Plano e cobrança" })).toHaveCount(0);
    await screen(page, "06-dashboard-viewer");
  });

  await test.step("members page is read-only for a viewer", async () => {
    await mainNav(page).getByRole("link", { name: "Membros" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Membros" })).toBeVisible();
    await expect(page.getByTestId("member-row")).toHaveCount(2);
    await expect(page.getByText("Somente proprietários e gerentes gerenciam membros e convites.")).toBeVisible();
    await expect(page.getByRole("main").getByRole("combobox")).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^Remover/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Criar convite" })).toHaveCount(0);
    await expect(page.getByLabel("E-mail da pessoa")).toHaveCount(0);
    await expect(page.getByTestId("invite-link")).toHaveCount(0);
    await expect(page.getByTestId("member-row").filter({ hasText: owner.email })).toContainText("Proprietário");
    await screen(page, "07-members-viewer");
  });

  await test.step("a direct changeRole call is refused with 403", async () => {
    const ownerRow = page.getByTestId("member-row").filter({ hasText: owner.email });
    const membershipId = await ownerRow.getAttribute("data-membership-id");
    expect(membershipId).toBeTruthy();
    const myRow = page.getByTestId("member-row").filter({ hasText: viewer.email });
    const myMembershipId = await myRow.getAttribute("data-membership-id");
    for (const target of [membershipId, myMembershipId]) {
      const response = await page.request.post("/api/trpc/tenants.members.changeRole", {
        data: { json: { membershipId: target, role: "OWNER" } },
      });
      expect(response.status()).toBe(403);
      const body = (await response.json()) as { error: { json: { data: { reason?: string } } } };
      expect(body.error.json.data.reason).toBe("roleTooLow");
    }
    await page.reload();
    await expect(page.getByTestId("role-badge")).toHaveText("Visualizador");
    await expect(page.getByTestId("member-row").filter({ hasText: owner.email })).toContainText("Proprietário");
  });

  await test.step("on a phone the navigation collapses behind a button", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const toggle = page.getByRole("button", { name: "Abrir menu" });
    await expect(toggle).toHaveAttribute("aria-expanded", "false");
    await expect(mainNav(page)).toBeHidden();
    await screen(page, "08-mobile-members");
    await toggle.click();
    await expect(page.getByRole("button", { name: "Fechar menu" })).toHaveAttribute("aria-expanded", "true");
    await expect(mainNav(page)).toBeVisible();
    await screen(page, "09-mobile-menu-open");
    await mainNav(page).getByRole("link", { name: "Anúncios" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Anúncios" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Abrir menu" })).toHaveAttribute("aria-expanded", "false");
    await screen(page, "10-mobile-listings");
  });
});

test("the language switch turns the interface English", async ({ page }) => {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "Entrar no Super Seller" })).toBeVisible();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to Super Seller" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveTitle("Sign in · Super Seller");
  await expect(page.getByRole("button", { name: "English" })).toHaveAttribute("aria-pressed", "true");
  await screen(page, "11-sign-in-english");

  await page.getByRole("link", { name: "Create account" }).click();
  await signUp(page, { name: "Carla Dias", email: `carla-${uniqueId()}@example.com` }, EN);
  await page.waitForURL("**/dashboard");
  await expect(page.getByRole("heading", { name: "Hello, Carla!" })).toBeVisible();
  await expect(page.getByText("No accounts connected yet")).toBeVisible();
  await expect(page.getByTestId("role-badge")).toHaveText("Owner");
  await expect(page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Listings" })).toBeVisible();
  await expect(page).toHaveTitle("Dashboard · Super Seller");
  await screen(page, "12-dashboard-english");

  await page.getByRole("button", { name: "Português" }).click();
  await expect(page.getByRole("heading", { name: "Olá, Carla!" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "pt-BR");
});

test("signed-out visits go to sign-in, and wrong credentials show the translated error", async ({ page }) => {
  // A deep link keeps where it was going, as a same-origin path only.
  await page.goto("/settings/members");
  await page.waitForURL("**/sign-in?callbackUrl=%2Fsettings%2Fmembers");
  await expect(page.getByRole("heading", { name: "Entrar no Super Seller" })).toBeVisible();

  await page.getByLabel("E-mail", { exact: true }).fill(`nobody-${uniqueId()}@example.com`);
  await page.getByLabel("Senha", { exact: true }).fill("not-the-password-123");
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("E-mail ou senha incorretos.");
  await expect(page).toHaveURL(/\/sign-in/);
  await screen(page, "13-sign-in-wrong-credentials");

  // Field checks happen before any request, in the same language.
  await page.getByLabel("E-mail", { exact: true }).fill("not-an-email");
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await expect(page.getByText("Informe um e-mail válido.")).toBeVisible();
  await expect(page.getByLabel("E-mail", { exact: true })).toBeFocused();
});
