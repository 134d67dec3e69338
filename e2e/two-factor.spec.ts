import { expect, test, type Page } from "@playwright/test";
import { Secret, TOTP } from "otpauth";
import pg from "pg";

import { screen } from "./helpers";

// Two-factor authentication as a person lives it: turn it on in Settings → Segurança by typing the
// manual key into an "authenticator" (otpauth, here), keep the recovery codes, sign in again with
// a code (a wrong one is refused in Portuguese), sign in with a recovery code that then stops
// working, and confirm identity (StepUpDialog) when a sensitive action meets a stale session.

const SPEC = "two-factor";
const PASSWORD = "Jabuticaba-Orvalho-Trem-2026";

/** The code an authenticator shows `stepsAhead` periods from now (the server accepts ±1 period). */
function totp(secret: string, stepsAhead = 0) {
  return TOTP.generate({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1", timestamp: Date.now() + stepsAhead * 30_000 });
}

async function signOut(page: Page, name: string) {
  await page.getByRole("button", { name: `Menu da conta de ${name}` }).click();
  await page.getByRole("button", { name: "Sair", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
}

async function typeCredentials(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail", { exact: true }).fill(email);
  await page.getByLabel("Senha", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Entrar", exact: true }).click();
  await expect(page.getByText("Digite o código de 6 dígitos do seu aplicativo autenticador.")).toBeVisible();
}

test("2FA: enable with the manual key, sign in with a code, a recovery code works once, step-up on a stale session", async ({ page }) => {
  test.setTimeout(120_000);
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const person = { name: "Carla Dias", email: `carla-2fa-${id}@example.com`, organization: `Loja Carla ${id.slice(-4)}` };
  let secret = "";
  let codes: string[] = [];

  await test.step("sign up and turn two-factor on from the manual key", async () => {
    await page.goto("/sign-up");
    await page.getByLabel("Seu nome").fill(person.name);
    await page.getByLabel("E-mail", { exact: true }).fill(person.email);
    await page.getByLabel(/Nome da organização/).fill(person.organization);
    await page.getByLabel("Senha", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Criar conta" }).click();
    await page.waitForURL("**/dashboard");

    await page.goto("/settings/security");
    await expect(page.getByText("Desativada. Ative para proteger sua conta")).toBeVisible();
    await page.getByRole("button", { name: "Ativar verificação em duas etapas" }).click();
    await expect(page.getByRole("img", { name: "QR code para o aplicativo autenticador" }).locator("svg")).toBeVisible();
    secret = (await page.getByTestId("totp-secret").textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await screen(page, SPEC, "01-setup");
    // A wrong code first: refused with the translated message, nothing turned on.
    await page.getByLabel("Código de 6 dígitos").fill("000000");
    await page.getByRole("button", { name: "Confirmar e ativar" }).click();
    await expect(page.getByText("Código inválido. Confira o horário do aparelho e tente de novo.")).toBeVisible();
    await page.getByLabel("Código de 6 dígitos").fill(totp(secret));
    await page.getByRole("button", { name: "Confirmar e ativar" }).click();
    const list = page.getByTestId("recovery-codes");
    await expect(list.getByRole("listitem")).toHaveCount(10);
    codes = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    await expect(page.getByText("Ativada. Códigos de recuperação restantes: 10.")).toBeVisible();
    await screen(page, SPEC, "02-enabled-recovery-codes");
    await page.screenshot({ path: "test-results/e2e/screens/settings-security-2fa.png", fullPage: true });
    await page.getByRole("button", { name: "Já guardei" }).click();
    await expect(list).toBeHidden();
  });

  await test.step("sign out, sign in: the second step asks the code; a wrong one is refused, the right one gets in", async () => {
    await signOut(page, person.name);
    await typeCredentials(page, person.email);
    await page.getByLabel("Código de verificação").fill("000000");
    await page.getByRole("button", { name: "Verificar e entrar" }).click();
    await expect(page.getByText("Código inválido ou já usado. Tente o próximo código do aplicativo.")).toBeVisible();
    await screen(page, SPEC, "03-sign-in-wrong-code");
    await page.screenshot({ path: "test-results/e2e/screens/sign-in-2fa.png", fullPage: true });
    // The setup claimed the current period's code: an authenticator's next code (accepted ±1 period).
    await page.getByLabel("Código de verificação").fill(totp(secret, 1));
    await page.getByRole("button", { name: "Verificar e entrar" }).click();
    await page.waitForURL("**/dashboard");
    await expect(page.getByRole("button", { name: `Menu da conta de ${person.name}` })).toBeVisible();
  });

  await test.step("a recovery code signs in once, then is refused", async () => {
    for (const attempt of ["first", "again"] as const) {
      await signOut(page, person.name);
      await typeCredentials(page, person.email);
      await page.getByRole("button", { name: "Usar um código de recuperação" }).click();
      await expect(page.getByText("Digite um dos seus códigos de recuperação (cada um funciona uma vez).")).toBeVisible();
      await page.getByLabel("Código de recuperação").fill(codes[0]!);
      await page.getByRole("button", { name: "Verificar e entrar" }).click();
      if (attempt === "first") {
        await page.waitForURL("**/dashboard");
      } else {
        await expect(page.getByText("Código inválido ou já usado. Tente o próximo código do aplicativo.")).toBeVisible();
        await screen(page, SPEC, "04-recovery-code-reused");
        await page.getByLabel("Código de recuperação").fill(codes[1]!);
        await page.getByRole("button", { name: "Verificar e entrar" }).click();
        await page.waitForURL("**/dashboard");
      }
    }
    await page.goto("/settings/security");
    await expect(page.getByText("Ativada. Códigos de recuperação restantes: 8.")).toBeVisible();
  });

  await test.step("a stale session meets a step-up-protected action: the dialog asks a code, then the action goes through", async () => {
    // A sign-in is itself a fresh confirmation (stepUpAt = now). STEP_UP_WINDOW_MINUTES cannot go
    // below one minute, so the session is aged in the database, as if the person had signed in an
    // hour ago (the only fixture here: everything else goes through the UI).
    test.skip(!process.env.DATABASE_URL, "needs the app's DATABASE_URL to age the session");
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const aged = await db.query(
        `UPDATE user_sessions SET step_up_at = now() - interval '1 hour'
          WHERE revoked_at IS NULL AND user_id = (SELECT id FROM users WHERE email = $1)`,
        [person.email],
      );
      expect(aged.rowCount).toBeGreaterThan(0);
    } finally {
      await db.end();
    }

    await page.goto("/settings/api-keys");
    await page.getByRole("button", { name: "Nova chave" }).first().click();
    const newKey = page.getByRole("dialog", { name: "Nova chave de API" });
    await newKey.getByLabel("Nome", { exact: true }).fill("Chave com confirmação");
    await newKey.getByRole("checkbox", { name: "Anúncios e saúde: Leitura" }).check();
    await newKey.getByRole("button", { name: "Criar chave" }).click();
    const stepUp = page.getByRole("dialog", { name: "Confirme sua identidade para continuar" });
    await expect(stepUp).toBeVisible();
    await expect(stepUp.getByText("Esta é uma operação sensível. Digite o código do seu aplicativo autenticador")).toBeVisible();
    await stepUp.getByLabel("Código de verificação").fill("000000");
    await stepUp.getByRole("button", { name: "Confirmar" }).click();
    await expect(stepUp.getByText("Não foi possível confirmar. Verifique e tente novamente.")).toBeVisible();
    await screen(page, SPEC, "05-step-up-dialog");
    await page.screenshot({ path: "test-results/e2e/screens/step-up-dialog.png" });
    // The dialog takes a recovery code too (a TOTP code would need the next 30 s period).
    await stepUp.getByLabel("Código de verificação").fill(codes[2]!);
    await stepUp.getByRole("button", { name: "Confirmar" }).click();
    await expect(stepUp).toBeHidden();
    const shown = page.getByRole("dialog", { name: "Chave criada: copie agora" });
    await expect(shown.getByLabel("Sua nova chave de API")).toHaveValue(/^ssk_/);
    await shown.getByRole("button", { name: "Já guardei a chave" }).click();
    await expect(page.getByRole("row").filter({ hasText: "Chave com confirmação" })).toBeVisible();
  });

  await test.step("the owner two-factor policy of the organization, visible after turning it on", async () => {
    await page.goto("/settings/organization");
    const status = page.getByTestId("org-two-factor-status");
    await expect(status).toHaveText("Não exigida.");
    await page.getByRole("switch", { name: "Exigir dos proprietários" }).click();
    await expect(status).toHaveText("Exigida: proprietários sem verificação em duas etapas não conseguem usar a organização até ativá-la.");
    await page.reload();
    await expect(page.getByTestId("org-two-factor-status")).toHaveText(/^Exigida/);
    await expect(page.getByRole("switch", { name: "Deixar de exigir" })).toHaveAttribute("aria-checked", "true");
    await screen(page, SPEC, "06-org-policy-on");
  });
});
