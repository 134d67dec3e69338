/**
 * Settings → Webhooks rendered to HTML (the page's first paint) with the tRPC hooks replaced by
 * fixed data: the endpoints list with its three states (active, failing since, disabled with the
 * reason and a banner), the empty state, the create dialog's events described in Portuguese, the
 * secret shown once, and the deliveries log (codes, latency, attempts, next attempt, replay,
 * pagination). Every text comes from the app's messages (a missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

const at = (iso: string) => new Date(iso);
const endpoint = (over: Record<string, unknown>) => ({
  id: "whe_1",
  url: "https://erp.example.com/hooks",
  description: "ERP da loja",
  secretHint: "whsec_AbCd…",
  events: ["action.applied", "listing.score_changed"],
  enabled: true,
  state: "active",
  failingSince: null,
  disabledAt: null,
  disabledReason: null,
  createdAt: at("2026-11-20T10:00:00Z"),
  updatedAt: at("2026-11-20T10:00:00Z"),
  ...over,
});

type State = { endpoints: Record<string, unknown>[]; deliveries: Record<string, unknown>[]; hasNextPage: boolean; endpoint: Record<string, unknown> };
const state = {} as State;
const noop = vi.fn();
const mutation = () => ({ mutate: noop, reset: noop, isPending: false, error: null, variables: undefined });

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: noop, push: noop }) }));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ webhooks: { invalidate: noop, list: { invalidate: noop }, deliveries: { invalidate: noop } } }),
    webhooks: {
      list: { useQuery: () => ({ data: state.endpoints, isPending: false, isError: false, refetch: noop }) },
      get: { useQuery: () => ({ data: state.endpoint, isPending: false, isError: false }) },
      deliveries: {
        useInfiniteQuery: () => ({
          data: { pages: [{ items: state.deliveries, nextCursor: state.hasNextPage ? "next" : null }] },
          isPending: false,
          isError: false,
          isRefetching: false,
          hasNextPage: state.hasNextPage,
          isFetchingNextPage: false,
          fetchNextPage: noop,
          refetch: noop,
        }),
      },
      create: { useMutation: mutation },
      update: { useMutation: mutation },
      delete: { useMutation: mutation },
      rotateSecret: { useMutation: mutation },
      sendTest: { useMutation: mutation },
      replay: { useMutation: mutation },
    },
  },
}));

const { WebhooksManager } = await import("~/components/developers/webhooks/webhooks-manager");
const { EndpointDialog, validateEndpointForm } = await import("~/components/developers/webhooks/endpoint-dialog");
const { SecretPanel } = await import("~/components/developers/webhooks/secret-panel");
const { DeliveriesLog } = await import("~/components/developers/webhooks/deliveries-log");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}
const rows = (html: string, testId: string) => html.match(new RegExp(`data-testid="${testId}"`, "g"))?.length ?? 0;

beforeEach(() => {
  state.endpoints = [];
  state.deliveries = [];
  state.hasNextPage = false;
  state.endpoint = endpoint({});
});

describe("Settings → Webhooks", () => {
  it("without endpoints: the empty state offers the first one", () => {
    const html = render("pt-BR", createElement(WebhooksManager, { disableAfterHours: 72 }));
    expect(html).toContain("Nenhum endpoint cadastrado");
    expect(html).toContain("Novo endpoint");
    expect(rows(html, "webhook-endpoint-row")).toBe(0);
  });

  it("lists endpoints with their events and state: active, failing since, disabled with reason and a banner", () => {
    state.endpoints = [
      endpoint({}),
      endpoint({ id: "whe_2", url: "https://b.example.com/x", state: "failing", failingSince: at("2026-11-25T12:00:00Z") }),
      endpoint({ id: "whe_3", url: "https://c.example.com/y", enabled: false, state: "disabled", disabledAt: at("2026-11-26T09:30:00Z"), disabledReason: "failing" }),
    ];
    const html = render("pt-BR", createElement(WebhooksManager, { disableAfterHours: 72 }));
    expect(rows(html, "webhook-endpoint-row")).toBe(3);
    expect(html).toContain("https://erp.example.com/hooks");
    expect(html).toContain("Segredo: whsec_AbCd…");
    expect(html).toContain("Ação aplicada");
    expect(html).toContain("Nota de saúde mudou");
    expect(html).toContain(">Ativo<");
    expect(html).toContain("Falhando desde 25/11/2026");
    expect(html).toContain(">Desativado<");
    expect(html).toContain("Desativado automaticamente após falhas seguidas");
    expect(rows(html, "endpoint-disabled-banner")).toBe(1);
    expect(html).toContain("O endpoint https://c.example.com/y foi desativado em");
    expect(html).toContain("mais de 72 horas");
    expect(html).toContain('href="/settings/webhooks/whe_1"');
    // The disabled endpoint is offered "Reativar"; the others "Desativar".
    expect(html.match(/>Reativar</g)).toHaveLength(1);
    expect(html.match(/>Desativar</g)).toHaveLength(2);
  });

  it("at the limit of 10 endpoints the add button is disabled and says why", () => {
    state.endpoints = Array.from({ length: 10 }, (_, i) => endpoint({ id: `whe_${i}`, url: `https://e${i}.example.com/` }));
    const html = render("pt-BR", createElement(WebhooksManager, { disableAfterHours: 72 }));
    expect(html).toContain("Limite de 10 endpoints atingido");
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>.*?Novo endpoint/);
  });

  it("the create dialog describes every event in Portuguese (and in English)", () => {
    const html = render("pt-BR", createElement(EndpointDialog, { open: true, endpoint: null, onClose: noop }));
    expect(html).toContain("Novo endpoint de webhook");
    for (const text of ["Nota de saúde mudou", "Ação aplicada", "Ação falhou", "Post publicado", "Post falhou", "Comentário recebido", "Conta precisa reconectar"]) expect(html).toContain(text);
    expect(html).toContain("Uma ação aprovada foi gravada no marketplace.");
    expect(html.match(/type="checkbox"/g)).toHaveLength(7);
    expect(html).toContain("Criar endpoint");
    const en = render("en", createElement(EndpointDialog, { open: true, endpoint: null, onClose: noop }));
    expect(en).toContain("Health score changed");
    expect(en).toContain("Create endpoint");
  });

  it("the edit dialog starts from the endpoint's values", () => {
    const html = render("pt-BR", createElement(EndpointDialog, { open: true, endpoint: endpoint({}) as never, onClose: noop }));
    expect(html).toContain("Editar endpoint");
    expect(html).toContain('value="https://erp.example.com/hooks"');
    expect(html.match(/type="checkbox" [^>]*checked=""/g)).toHaveLength(2);
  });

  it("checks the form before sending", () => {
    expect(validateEndpointForm("", [])).toEqual({ url: "urlRequired", events: "eventsRequired" });
    expect(validateEndpointForm("ftp://x", ["action.applied"])).toEqual({ url: "urlRequired" });
    expect(validateEndpointForm("https://erp.example.com/h", ["action.applied"])).toEqual({});
  });

  it("shows the secret once, with a copy button and the warning", () => {
    const html = render("pt-BR", createElement(SecretPanel, { secret: "whsec_supersecret", onDone: noop }));
    expect(html).toContain('value="whsec_supersecret"');
    expect(html).toContain("não será mostrado de novo");
    expect(html).toContain(">Copiar<");
  });
});

describe("Webhook deliveries log", () => {
  const delivery = (over: Record<string, unknown>) => ({
    id: "whd_1",
    endpointId: "whe_1",
    eventId: "evt_abc",
    event: "action.applied",
    payload: { id: "evt_abc", type: "action.applied", data: { actionId: "act_1" } },
    status: "SUCCEEDED",
    attempts: 1,
    responseCode: 200,
    latencyMs: 87,
    lastError: null,
    nextAttemptAt: null,
    lastAttemptAt: at("2026-11-26T10:00:00Z"),
    replayOfId: null,
    createdAt: at("2026-11-26T10:00:00Z"),
    deliveredAt: at("2026-11-26T10:00:01Z"),
    ...over,
  });

  it("without deliveries: the empty state says when they appear", () => {
    const html = render("pt-BR", createElement(DeliveriesLog, { endpointId: "whe_1", disableAfterHours: 72 }));
    expect(html).toContain("Nenhuma entrega ainda");
    expect(html).toContain("Voltar aos webhooks");
  });

  it("shows event, status, code, latency, attempts, next attempt and a replay button per row, and pages on", () => {
    state.deliveries = [
      delivery({}),
      delivery({ id: "whd_2", status: "PENDING", attempts: 2, responseCode: 503, latencyMs: 1200, lastError: "HTTP 503: indisponível", nextAttemptAt: at("2026-11-26T10:05:00Z") }),
      delivery({ id: "whd_3", status: "FAILED", attempts: 8, responseCode: null, latencyMs: null, lastError: "Timed out after 10000 ms", replayOfId: "whd_0" }),
    ];
    state.hasNextPage = true;
    const html = render("pt-BR", createElement(DeliveriesLog, { endpointId: "whe_1", disableAfterHours: 72 }));
    expect(rows(html, "webhook-delivery-row")).toBe(3);
    expect(html).toContain(">Entregue<");
    expect(html).toContain(">Pendente<");
    expect(html).toContain(">Falhou<");
    expect(html).toContain("87 ms");
    expect(html).toContain(">503<");
    expect(html).toContain("26/11/2026, 07:05:00");
    expect(html.match(/>Reenviar</g)).toHaveLength(3);
    expect(html).toContain(">Reenvio<");
    expect(html).toContain("Carregar mais");
    // Details are collapsed until asked for.
    expect(rows(html, "webhook-delivery-details")).toBe(0);
    expect(html).toContain('aria-expanded="false"');
  });

  it("a disabled endpoint's log shows the banner and cannot replay", () => {
    state.endpoint = endpoint({ enabled: false, state: "disabled", disabledAt: at("2026-11-26T09:30:00Z"), disabledReason: "failing" });
    state.deliveries = [delivery({ status: "FAILED" })];
    const html = render("pt-BR", createElement(DeliveriesLog, { endpointId: "whe_1", disableAfterHours: 72 }));
    expect(rows(html, "endpoint-disabled-banner")).toBe(1);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>.*?Reenviar/);
  });
});
