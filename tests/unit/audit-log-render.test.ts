/**
 * Settings → Audit rendered to HTML (the page's first paint) with the tRPC hooks replaced by fixed
 * data: the filters (areas and actions from the log, people, dates, target id) starting from the
 * URL's filter, each row's who / what / when / where from (IP and "Chrome 120 on Windows 10"),
 * the export button, and the empty states with and without a filter. Every text comes from the
 * app's messages (a missing key would throw). Also the URL filter parser.
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";
import { auditFilterFromParams } from "~/lib/audit-filter";

type State = { entries: Record<string, unknown>[]; hasNextPage: boolean };
const state = {} as State;
const noop = vi.fn();

vi.mock("next/navigation", () => ({ useRouter: () => ({ replace: noop, push: noop, refresh: noop }), usePathname: () => "/settings/audit" }));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    tenants: {
      audit: {
        useInfiniteQuery: () => ({
          data: { pages: [{ items: state.entries, nextCursor: state.hasNextPage ? "next" : null }] },
          isPending: false,
          isError: false,
          hasNextPage: state.hasNextPage,
          isFetchingNextPage: false,
          fetchNextPage: noop,
        }),
      },
      auditFacets: {
        useQuery: () => ({
          data: {
            actions: ["member.removed", "member.role_changed", "organization.updated", "zeta.unknown_thing"],
            actors: [{ id: "usr_ana", name: "Ana Dona", email: "ana@example.test" }],
          },
        }),
      },
      auditExport: { useMutation: () => ({ mutate: noop, isPending: false }) },
    },
  },
}));

const { AuditLog } = await import("~/components/audit-log");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}

const entry = (over: Record<string, unknown>) => ({
  id: "aud_1",
  action: "member.role_changed",
  targetType: "membership",
  targetId: "mem_123",
  metadata: {},
  ip: "198.51.100.7",
  userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.0.0",
  createdAt: new Date("2026-03-10T02:30:00Z"),
  actor: { id: "usr_ana", name: "Ana Dona", email: "ana@example.test" },
  device: { browser: "Chrome 120", os: "Windows 10", device: "desktop" },
  ...over,
});

beforeEach(() => {
  state.entries = [];
  state.hasNextPage = false;
});

describe("Settings → Audit", () => {
  it("shows who, what, when and where from, with the device read from the user agent", () => {
    state.entries = [
      entry({}),
      entry({ id: "aud_2", action: "zeta.unknown_thing", targetType: null, targetId: null, ip: null, userAgent: null, actor: null, device: { browser: null, os: null, device: null } }),
    ];
    const html = render("pt-BR", createElement(AuditLog, { timeZone: "America/Sao_Paulo", filter: {} }));
    expect(html).toContain("Ana Dona");
    expect(html).toContain("Papel de membro alterado");
    // The São Paulo wall clock, not UTC: 02:30 UTC is 23:30 of the day before.
    expect(html).toContain("09/03/2026");
    expect(html).toContain("23:30");
    expect(html).toContain("198.51.100.7");
    expect(html).toContain("Chrome 120 em Windows 10");
    // No label yet: the raw action code; no actor: "Sistema"; unknown IP and device said so.
    expect(html).toContain("zeta.unknown_thing");
    expect(html).toContain("Sistema");
    expect(html).toContain("IP desconhecido");
    expect(html).toContain("Dispositivo desconhecido");
    expect(html).toContain("De onde");
    expect(html).toContain("Exportar CSV");
    expect(html).toContain("Fim do registro.");
    const en = render("en", createElement(AuditLog, { timeZone: "America/Sao_Paulo", filter: {} }));
    expect(en).toContain("Chrome 120 on Windows 10");
    expect(en).toContain("Export CSV");
  });

  it("offers areas, the log's actions and its people, starting from the URL's filter", () => {
    state.entries = [entry({})];
    const html = render("pt-BR", createElement(AuditLog, { timeZone: "America/Sao_Paulo", filter: { action: "member.", actorUserId: "usr_ana", from: "2026-03-01", to: "2026-03-31", targetId: "mem_123" } }));
    expect(html).toContain("Membros (todas)");
    expect(html).toMatch(/<option value="member\." selected="">/);
    expect(html).toMatch(/<option value="usr_ana" selected="">Ana Dona \(ana@example.test\)<\/option>/);
    expect(html).toContain('value="2026-03-01"');
    expect(html).toContain('value="2026-03-31"');
    expect(html).toContain('value="mem_123"');
    expect(html).toContain("Organização atualizada");
    expect(html).toContain("Limpar filtros");
    expect(html).toContain("fuso horário da organização");
  });

  it("empty: says so, and with a filter suggests widening it", () => {
    expect(render("pt-BR", createElement(AuditLog, { timeZone: "UTC", filter: {} }))).toContain("Nenhum registro ainda.");
    const filtered = render("pt-BR", createElement(AuditLog, { timeZone: "UTC", filter: { action: "member." } }));
    expect(filtered).toContain("Nenhum registro com esses filtros.");
    expect(filtered).toContain("Amplie o período");
  });

  it("more pages: a button to load them", () => {
    state.entries = [entry({})];
    state.hasNextPage = true;
    expect(render("pt-BR", createElement(AuditLog, { timeZone: "UTC", filter: {} }))).toContain("Carregar mais");
  });
});

describe("the filter in the URL", () => {
  it("reads the known parameters and drops malformed days and blanks", () => {
    expect(auditFilterFromParams({ action: "member.", actor: "usr_1", from: "2026-03-01", to: "2026-03-31", target: " mem_1 " })).toEqual({
      action: "member.",
      actorUserId: "usr_1",
      from: "2026-03-01",
      to: "2026-03-31",
      targetId: "mem_1",
    });
    expect(auditFilterFromParams({ from: "01/03/2026", to: "", action: ["a.b", "c.d"], other: "x" })).toEqual({ action: "a.b" });
    expect(auditFilterFromParams({ target: "x".repeat(500) }).targetId).toHaveLength(200);
  });
});
