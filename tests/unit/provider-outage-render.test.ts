/**
 * The provider outage banner (open circuit breakers) rendered to HTML: the resume time is the
 * organization's wall clock (not the browser's), in Portuguese and English, per provider and per
 * account, filtered to the page's area; nothing renders when every breaker is closed.
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

type Circuit = { scope: "provider" | "connection"; provider: "MERCADOLIVRE" | "SHOPEE" | "INSTAGRAM" | "TIKTOK" | "YOUTUBE"; connectionId: string | null; accountName: string | null; state: "OPEN" | "HALF_OPEN"; resumesAt: Date | null };
const state = { data: undefined as undefined | { timeZone: string; circuits: Circuit[] } };

vi.mock("~/trpc/react", () => ({
  api: { connectors: { circuits: { useQuery: () => ({ data: state.data }) } } },
}));

const { ProviderOutageBanner, ProviderOutageBanners, resumeTime } = await import("~/components/resilience/provider-outage-banner");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
// The browser's time zone is deliberately not the organization's: the banner must not use it.
function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "Asia/Tokyo" } as ProviderProps, node));
}
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, " ");

const now = new Date("2026-11-27T17:30:00Z");
const ml: Circuit = { scope: "provider", provider: "MERCADOLIVRE", connectionId: null, accountName: null, state: "OPEN", resumesAt: new Date("2026-11-27T17:45:00Z") };
const tiktok: Circuit = { scope: "connection", provider: "TIKTOK", connectionId: "c1", accountName: "@loja", state: "HALF_OPEN", resumesAt: new Date("2026-11-27T17:00:00Z") };
const shopeeAccount: Circuit = { scope: "connection", provider: "SHOPEE", connectionId: "c2", accountName: "Loja Shopee", state: "OPEN", resumesAt: new Date("2026-11-27T18:05:00Z") };

beforeEach(() => {
  state.data = undefined;
});

describe("provider outage banner", () => {
  it("says when Mercado Livre resumes, on the organization's clock, in Portuguese and English", () => {
    const status = { timeZone: "America/Sao_Paulo", circuits: [ml] };
    expect(text(render("pt-BR", createElement(ProviderOutageBanners, { status, now })))).toContain("Mercado Livre indisponível — retomando às 14:45");
    expect(text(render("en", createElement(ProviderOutageBanners, { status, now })))).toContain("Mercado Livre unavailable — resuming at 14:45");
    // Another organization's clock gives another time for the same instant.
    const manaus = { timeZone: "America/Manaus", circuits: [ml] };
    expect(text(render("pt-BR", createElement(ProviderOutageBanners, { status: manaus, now })))).toContain("retomando às 13:45");
    expect(resumeTime(new Date("2026-11-27T02:05:00Z"), "America/Sao_Paulo", "pt-BR")).toBe("23:05");
  });

  it("names the account when only one connection is affected, and says it is testing once the window is over", () => {
    const status = { timeZone: "America/Sao_Paulo", circuits: [shopeeAccount, tiktok] };
    const html = text(render("pt-BR", createElement(ProviderOutageBanners, { status, now })));
    expect(html).toContain("Shopee (Loja Shopee) indisponível — retomando às 15:05");
    expect(html).toContain("TikTok (@loja) indisponível — testando a conexão agora");
    expect(html).toContain("as outras contas seguem normalmente");
    // A probe in flight (lease ends in the future) still says "testing now", not a resume time.
    const probing = { timeZone: "America/Sao_Paulo", circuits: [{ ...tiktok, resumesAt: new Date("2026-11-27T17:31:00Z") }] };
    expect(text(render("en", createElement(ProviderOutageBanners, { status: probing, now })))).toContain("TikTok (@loja) unavailable — testing the connection now");
  });

  it("shows only the page's area: marketplaces on seller pages, networks on social pages", () => {
    const status = { timeZone: "America/Sao_Paulo", circuits: [ml, tiktok] };
    const seller = text(render("pt-BR", createElement(ProviderOutageBanners, { status, area: "marketplace", now })));
    expect(seller).toContain("Mercado Livre");
    expect(seller).not.toContain("TikTok");
    const social = text(render("en", createElement(ProviderOutageBanners, { status, area: "social", now })));
    expect(social).toContain("TikTok (@loja) unavailable");
    expect(social).not.toContain("Mercado Livre");
    expect(render("pt-BR", createElement(ProviderOutageBanners, { status: { timeZone: "America/Sao_Paulo", circuits: [tiktok] }, area: "marketplace", now }))).toBe("");
  });

  it("the query-fed banner renders nothing while loading or when every breaker is closed, and the banner otherwise", () => {
    expect(render("pt-BR", createElement(ProviderOutageBanner, {}))).toBe("");
    state.data = { timeZone: "America/Sao_Paulo", circuits: [] };
    expect(render("pt-BR", createElement(ProviderOutageBanner, {}))).toBe("");
    state.data = { timeZone: "America/Sao_Paulo", circuits: [{ ...ml, resumesAt: new Date(Date.now() + 3_600_000) }] };
    const html = render("pt-BR", createElement(ProviderOutageBanner, { area: "marketplace" }));
    expect(html).toContain('data-testid="provider-outage"');
    expect(html).toContain('role="status"');
    expect(text(html)).toMatch(/Mercado Livre indisponível — retomando às \d\d:\d\d/);
  });
});
