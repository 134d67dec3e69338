/**
 * The public /privacy page rendered to HTML in both languages, signed out (no session exists in
 * this test): every category, every retention period taken from RETENTION_RULES and the other
 * retention constants, the backup retention, the rights and where to exercise them, the processors.
 * Replaced: next-intl's server `getTranslations`, by the same translator over the app's messages
 * (there is no Next request in a test), and the language switch (a server action, next-auth inside).
 */
import { createTranslator, NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

let locale: "pt-BR" | "en" = "pt-BR";
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace: string) => createTranslator({ locale, messages: MESSAGES[locale], namespace: namespace as never }),
}));

vi.mock("~/components/language-switch", () => ({ LanguageSwitch: () => null }));

const { default: PrivacyPolicyPage } = await import("~/app/privacy/page");
const { RETENTION_RULES, OTHER_RETENTION_DAYS } = await import("~/server/services/privacy/retention");
const { BACKUP_RETENTION_DAYS } = await import("~/server/services/privacy/erasure");

async function render(at: "pt-BR" | "en") {
  locale = at;
  const page = (await PrivacyPolicyPage()) as ReactNode;
  return renderToString(createElement(NextIntlClientProvider, { locale: at, messages: MESSAGES[at], timeZone: "America/Sao_Paulo" } as ComponentProps<typeof NextIntlClientProvider>, page));
}

const cell = (html: string, key: string) => new RegExp(`data-testid="retention-${key}"[^>]*>([^<]*)<`).exec(html)?.[1];

describe("/privacy", () => {
  it.each(["pt-BR", "en"] as const)("renders every category, period, right and processor (%s)", async (at) => {
    const html = await render(at);
    for (const key of ["account", "organization", "marketplace", "media", "billing", "audit", "ai"]) expect(html).toContain(`data-testid="privacy-category-${key}"`);
    const unit = at === "pt-BR" ? "dias" : "days";
    for (const rule of RETENTION_RULES) expect(cell(html, rule.key), rule.key).toBe(`${rule.days} ${unit}`);
    expect(cell(html, "softDeleted")).toBe(`${OTHER_RETENTION_DAYS.softDeleted} ${unit}`);
    expect(cell(html, "jobRuns")).toBe(`${OTHER_RETENTION_DAYS.jobRuns} ${unit}`);
    expect(cell(html, "rawArchive")).toBe(`${OTHER_RETENTION_DAYS.rawArchive} ${unit}`);
    expect(cell(html, "backups")).toBe(`${BACKUP_RETENTION_DAYS} ${unit}`);
    expect(html).toContain('href="/settings/privacy"');
    expect(html).toContain('href="/sign-in"');
    for (const processor of ["Amazon Web Services", "Stripe", "Mercado Livre", "Shopee", "TikTok", "YouTube"]) expect(html).toContain(processor);
    // No placeholder left unfilled.
    expect(html).not.toMatch(/\{[a-zA-Z]+\}/);
  });

  it("speaks each language", async () => {
    expect(await render("pt-BR")).toContain("Política de privacidade");
    expect(await render("en")).toContain("Privacy policy");
  });
});
