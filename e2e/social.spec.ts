import fs from "node:fs";
import os from "node:os";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";
import sharp from "sharp";

import { mainNav, screen as screenAs, signInAsDemo } from "./helpers";

/**
 * Social journey on the demo organization (seeded by prisma/seed-social.ts with sandbox Instagram,
 * TikTok and YouTube accounts): create a piece with Instagram and TikTok variants, watch the live
 * validation, upload a real JPEG, schedule it on Instagram, drag it to another day on the
 * calendar, bring it forward to the next minute and watch the per-minute dispatcher publish it to
 * the Instagram sandbox (exactly once), then answer an audience comment from the inbox.
 */

function screen(page: Page, step: string) {
  return screenAs(page, "social", step);
}

const DAY_MS = 86_400_000;

/** The wall-clock date (YYYY-MM-DD) and time (HH:MM) of an instant in a time zone. */
function wallClock(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The day after a YYYY-MM-DD day (calendar arithmetic at noon UTC, free of any zone's DST). */
function nextDay(day: string) {
  return new Date(new Date(`${day}T12:00:00Z`).getTime() + DAY_MS).toISOString().slice(0, 10);
}

type SandboxPost = { id: string; accountId: string; caption: string; permalink: string; publishCount: number };

test("create a post with variants, upload, schedule, drag on the calendar, publish to the sandbox, reply to a comment", async ({ page }) => {
  test.setTimeout(480_000);
  const suffix = Date.now().toString(36).slice(-6);
  const title = `Oferta relâmpago e2e ${suffix}`;
  const instagramCaption = `Só hoje: frete grátis na loja toda! Código ${suffix}`;
  const commenter = `cliente.e2e.${suffix}`;
  const replyText = `Oi! Está R$ 99,90 com frete grátis (${suffix}).`;
  const image = path.join(os.tmpdir(), `social-e2e-${suffix}.jpg`);
  await sharp({ create: { width: 1080, height: 1350, channels: 3, background: { r: 230, g: 90, b: 40 } } })
    .composite([{ input: Buffer.from(`<svg width="1080" height="1350"><circle cx="540" cy="675" r="300" fill="#ffffff"/></svg>`) }])
    .jpeg({ quality: 85 })
    .toFile(image);

  let contentUrl = "";
  let timeZone = "";
  let tomorrow = "";
  let dropDay = "";

  try {
    await test.step("Social → Conteúdo → Novo conteúdo: title, Instagram and TikTok, create → editor", async () => {
      await signInAsDemo(page);
      await mainNav(page).getByRole("link", { name: "Conteúdo", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Conteúdo" })).toBeVisible();
      await page.getByRole("button", { name: "Novo conteúdo" }).first().click();
      const dialog = page.getByRole("dialog", { name: "Novo conteúdo" });
      await dialog.getByLabel("Título interno").fill(title);
      await expect(dialog.getByRole("checkbox", { name: "Instagram" })).toBeChecked();
      await dialog.getByRole("checkbox", { name: "TikTok" }).check();
      await screen(page, "01-new-content");
      await dialog.getByRole("button", { name: "Criar e abrir o editor" }).click();
      await page.waitForURL(/\/social\/content\/[^/]+$/, { timeout: 30_000 });
      contentUrl = new URL(page.url()).pathname;
      await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
      await expect(page.getByRole("tab", { name: /Instagram/ })).toBeVisible();
      await expect(page.getByRole("tab", { name: /TikTok/ })).toBeVisible();
    });

    await test.step("base caption and per-network variants, with live validation, then save", async () => {
      const description = await page.getByText(/fuso da organização: /).textContent();
      timeZone = /fuso da organização: ([^)]+)\)/.exec(description ?? "")?.[1] ?? "";
      expect(timeZone).toMatch(/^[A-Za-z_]+\/[A-Za-z_]+/);

      await page.getByLabel("Legenda base").fill("Black Friday antecipada na Loja Demo.");

      await page.getByRole("tab", { name: /Instagram/ }).click();
      const panel = page.getByRole("tabpanel");
      await panel.getByLabel("Legenda", { exact: true }).fill(instagramCaption);
      await panel.getByRole("textbox", { name: "Hashtags" }).fill("#blackfriday #fretegratis");
      await expect(panel.getByRole("list", { name: "Hashtags reconhecidas" }).getByRole("listitem")).toHaveText(["#blackfriday", "#fretegratis"]);
      // No media yet: the Instagram rules say so while typing, before anything is saved.
      await expect(panel.getByText("Adicione pelo menos 1 mídia.")).toBeVisible();
      // A hashtag with a character the network refuses is flagged at once, and cleared when fixed.
      await panel.getByRole("textbox", { name: "Hashtags" }).fill("#blackfriday #frete-gratis");
      await expect(panel.getByText(/A hashtag "frete-gratis" tem caracteres que a rede não aceita/)).toBeVisible();
      await panel.getByRole("textbox", { name: "Hashtags" }).fill("#blackfriday #fretegratis");
      await expect(panel.getByText(/A hashtag "frete-gratis"/)).toHaveCount(0);

      await page.getByRole("tab", { name: /TikTok/ }).click();
      await panel.getByLabel("Legenda", { exact: true }).fill(`Frete grátis hoje! ${suffix}`);
      await panel.getByLabel("Privacidade").selectOption({ label: "Todos" });
      await expect(panel.getByText("Adicione pelo menos 1 mídia.")).toBeVisible();
      await expect(page.getByText("Há alterações não salvas.")).toBeVisible();
      await screen(page, "02-variants");

      await page.getByRole("button", { name: "Salvar", exact: true }).click();
      await expect(page.getByText("Alterações salvas.")).toBeVisible();
      await expect(page.getByText("Há alterações não salvas.")).toHaveCount(0);
    });

    await test.step("upload a 1080×1350 JPEG; TikTok says it needs a video; remove the TikTok variant", async () => {
      const media = page.getByTestId("content-media");
      await media.locator('input[type="file"]').setInputFiles(image);
      const item = media.getByTestId("media-item");
      await expect(item).toHaveCount(1, { timeout: 60_000 });
      await expect(item).toHaveAttribute("data-status", "READY", { timeout: 60_000 });
      await expect(item).toContainText("1080 × 1350");
      await expect(item.getByText("Capa")).toBeVisible();
      const thumbnail = item.getByRole("img", { name: path.basename(image) });
      await expect(thumbnail).toBeVisible();
      await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

      await page.getByRole("tab", { name: /TikTok/ }).click();
      const panel = page.getByRole("tabpanel");
      await expect(panel.getByText("Mídia 1: esta rede não aceita imagens, só vídeo.")).toBeVisible();
      await page.getByRole("tab", { name: /Instagram/ }).click();
      await expect(panel.getByLabel("Legenda", { exact: true })).toHaveValue(instagramCaption);
      await expect(panel.getByText("Adicione pelo menos 1 mídia.")).toHaveCount(0);
      // Nothing left to fix on Instagram: its tab carries no issue count.
      await expect(page.getByRole("tab", { name: /Instagram/ })).toHaveAccessibleName("Instagram");
      await screen(page, "03-media");

      await page.getByRole("tab", { name: /TikTok/ }).click();
      page.once("dialog", (dialog) => void dialog.accept());
      await panel.getByRole("button", { name: "Remover TikTok" }).click();
      await expect(page.getByRole("tab", { name: /TikTok/ })).toHaveCount(0);
      await page.getByRole("button", { name: "Salvar", exact: true }).click();
      await expect(page.getByText("Há alterações não salvas.")).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Adicionar TikTok" })).toBeVisible();
    });

    await test.step("schedule on the demo Instagram account for tomorrow 10:00 (organization's zone)", async () => {
      tomorrow = wallClock(new Date(Date.now() + DAY_MS), timeZone).date;
      const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Agendar", exact: true }) });
      const account = form.getByRole("checkbox", { name: /^Instagram · / });
      await expect(account).toHaveCount(1);
      await account.check();
      await form.getByLabel("Data", { exact: true }).fill(tomorrow);
      await form.getByLabel("Hora", { exact: true }).fill("10:00");
      await screen(page, "04-schedule");
      await form.getByRole("button", { name: "Agendar", exact: true }).click();
      await expect(page.getByText("1 publicação agendada.")).toBeVisible();
      const row = page.getByRole("table", { name: "Publicações deste conteúdo" }).getByRole("row").nth(1);
      await expect(row).toContainText("Instagram");
      await expect(row).toContainText("Agendada");
      await expect(row).toContainText("10:00");
    });

    await test.step("calendar: drag the post to the next day (month), then to 15:00 (week); both persist", async () => {
      await mainNav(page).getByRole("link", { name: "Calendário", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Calendário" })).toBeVisible();
      // The month that holds tomorrow (today may be the month's last day).
      await page.goto(`/social/calendar?view=month&date=${tomorrow}`);
      const item = page.getByTestId("calendar-item").filter({ hasText: title });
      await expect(page.locator(`[data-day="${tomorrow}"]`).getByTestId("calendar-item").filter({ hasText: title })).toBeVisible({ timeout: 30_000 });
      await expect(item).toHaveAttribute("data-status", "scheduled");
      await expect(item).toHaveAccessibleName(`Instagram: ${title}, 10:00, Agendado`);
      await screen(page, "05-calendar");

      // The grid ends on a Saturday: when tomorrow is the last cell (a month ending on Saturday) there
      // is no next day on this page, and only the week drag below runs.
      dropDay = nextDay(tomorrow);
      const target = page.locator(`[data-day="${dropDay}"]`);
      if ((await target.count()) === 1) {
        // A native drag cannot scroll the page mid-way: the month's sixth row sits below an 800 px
        // fold, so the window is made tall enough for the source and the target to be on screen.
        await page.setViewportSize({ width: 1280, height: 1400 });
        await item.dragTo(target);
        await expect(page.getByText(/^Reagendado para /)).toBeVisible();
        await expect(target.getByTestId("calendar-item").filter({ hasText: title })).toBeVisible();
        await page.reload();
        await expect(page.locator(`[data-day="${dropDay}"]`).getByTestId("calendar-item").filter({ hasText: title })).toBeVisible({ timeout: 30_000 });
        await expect(page.locator(`[data-day="${tomorrow}"]`).getByTestId("calendar-item").filter({ hasText: title })).toHaveCount(0);
        await expect(item).toHaveAccessibleName(`Instagram: ${title}, 10:00, Agendado`);
        await screen(page, "06-calendar-dragged");
        await page.setViewportSize({ width: 1280, height: 800 });
      } else {
        dropDay = tomorrow;
      }

      await page.goto(`/social/calendar?view=week&date=${dropDay}`);
      await expect(page.locator(`[data-slot="${dropDay}T10"]`).getByTestId("calendar-item").filter({ hasText: title })).toBeVisible({ timeout: 30_000 });
      await item.dragTo(page.locator(`[data-slot="${dropDay}T15"]`));
      await expect(page.getByText(/^Reagendado para .*15:00\.$/)).toBeVisible();
      await page.reload();
      await expect(page.locator(`[data-slot="${dropDay}T15"]`).getByTestId("calendar-item").filter({ hasText: title })).toBeVisible({ timeout: 30_000 });
      await expect(page.locator(`[data-slot="${dropDay}T10"]`).getByTestId("calendar-item").filter({ hasText: title })).toHaveCount(0);
      await expect(item).toHaveAccessibleName(`Instagram: ${title}, 15:00, Agendado`);
      // The day's header stands over the day's column (it once sat one column to the left).
      const header = page.getByTestId("calendar-week").getByRole("columnheader").filter({ hasText: new RegExp(`, ${Number(dropDay.slice(8))}$`) });
      const [headerBox, slotBox] = await Promise.all([header.boundingBox(), page.locator(`[data-slot="${dropDay}T15"]`).boundingBox()]);
      expect(Math.abs(headerBox!.x - slotBox!.x)).toBeLessThan(2);
      await screen(page, "06b-calendar-week-dragged");

      // The content's own list has the new day and time too.
      await page.goto(contentUrl);
      const row = page.getByRole("table", { name: "Publicações deste conteúdo" }).getByRole("row").nth(1);
      const [y, m, d] = dropDay.split("-");
      await expect(row).toContainText(`${d}/${m}/${y}, 15:00`);
      await expect(row).toContainText("Agendada");
      await page.goto(`/social/calendar?view=week&date=${dropDay}`);
    });

    await test.step("Reagendar to the next minute; the dispatcher publishes it to the Instagram sandbox", async () => {
      const item = page.getByTestId("calendar-item").filter({ hasText: title });
      await item.click();
      const dialog = page.getByRole("dialog", { name: title });
      await expect(dialog.getByText("Reagendar", { exact: true })).toBeVisible();
      // The next full minute: always in the future, so the service accepts it, and due within a minute.
      const soon = wallClock(new Date(Math.ceil((Date.now() + 1000) / 60_000) * 60_000), timeZone);
      await dialog.getByLabel("Data", { exact: true }).fill(soon.date);
      await dialog.getByLabel("Horário", { exact: true }).fill(soon.time);
      await dialog.getByRole("button", { name: "Salvar novo horário" }).click();
      // The dialog closes only when the server accepted the new time.
      await expect(dialog).toBeHidden();

      await page.goto(contentUrl);
      const row = page.getByRole("table", { name: "Publicações deste conteúdo" }).getByRole("row").nth(1);
      await expect(async () => {
        await page.reload();
        await expect(row).toContainText("Publicada", { timeout: 5_000 });
      }).toPass({ timeout: 240_000, intervals: [5_000] });
      const link = row.getByRole("link", { name: "Abrir na rede" });
      await expect(link).toBeVisible();
      const permalink = await link.getAttribute("href");
      expect(permalink).toMatch(/^https?:\/\//);
      await screen(page, "07-published");

      const response = await page.request.get("/api/sandbox/instagram/_sandbox/posts");
      expect(response.ok()).toBe(true);
      const { posts } = (await response.json()) as { posts: SandboxPost[] };
      const ours = posts.filter((p) => p.caption.includes(instagramCaption));
      expect(ours).toHaveLength(1);
      expect(ours[0]!.publishCount).toBe(1);
      expect(ours[0]!.caption).toContain("#blackfriday #fretegratis");
      expect(ours[0]!.permalink).toBe(permalink);

      // The publications list agrees.
      await mainNav(page).getByRole("link", { name: "Publicações", exact: true }).click();
      await page.getByRole("tab", { name: /Publicadas/ }).click();
      const published = page.getByTestId("publication-row").filter({ hasText: title });
      await expect(published).toHaveCount(1);
      await expect(published.getByRole("link", { name: /Ver na rede/ })).toHaveAttribute("href", permalink!);
      await screen(page, "08-publications");

      await test.step("an audience comment arrives through the sandbox's signed webhook", async () => {
        const comment = await page.request.post("/api/sandbox/instagram/_sandbox/comments", {
          data: { media_id: ours[0]!.id, text: "Qual o preço?", username: commenter },
        });
        expect(comment.ok()).toBe(true);
      });
    });

    await test.step("Social → Comentários: reply to the comment; it goes out (Na fila → Enviada)", async () => {
      await mainNav(page).getByRole("link", { name: "Comentários", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Comentários" })).toBeVisible();
      const row = page.getByRole("button").filter({ hasText: commenter }).filter({ hasText: "Qual o preço?" });
      await expect(async () => {
        await page.reload();
        await page.getByRole("searchbox", { name: "Buscar" }).fill(commenter);
        await expect(row).toBeVisible({ timeout: 5_000 });
      }).toPass({ timeout: 90_000, intervals: [2_000] });
      await expect(row).toContainText("Sem resposta");
      await row.click();

      const thread = page.getByRole("region", { name: "Conversa" });
      await expect(thread.getByRole("heading", { name: "Conversa" })).toBeVisible();
      await expect(thread.getByText("Qual o preço?")).toBeVisible();
      await thread.getByLabel("Sua resposta").fill(replyText);
      await screen(page, "09-inbox-reply");
      await thread.getByRole("button", { name: "Responder", exact: true }).click();
      await expect(page.getByText("Resposta na fila de envio.")).toBeVisible();
      const copies = thread.getByRole("listitem").filter({ hasText: replyText });
      // Queued first; the background function sends it (how soon is not asserted).
      await expect(copies.filter({ hasText: /Na fila|Enviando|Enviada/ })).toHaveCount(1);
      await expect(copies.filter({ hasText: "Enviada" })).toHaveCount(1, { timeout: 90_000 });
      // The network's webhook echoes our reply back: it must not show up as a second copy.
      await expect(copies).toHaveCount(1);
      await expect(copies).toContainText("Você");
      await expect(row).toContainText("Respondido", { timeout: 30_000 });
      await screen(page, "10-inbox-sent");
    });
  } finally {
    fs.rmSync(image, { force: true });
  }
});
