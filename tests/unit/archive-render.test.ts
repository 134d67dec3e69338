/**
 * Settings → Data archive rendered to HTML (the page's first paint) with the tRPC hooks replaced by
 * fixed data: summary (storage, size, retention), the retention and reprocess forms, the partitions
 * table, and the empty state, in Portuguese and English. Every text comes from the app's messages
 * (a missing key would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { MESSAGES } from "~/i18n/messages";

type ListData = {
  partitions: { provider: string; date: string; kind: string; objects: number; bytes: number }[];
  totalBytes: number;
  retentionDays: number;
  storage: "local" | "s3";
  enabled: boolean;
};
const state = {} as { data: ListData };
const noop = vi.fn();
const mutation = () => ({ mutate: noop, reset: noop, isPending: false, error: null, variables: undefined });

vi.mock("sonner", () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ archive: { list: { invalidate: noop } } }),
    archive: {
      list: { useQuery: () => ({ data: state.data, isPending: false, isError: false }) },
      setRetention: { useMutation: mutation },
      reprocess: { useMutation: mutation },
    },
  },
}));

const { ArchivePanel } = await import("~/app/(app)/settings/archive/archive-panel");

type ProviderProps = ComponentProps<typeof NextIntlClientProvider>;
function render(locale: "pt-BR" | "en", node: ReactNode) {
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo" } as ProviderProps, node));
}
const rows = (html: string, testId: string) => html.match(new RegExp(`data-testid="${testId}"`, "g"))?.length ?? 0;

beforeEach(() => {
  state.data = { partitions: [], totalBytes: 0, retentionDays: 365, storage: "local", enabled: true };
});

describe("Settings → Data archive", () => {
  it("lists partitions by day, channel and kind with sizes, and the summary", () => {
    state.data = {
      partitions: [
        { provider: "MERCADOLIVRE", date: "2026-11-27", kind: "listings", objects: 3, bytes: 20_480 },
        { provider: "INSTAGRAM", date: "2026-11-26", kind: "metrics", objects: 1, bytes: 1_536 },
      ],
      totalBytes: 22_016,
      retentionDays: 30,
      storage: "s3",
      enabled: true,
    };
    const html = render("pt-BR", createElement(ArchivePanel));
    expect(rows(html, "archive-partition")).toBe(2);
    expect(html).toContain("Mercado Livre");
    expect(html).toContain("Instagram");
    expect(html).toContain(">Anúncios<");
    expect(html).toContain(">Métricas sociais<");
    expect(html).toContain("20 KB");
    expect(html).toContain("21,5 KB");
    expect(html).toContain("Bucket S3");
    expect(html).toContain("30 dias");
    expect(html).toContain('value="30"');
    expect(html).toContain("Reprocessar a partir do arquivo");
    expect(html).toContain("nenhuma chamada ao canal");
    expect(html).not.toContain("Gravação desligada");
  });

  it("without objects: the empty state, local disk, and the off switch when writing is disabled", () => {
    state.data.enabled = false;
    const html = render("pt-BR", createElement(ArchivePanel));
    expect(rows(html, "archive-partition")).toBe(0);
    expect(html).toContain("Nada arquivado ainda");
    expect(html).toContain("Disco local do servidor");
    expect(html).toContain("Gravação desligada");
    expect(html).toContain("365 dias");
  });

  it("speaks English too", () => {
    const html = render("en", createElement(ArchivePanel));
    expect(html).toContain("Reprocess from the archive");
    expect(html).toContain("Save retention");
    expect(html).toContain("Nothing archived yet");
  });
});
