/**
 * The platform banners and the admin overview rendered to HTML with fixed data: the maintenance
 * message (or the standard text), the suspended-organization notice with its reason, and the
 * metrics in BRL with one table row per day. Every text comes from the app's messages (a missing
 * key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

const METRICS = {
  organizations: { active: 12, suspended: 2 },
  mrr: { live: { cents: 14900 + 41583, subscriptions: 2 }, test: { cents: 14900, subscriptions: 1 }, trialing: 3 },
  connectionsByProvider: [
    { provider: "MERCADOLIVRE", count: 9 },
    { provider: "INSTAGRAM", count: 4 },
  ],
  publishedPerDay: Array.from({ length: 14 }, (_, i) => ({ day: `2026-11-${String(13 + i).padStart(2, "0")}`, count: i === 13 ? 5 : 0 })),
  users: { total: 40, admins: 1, banned: 2 },
};

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: { admin: { metrics: { useQuery: () => ({ isPending: false, isError: false, data: METRICS }) } } },
}));

const { PlatformBanners } = await import("~/components/platform-banners");
const { AdminOverview } = await import("~/components/admin/admin-overview");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;

function render(node: ReactNode, locale: "pt-BR" | "en" = "pt-BR") {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}

describe("platform banners", () => {
  it("shows the admin's maintenance message, or the standard text when it is empty", () => {
    expect(render(createElement(PlatformBanners, { maintenance: { message: "Atualização até 22h" } }))).toContain("Atualização até 22h");
    const standard = render(createElement(PlatformBanners, { maintenance: { message: "" } }), "en");
    expect(standard).toContain("Platform under maintenance");
    expect(standard).toContain("changes are paused");
  });

  it("tells a suspended organization's members why, and renders nothing when all is normal", () => {
    const html = render(createElement(PlatformBanners, { maintenance: null, suspended: { reason: "Pagamento contestado" } }));
    expect(html).toContain("Organização suspensa");
    expect(html).toContain("Motivo: Pagamento contestado");
    expect(render(createElement(PlatformBanners, { maintenance: null, suspended: null }))).toBe("");
  });
});

describe("admin overview", () => {
  it("shows MRR in BRL (live and test apart), counts and one row per day", () => {
    const html = render(createElement(AdminOverview)).replace(/\u00a0/g, " ");
    expect(html).toContain("R$ 564,83");
    expect(html).toContain("R$ 149,00");
    expect(html).toContain("2 suspensas");
    expect(html).toContain("3 em teste grátis");
    expect(html).toContain("5 publicações no período.");
    expect(html).toContain("Mercado Livre");
    expect(html.match(/<tr/g)?.length).toBe(1 + 14 + 1 + 2);
  });
});
