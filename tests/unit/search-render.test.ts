/**
 * "Buscar semelhantes" rendered to HTML with the tRPC hooks replaced by fixed data: the start
 * state, results with similarity % and performance (listing and content), links to each item, the
 * no-results and indexing states, the "similar to" heading, and the re-index button by permission.
 * Every text comes from the app's messages (a missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

type State = { data: Record<string, unknown> | undefined; enabledSeen: boolean[] };
const state: State = { data: undefined, enabledSeen: [] };
const noop = vi.fn();

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    search: {
      similar: {
        useQuery: (_input: unknown, options: { enabled: boolean }) => {
          state.enabledSeen.push(options.enabled);
          return options.enabled
            ? { data: state.data, isPending: false, isError: false, error: null, refetch: noop }
            : { data: undefined, isPending: true, isError: false, error: null, refetch: noop };
        },
      },
      reindex: { useMutation: () => ({ mutate: noop, isPending: false }) },
    },
  },
}));

const { SimilarSearch } = await import("~/components/search/similar-search");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}
const count = (html: string, testId: string) => html.match(new RegExp(`data-testid="${testId}"`, "g"))?.length ?? 0;

const RESULT = {
  model: "local-hash-v1-256",
  path: "fallback",
  indexed: { listing: 300, content: 12 },
  indexingRequested: false,
  items: [
    {
      type: "listing",
      id: "lst_1",
      score: 0.874,
      listing: { id: "lst_1", title: "Tênis Corrida Masculino Leve", provider: "MERCADOLIVRE", status: "ACTIVE", priceCents: 19990, thumbnailUrl: null, soldQuantity: 1234, healthScore: 82, visits30d: 5400, sales30d: 87 },
    },
    {
      type: "content",
      id: "cnt_1",
      score: 0.41,
      content: { id: "cnt_1", title: "Lançamento tênis de corrida", caption: "Nosso tênis mais leve chegou!", status: "PUBLISHED", publications: 2, views: 10000, engagement: 850 },
    },
  ],
};

beforeEach(() => {
  state.data = RESULT;
  state.enabledSeen = [];
});

describe("SimilarSearch", () => {
  it("starts with an explanation and no request", () => {
    const html = render("pt-BR", createElement(SimilarSearch, { canReindex: false }));
    expect(html).toContain("O que você quer encontrar?");
    expect(html).toContain('role="search"');
    expect(state.enabledSeen).toEqual([false]);
    expect(count(html, "search-result")).toBe(0);
    expect(html).not.toContain("Reindexar agora");
  });

  it("shows results with similarity %, links and performance figures (pt-BR)", () => {
    const html = render("pt-BR", createElement(SimilarSearch, { initialQuery: "tenis corrida", canReindex: true }));
    expect(count(html, "search-result")).toBe(2);
    expect(html).toMatch(/87\s?% semelhante/);
    expect(html).toMatch(/41\s?% semelhante/);
    expect(html).toContain('href="/seller/listings/lst_1"');
    expect(html).toContain('href="/social/content/cnt_1"');
    expect(html).toContain("Vendas (30 dias)");
    expect(html).toMatch(/>87<\/dd>/);
    expect(html).toContain("5.400");
    expect(html).toContain("Taxa de interação");
    expect(html).toMatch(/8,5\s?%/);
    expect(html).toContain("SQL (sem pgvector)");
    // The listing that sold and the content that engaged are marked as the past winners.
    expect(count(html, "search-winner")).toBe(2);
    expect(html).toContain("Melhor desempenho");
    expect(html).toContain("Reindexar agora");
  });

  it("says so when nothing is similar, and when indexing has not run yet (en)", () => {
    state.data = { ...RESULT, items: [], indexed: { listing: 0, content: 0 }, indexingRequested: true };
    const html = render("en", createElement(SimilarSearch, { initialQuery: "xyz", canReindex: false }));
    expect(html).toContain("Nothing similar found");
    expect(count(html, "search-indexing")).toBe(1);
    expect(html).toContain("Getting search ready");
  });

  it("marks no winner when nothing sold or engaged", () => {
    const listing = { ...RESULT.items[0]!, listing: { ...(RESULT.items[0] as { listing: Record<string, unknown> }).listing, sales30d: 0 } };
    const content = { ...RESULT.items[1]!, content: { ...(RESULT.items[1] as { content: Record<string, unknown> }).content, views: 0, engagement: 0 } };
    state.data = { ...RESULT, items: [listing, content] };
    const html = render("en", createElement(SimilarSearch, { initialQuery: "tenis", canReindex: false }));
    expect(count(html, "search-result")).toBe(2);
    expect(count(html, "search-winner")).toBe(0);
  });

  it("searching from an item names it", () => {
    const html = render("en", createElement(SimilarSearch, { similarTo: { type: "listing", id: "lst_9", title: "Fone Bluetooth" }, canReindex: false }));
    expect(html).toContain("Similar to “Fone Bluetooth”");
    expect(state.enabledSeen).toEqual([true]);
    expect(html).toContain("More like this");
  });
});
