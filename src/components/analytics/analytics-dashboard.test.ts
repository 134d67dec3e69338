/**
 * The analytics page's client component rendered to HTML with the tRPC hooks replaced by fixed
 * figures: empty states (no account, no data), KPI values, top posts and the posts table, the
 * refresh button only for those who may sync; every text from the messages (a missing key throws).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import en from "../../../messages/en.json";
import ptBR from "../../../messages/pt-BR.json";
import analyticsEn from "../../../messages/parts/analytics.en.json";
import analyticsPt from "../../../messages/parts/analytics.pt-BR.json";

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
type Tree = { [key: string]: string | Tree };
function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = typeof v === "object" && typeof out[k] === "object" ? merge(out[k], v) : v;
  return out;
}
const MESSAGES = { "pt-BR": merge(ptBR as Tree, analyticsPt as Tree), en: merge(en as Tree, analyticsEn as Tree) };

const kpis = (over: Record<string, unknown> = {}) => ({
  accounts: 1, followers: 1234, followersGrowth: 56, views: 98765, reach: 5000, engagements: 250, postsPublished: 3, engagementRate: 0.05, ...over,
});
const account = { connectionId: "conn-1", network: "INSTAGRAM", accountName: "@loja", status: "ACTIVE", syncedAt: new Date("2026-11-26T12:00:00Z"), syncError: null };
const post = {
  id: "pub-1", contentId: "content-1", contentTitle: "Coleção de verão", network: "INSTAGRAM", connectionId: "conn-1", accountName: "@loja",
  publishedAt: new Date("2026-11-20T15:00:00Z"), permalink: "https://www.instagram.com/p/abc/", measuredOn: "2026-11-26",
  metrics: { views: 4321, reach: 3000, likes: 200, comments: 10, shares: 5, saves: 3, engagements: 218, engagementRate: 0.0727 },
  growth: { views: 1200, engagements: 40 },
};

const state = { overview: null as unknown };

vi.mock("next/link", () => ({
  default: ({ href, children, ...rest }: { href: string; children: ReactNode }) => createElement("a", { href, ...rest }, children),
}));
vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));
vi.mock("~/trpc/react", () => {
  const ok = (data: unknown) => ({ data, isPending: false, isError: false, isSuccess: true, error: null, refetch: vi.fn() });
  return {
    api: {
      useUtils: () => ({ analytics: { invalidate: vi.fn() } }),
      analytics: {
        overview: { useQuery: () => ok(state.overview) },
        accountSeries: {
          useQuery: () =>
            ok({
              days: ["2026-11-25", "2026-11-26"],
              accounts: [{ connectionId: "conn-1", network: "INSTAGRAM", accountName: "@loja", points: [] }],
              networks: [{ network: "INSTAGRAM", points: [] }],
            }),
        },
        topPosts: { useQuery: () => ok([post]) },
        posts: { useInfiniteQuery: () => ({ ...ok({ pages: [{ items: [post], nextCursor: "4321_pub-1" }] }), hasNextPage: true, isFetchingNextPage: false, fetchNextPage: vi.fn() }) },
        syncNow: { useMutation: () => ({ mutate: vi.fn(), isPending: false }) },
      },
    },
  };
});

const { AnalyticsDashboard } = await import("./analytics-dashboard");

function render(canSync: boolean, locale: "pt-BR" | "en" = "pt-BR") {
  return renderToString(
    createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "UTC" } as ProviderProps, createElement(AnalyticsDashboard, { canSync, timeZone: "America/Sao_Paulo" })),
  );
}

function overview(over: Record<string, unknown> = {}) {
  return { range: 30, from: "2026-10-28", to: "2026-11-26", total: kpis(), networks: [{ network: "INSTAGRAM", ...kpis() }], accounts: [account], lastSyncedAt: account.syncedAt, hasData: true, ...over };
}

describe("analytics dashboard render", () => {
  beforeEach(() => {
    state.overview = overview();
  });

  it("sends people without a social account to the connections page", () => {
    state.overview = overview({ accounts: [], networks: [], hasData: false, lastSyncedAt: null, total: kpis({ accounts: 0, followers: null, followersGrowth: null }) });
    const html = render(true);
    expect(html).toContain('href="/settings/connections"');
    expect(html).toContain("Nenhuma conta social conectada");
  });

  it("says when connected accounts have no figures yet", () => {
    state.overview = overview({ hasData: false, lastSyncedAt: null });
    const html = render(true);
    expect(html).toContain("Ainda não há dados");
    expect(html).toContain("Ainda não sincronizado");
    expect(html).toContain("Atualizar agora");
  });

  it("shows the KPIs, the last sync in the organization's zone, top posts and the posts table", () => {
    const html = render(true);
    expect(html).toContain("98.765");
    expect(html).toContain("+56 no período");
    expect(html).toContain("5%");
    // 12:00 UTC is 09:00 in São Paulo.
    expect(html).toMatch(/Atualizado em 26\/11\/2026,? 09:00/);
    expect(html).toContain("Coleção de verão");
    expect(html).toContain('href="/social/content/content-1"');
    expect(html).toContain("https://www.instagram.com/p/abc/");
    expect(html).toContain("+1.200 visualizações");
    expect(html).toContain("Carregar mais");
  });

  it("hides the refresh button from readers and warns about accounts that failed", () => {
    state.overview = overview({ accounts: [{ ...account, syncError: "Instagram answered 503" }] });
    const html = render(false, "en");
    expect(html).not.toContain("Refresh now");
    expect(html).toContain("Some accounts could not be read");
    expect(html).toContain("Instagram answered 503");
  });
});
