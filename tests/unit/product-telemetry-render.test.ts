/**
 * The product-usage dashboard and the organization's telemetry switch rendered to HTML with fixed
 * data: activation rows with their percentages, one retention row per signup week with blank
 * future cells, the feature table, the empty state, and who sees the switch. Every text comes from
 * the app's messages (a missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

const WEEK = 7 * 86_400_000;
const FIRST = Date.UTC(2031, 0, 13);
const weeks = Array.from({ length: 8 }, (_, i) => new Date(FIRST + i * WEEK));

const DASHBOARD = {
  generatedAt: new Date(Date.UTC(2031, 2, 5, 12)),
  activation: {
    days: 14,
    since: weeks[0]!,
    organizations: 4,
    milestones: [
      { key: "connected", features: ["connections.connected"], organizations: 2, percent: 50 },
      { key: "explored", features: ["listings.view"], organizations: 2, percent: 50 },
      { key: "firstValue", features: ["actions.approve"], organizations: 3, percent: 75 },
    ],
    activated: { organizations: 2, percent: 50 },
  },
  weeklyActive: weeks.map((week, i) => ({ week, organizations: i === 0 ? 2 : 0, users: i === 0 ? 3 : 0 })),
  retention: weeks.map((week, row) => ({
    week,
    organizations: row === 0 ? 2 : 0,
    cells: Array.from({ length: 8 }, (_, k) => (k > 7 - row ? null : { organizations: row === 0 && k === 1 ? 1 : 0, percent: row === 0 && k === 1 ? 50 : 0 })),
  })),
  features: { days: 30, rows: [{ feature: "listings.view", events: 3, organizations: 1, users: 2 }] },
};

const EMPTY = {
  ...DASHBOARD,
  activation: { ...DASHBOARD.activation, organizations: 0 },
  weeklyActive: weeks.map((week) => ({ week, organizations: 0, users: 0 })),
  features: { days: 30, rows: [] },
};

const state = { dashboard: DASHBOARD as unknown, role: "MANAGER", enabled: true };
const query = (data: unknown) => ({ useQuery: () => ({ isPending: false, isError: false, data }) });

vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ productTelemetry: { settings: { invalidate: vi.fn() } } }),
    tenants: { current: { useQuery: () => ({ data: { role: state.role } }) } },
    productTelemetry: {
      dashboard: { useQuery: () => query(state.dashboard).useQuery() },
      settings: { useQuery: () => query({ enabled: state.enabled }).useQuery() },
      setEnabled: { useMutation: () => ({ mutate: vi.fn(), isPending: false, error: null }) },
    },
  },
}));

const { ProductUsageAdmin } = await import("~/components/admin/product-usage-admin");
const { ProductTelemetrySetting } = await import("~/components/product-telemetry/telemetry-setting");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;

function render(node: ReactNode, locale: "pt-BR" | "en" = "pt-BR") {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node)).replace(/\u00a0/g, " ");
}

describe("product usage dashboard", () => {
  it("shows activation, the cohort table and feature usage", () => {
    state.dashboard = DASHBOARD;
    const html = render(createElement(ProductUsageAdmin));
    expect(html).toContain("Ativação");
    expect(html).toContain("Primeiro valor: aprovou uma ação ou agendou uma publicação");
    expect(html).toContain("75%");
    expect(html).toContain("Ativadas (conectou + primeiro valor)");
    expect(html).toContain("4 organizações");
    const retention = html.slice(html.indexOf('data-testid="retention-table"'), html.indexOf('data-testid="features-table"'));
    expect(retention.match(/<tr/g)?.length).toBe(1 + 8);
    // The last cohort has only its first week; 7 blank cells.
    expect(retention.match(/<td class="px-4 py-3 text-slate-800"><\/td>/g)?.length).toBe(7 + 6 + 5 + 4 + 3 + 2 + 1);
    expect(html).toContain("listings.view");
    expect(render(createElement(ProductUsageAdmin), "en")).toContain("Retention by cohort");
  });

  it("says so when nothing was recorded yet", () => {
    state.dashboard = EMPTY;
    const html = render(createElement(ProductUsageAdmin));
    expect(html).toContain("Nenhum uso registrado ainda");
    expect(html).not.toContain("retention-table");
  });
});

describe("organization telemetry setting", () => {
  it("explains what is recorded and lets a manager turn it off", () => {
    state.role = "MANAGER";
    state.enabled = true;
    const html = render(createElement(ProductTelemetrySetting));
    expect(html).toContain("Nunca o que foi digitado");
    expect(html).toContain("Ligada");
    expect(html).toContain("Desligar telemetria");
    expect(html).toContain("são apagados na hora");
  });

  it("a viewer sees the state but no switch", () => {
    state.role = "VIEWER";
    state.enabled = false;
    const html = render(createElement(ProductTelemetrySetting), "en");
    expect(html).toContain("Off: nothing from this organization is recorded.");
    expect(html).not.toContain("Turn telemetry on");
    expect(html).toContain("Only owners and managers");
  });
});
