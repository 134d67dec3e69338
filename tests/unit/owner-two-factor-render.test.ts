/**
 * The owner two-factor banner and gate rendered to HTML in both languages: the banner links to
 * Settings → Security; the gate replaces every page's content with an explanation and a link,
 * except on Settings → Security itself, where the owner turns two-factor authentication on.
 * next/navigation's pathname is the only thing replaced (there is no router in a unit test).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

let pathname = "/dashboard";
vi.mock("next/navigation", () => ({ usePathname: () => pathname }));

const { PlatformBanners } = await import("~/components/platform-banners");
const { OwnerTwoFactorGate } = await import("~/components/security/owner-two-factor-gate");

function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ComponentProps<typeof NextIntlClientProvider>, node));
}

const page = createElement("p", null, "conteúdo da página");
// children as the third argument (react/no-children-prop); the cast only because the props type requires them.
const gate = (locked: boolean) => createElement(OwnerTwoFactorGate, { locked } as ComponentProps<typeof OwnerTwoFactorGate>, page);

beforeEach(() => {
  pathname = "/dashboard";
});

describe("owner two-factor banner", () => {
  it("appears only for an owner without the required second factor, linking to Settings → Security", () => {
    expect(render("pt-BR", createElement(PlatformBanners, { maintenance: null, ownerTwoFactorMissing: false }))).toBe("");
    const pt = render("pt-BR", createElement(PlatformBanners, { maintenance: null, ownerTwoFactorMissing: true }));
    expect(pt).toContain('data-testid="owner-two-factor-banner"');
    expect(pt).toContain("Ative a verificação em duas etapas");
    expect(pt).toContain('href="/settings/security"');
    expect(pt).toContain("Ir para Configurações → Segurança");
    const en = render("en", createElement(PlatformBanners, { maintenance: null, ownerTwoFactorMissing: true }));
    expect(en).toContain("Turn on two-step verification");
    expect(en).toContain("Go to Settings → Security");
  });

  it("stacks with the other banners", () => {
    const html = render("en", createElement(PlatformBanners, { maintenance: { message: "Back soon" }, suspended: { reason: "" }, ownerTwoFactorMissing: true }));
    expect(html).toContain("Back soon");
    expect(html).toContain('data-testid="owner-two-factor-banner"');
  });
});

describe("owner two-factor gate", () => {
  it("replaces a page's content with an explanation and a link", () => {
    const pt = render("pt-BR", gate(true));
    expect(pt).not.toContain("conteúdo da página");
    expect(pt).toContain("Verificação em duas etapas obrigatória");
    expect(pt).toContain('href="/settings/security"');
    expect(pt).toContain("Ativar agora");
    expect(render("en", gate(true))).toContain("Two-step verification required");
  });

  it("leaves Settings → Security open, and every page open when not locked", () => {
    pathname = "/settings/security";
    expect(render("pt-BR", gate(true))).toContain("conteúdo da página");
    pathname = "/settings/security-other";
    expect(render("pt-BR", gate(true))).not.toContain("conteúdo da página");
    pathname = "/seller/listings";
    expect(render("pt-BR", gate(false))).toContain("conteúdo da página");
  });
});
