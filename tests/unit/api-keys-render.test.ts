/**
 * Settings → API keys rendered to HTML (the page's first paint) with the tRPC hooks replaced by
 * fixed data: the empty state explains what keys are for and offers "Nova chave"; the table shows
 * the prefix (never more), scope chips, who created it, last use with IP, expiry and a badge per
 * status (ORPHANED explained); revoked keys offer no revoke button; the docs links; the scopes grid
 * (write locks read as included; engagement has no read); the created key panel with its warning;
 * the pure helpers behind the dialog. Every text comes from the app's messages (a missing key throws).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { API_SCOPES } from "~/server/auth/scopes";
import { MESSAGES } from "~/i18n/messages";

const state = { items: [] as Record<string, unknown>[], nextCursor: null as string | null, isPending: false };

const noop = vi.fn();
vi.mock("next/navigation", () => ({ useRouter: () => ({ refresh: noop, push: noop }) }));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ apiKeys: { list: { invalidate: noop } } }),
    apiKeys: {
      list: {
        useInfiniteQuery: () => ({
          data: state.isPending ? undefined : { pages: [{ items: state.items, nextCursor: state.nextCursor }] },
          isPending: state.isPending,
          isError: false,
          hasNextPage: state.nextCursor !== null,
          isFetchingNextPage: false,
          fetchNextPage: noop,
          refetch: noop,
        }),
      },
      create: { useMutation: () => ({ mutate: noop, reset: noop, isPending: false, error: null }) },
      revoke: { useMutation: () => ({ mutate: noop, reset: noop, isPending: false, error: null }) },
    },
  },
}));

const { ApiKeysManager } = await import("~/components/developers/api-keys/api-keys-manager");
const { ScopesGrid } = await import("~/components/developers/api-keys/scopes-grid");
const { CreatedKeyPanel } = await import("~/components/developers/api-keys/created-key-panel");
const { CreateKeyDialog, expiryFor } = await import("~/components/developers/api-keys/create-key-dialog");
const { emptySelection, scopesOf, SCOPE_DOMAINS } = await import("~/components/developers/api-keys/scopes");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
const NOW = new Date("2026-11-26T15:00:00Z");

function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo", now: NOW } as ProviderProps, node));
}

function key(overrides: Record<string, unknown>) {
  return {
    id: `k-${Math.random().toString(36).slice(2)}`,
    name: "Integração ERP",
    prefix: "ssk_AbCdEfGh",
    scopes: ["listings:read"],
    createdBy: { id: "u1", name: "Maria Dona" },
    createdAt: new Date("2026-11-01T12:00:00Z"),
    lastUsedAt: null,
    lastUsedIp: null,
    expiresAt: null,
    revokedAt: null,
    status: "ACTIVE",
    ...overrides,
  };
}

/** The HTML of each key row. */
const rowsOf = (html: string) => html.split('data-testid="api-key-row"').slice(1);

beforeEach(() => {
  state.items = [];
  state.nextCursor = null;
  state.isPending = false;
});

describe("Settings → API keys", () => {
  it("empty: explains what keys are for, offers a new key and links to the docs", () => {
    const html = render("pt-BR", createElement(ApiKeysManager, { now: NOW }));
    expect(html).toContain("Nenhuma chave de API ainda");
    expect(html).toContain("sem usar a senha de ninguém");
    expect(html).toContain("Nova chave");
    expect(rowsOf(html)).toHaveLength(0);
    for (const href of ["/api/v1/docs", "/api/v1/openapi.json", "/api/panel"]) expect(html).toContain(`href="${href}"`);
    expect(html).toContain("Authorization: Bearer ssk_…");
  });

  it("loading: a status line, no empty state", () => {
    state.isPending = true;
    const html = render("pt-BR", createElement(ApiKeysManager, { now: NOW }));
    expect(html).toContain('role="status"');
    expect(html).not.toContain("Nenhuma chave de API ainda");
  });

  it("lists keys with prefix, scope chips, creator, last use and IP, expiry and a badge per status", () => {
    state.items = [
      key({ name: "ERP", scopes: ["listings:write", "actions:read"], lastUsedAt: new Date(NOW.getTime() - 2 * 3_600_000), lastUsedIp: "203.0.113.7", expiresAt: new Date("2027-02-24T12:00:00Z") }),
      key({ name: "Antiga", status: "EXPIRED", expiresAt: new Date("2026-10-01T12:00:00Z") }),
      key({ name: "Vazada", status: "REVOKED", revokedAt: new Date("2026-11-20T12:00:00Z") }),
      key({ name: "Do ex-gerente", status: "ORPHANED", createdBy: { id: "u2", name: "João Saiu" } }),
    ];
    state.nextCursor = "next";
    const html = render("pt-BR", createElement(ApiKeysManager, { now: NOW }));
    const rows = rowsOf(html);
    expect(rows).toHaveLength(4);

    expect(rows[0]).toContain("ssk_AbCdEfGh…");
    expect(rows[0]).toContain("Anúncios e saúde: Escrita");
    expect(rows[0]).toContain("Ações sugeridas: Leitura");
    expect(rows[0]).toContain('data-scope="listings:write"');
    expect(rows[0]).toContain("por Maria Dona");
    expect(rows[0]).toContain("há 2 horas");
    expect(rows[0]).toContain("de 203.0.113.7");
    expect(rows[0]).toContain("24 de fev. de 2027");
    expect(rows[0]).toMatch(/data-status="ACTIVE"[^>]*>Ativa</);
    expect(rows[0]).toContain("Revogar a chave ERP");

    expect(rows[1]).toContain("Nunca usada");
    expect(rows[1]).toMatch(/data-status="EXPIRED"[^>]*>Expirada</);
    expect(rows[2]).toMatch(/data-status="REVOKED"[^>]*>Revogada</);
    expect(rows[2]).not.toContain("Revogar a chave");
    expect(rows[3]).toMatch(/data-status="ORPHANED"[^>]*>Sem dono</);
    expect(rows[3]).toContain("Quem criou a chave não é mais membro ativo da organização");
    expect(rows[3]).toContain("Não expira");

    expect(html).toContain("Carregar mais");
    expect(html).not.toContain("Nenhuma chave de API ainda");
  });

  it("speaks English too", () => {
    state.items = [key({ status: "ORPHANED", lastUsedAt: new Date(NOW.getTime() - 86_400_000), lastUsedIp: "198.51.100.1" })];
    const html = render("en", createElement(ApiKeysManager, { now: NOW }));
    expect(html).toContain("API keys");
    expect(html).toContain("No owner");
    expect(html).toContain("Listings and health: Read");
    expect(html).toContain("1 day ago");
    expect(html).toContain("from 198.51.100.1");
  });
});

describe("the new key dialog", () => {
  it("the scopes grid: one row per domain, read and write; write shows read as included; engagement has no read", () => {
    const selection = { ...emptySelection(), listings: "write" as const, content: "read" as const };
    const html = render("pt-BR", createElement(ScopesGrid, { value: selection, onChange: noop }));
    for (const d of SCOPE_DOMAINS) expect(html).toContain(`data-domain="${d.domain}"`);
    expect(html).toContain("Escrita inclui leitura do mesmo domínio");
    const input = (scope: string) => html.match(new RegExp(`<input[^>]*data-scope="${scope}"[^>]*>`))?.[0] ?? "";
    expect(input("listings:read")).toContain("checked");
    expect(input("listings:read")).toContain("disabled");
    expect(input("listings:read")).toContain('title="Leitura incluída na escrita"');
    expect(input("listings:write")).toContain("checked");
    expect(input("content:read")).toContain("checked");
    expect(input("content:read")).not.toContain("disabled");
    expect(input("content:write")).not.toContain("checked");
    expect(input("actions:read")).not.toContain("checked");
    expect(input("engagement:write")).not.toBe("");
    expect(input("engagement:read")).toBe("");
    // Every scope of the API is offered, nothing else.
    const offered = [...html.matchAll(/data-scope="([^"]+)"/g)].map((m) => m[1]).sort();
    expect(offered).toEqual([...API_SCOPES].sort());
  });

  it("sends one scope per chosen domain (write alone, it implies read)", () => {
    expect(scopesOf(emptySelection())).toEqual([]);
    expect(scopesOf({ ...emptySelection(), listings: "write", actions: "read", engagement: "write" })).toEqual(["listings:write", "actions:read", "engagement:write"]);
  });

  it("turns the expiry choice into a date: never, N days, or the end of a chosen day within two years", () => {
    expect(expiryFor("never", "", NOW)).toBeNull();
    expect(expiryFor("30", "", NOW)?.getTime()).toBe(NOW.getTime() + 30 * 86_400_000);
    expect(expiryFor("custom", "", NOW)).toBeUndefined();
    expect(expiryFor("custom", "2026-11-01", NOW)).toBeUndefined();
    expect(expiryFor("custom", "2029-01-01", NOW)).toBeUndefined();
    expect(expiryFor("custom", "2027-03-10", NOW)?.getTime()).toBeGreaterThan(NOW.getTime());
  });

  it("the form: name, the grid and the expiry choices", () => {
    const html = render("pt-BR", createElement(CreateKeyDialog, { open: true, onOpenChange: noop }));
    expect(html).toContain("Nova chave de API");
    expect(html).toContain('maxLength="60"');
    for (const label of ["Não expira", "30 dias", "90 dias", "1 ano", "Escolher uma data"]) expect(html).toContain(label);
    expect(html).toContain('data-testid="scopes-grid"');
    expect(html).toContain("Criar chave");
  });

  it("the created key is shown once, with a copy button and the warning that it will not be shown again", () => {
    const plaintext = "ssk_0123456789abcdefghijABCDEFGHIJ_-xyzXYZ0123";
    const html = render("pt-BR", createElement(CreatedKeyPanel, { plaintext, onDone: noop }));
    expect(html).toContain(`value="${plaintext}"`);
    expect(html).toContain("readOnly");
    expect(html).toContain("Copiar chave");
    expect(html).toContain("única vez que a chave é mostrada");
    expect(html).toContain("Já guardei a chave");
    // The list never carries more than the prefix.
    state.items = [key({ prefix: plaintext.slice(0, 12) })];
    const list = render("pt-BR", createElement(ApiKeysManager, { now: NOW }));
    expect(list).toContain(`${plaintext.slice(0, 12)}…`);
    expect(list).not.toContain(plaintext.slice(12));
  });
});
