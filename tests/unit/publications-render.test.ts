/**
 * The Publicações board and the notifications bell rendered to HTML (the page's first paint) with
 * the tRPC hooks replaced by fixed data: tabs with counts, times in the organization's zone, our
 * failure codes translated and the network's own text quoted, actions only for people who may
 * publish, empty states, and the bell's unread count. Every text comes from the messages (a
 * missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import en from "../../messages/en.json";
import ptBR from "../../messages/pt-BR.json";
import publishingEn from "../../messages/parts/publishing.en.json";
import publishingPt from "../../messages/parts/publishing.pt-BR.json";

type Tree = { [key: string]: string | Tree };
function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = typeof v === "object" && typeof out[k] === "object" ? merge(out[k], v) : v;
  return out;
}
const MESSAGES = { "pt-BR": merge(ptBR as Tree, publishingPt as Tree), en: merge(en as Tree, publishingEn as Tree) };

type Row = Record<string, unknown> & { id: string; status: string };
const state: { rows: Row[]; counts: Record<string, number>; unread: number } = { rows: [], counts: {}, unread: 0 };

const noop = vi.fn();
vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ publications: { list: { invalidate: noop }, counts: { invalidate: noop } }, notifications: { list: { invalidate: noop }, unreadCount: { invalidate: noop } } }),
    publications: {
      counts: { useQuery: () => ({ data: state.counts }) },
      list: {
        useInfiniteQuery: () => ({ data: { pages: [{ items: state.rows, nextCursor: null }] }, isPending: false, isError: false, hasNextPage: false, isFetchingNextPage: false, fetchNextPage: noop }),
      },
      retry: { useMutation: () => ({ mutate: noop, isPending: false }) },
      cancel: { useMutation: () => ({ mutate: noop, isPending: false }) },
      reschedule: { useMutation: () => ({ mutate: noop, isPending: false }) },
    },
    notifications: {
      unreadCount: { useQuery: () => ({ data: { count: state.unread } }) },
      list: { useInfiniteQuery: () => ({ data: { pages: [{ items: [], nextCursor: null }] }, isPending: false, isError: false, hasNextPage: false }) },
      markRead: { useMutation: () => ({ mutate: noop, isPending: false }) },
      markAllRead: { useMutation: () => ({ mutate: noop, isPending: false }) },
    },
  },
}));

const { PublicationsBoard } = await import("~/components/publications/publications-board");
const { NotificationsBell } = await import("~/components/notifications/notifications-bell");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;

function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}

function row(over: Partial<Row> & { id: string; status: string }): Row {
  return {
    contentId: "content-1",
    contentTitle: "Lançamento de verão",
    network: "INSTAGRAM",
    connectionId: "conn-1",
    accountName: "@lojademo",
    scheduledAt: new Date("2026-12-01T13:00:00Z"),
    dispatchedAt: null,
    publishedAt: null,
    nextAttemptAt: null,
    externalId: null,
    permalink: null,
    attempts: 0,
    version: 0,
    failureCode: null,
    failureReason: null,
    createdAt: new Date("2026-11-20T10:00:00Z"),
    ...over,
  };
}

beforeEach(() => {
  state.rows = [];
  state.counts = { scheduled: 3, published: 12, failed: 1, unconfirmed: 0, canceled: 2 };
  state.unread = 0;
});

describe("Publicações board", () => {
  it("shows the tabs with counts and each row's time in the organization's zone, with actions for publishers", () => {
    state.rows = [row({ id: "p1", status: "SCHEDULED" })];
    const html = render("pt-BR", createElement(PublicationsBoard, { timeZone: "America/Sao_Paulo", initialTab: "scheduled", canPublish: true }));
    for (const label of ["Agendadas", "Publicadas", "Falhas", "Não confirmadas"]) expect(html).toContain(label);
    expect(html).toMatch(/role="tab"[^>]*aria-selected="true"[^>]*>.*Agendadas/);
    expect(html).toContain(">12<");
    // 13:00 UTC is 10:00 in São Paulo.
    expect(html).toContain("10:00");
    expect(html).toContain('href="/social/content/content-1"');
    expect(html).toContain("Reagendar");
    expect(html).toContain("Cancelar");
  });

  it("translates our failure codes and quotes the network's own text; read-only people get no actions", () => {
    state.rows = [
      row({ id: "p1", status: "FAILED", failureCode: "needs_reconnect", failureReason: "Reconecte a conta do Instagram…" }),
      row({ id: "p2", status: "FAILED", failureCode: "container_error", failureReason: "Error: The image could not be processed." }),
    ];
    const en = render("en", createElement(PublicationsBoard, { timeZone: "America/Sao_Paulo", initialTab: "failed", canPublish: false }));
    expect(en).toContain("Reconnect the account");
    expect(en).toContain("The network said: Error: The image could not be processed.");
    expect(en).not.toContain("Try again");
    expect(en).toContain("need the publishing permission");
  });

  it("shows an empty state per tab", () => {
    const html = render("pt-BR", createElement(PublicationsBoard, { timeZone: "America/Sao_Paulo", initialTab: "unconfirmed", canPublish: true }));
    expect(html).toContain("Nada a confirmar");
  });
});

describe("notifications bell", () => {
  it("labels the unread count for screen readers and shows it on the icon", () => {
    state.unread = 3;
    const html = render("pt-BR", createElement(NotificationsBell));
    expect(html).toContain("Abrir notificações — 3 não lidas");
    expect(html).toMatch(/>3<\/span>/);
  });

  it("shows no badge when everything is read", () => {
    const html = render("en", createElement(NotificationsBell));
    expect(html).toContain("None unread");
    expect(html).not.toMatch(/bg-red-600/);
  });
});
