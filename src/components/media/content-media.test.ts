/**
 * ContentMedia rendered to HTML with the real messages (a missing key or parameter throws): tile
 * facts in the person's language, cover and positions, rejected items with their translated reason,
 * reorder buttons disabled at the ends, and the loading, error and empty states.
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

import en from "../../../messages/en.json";
import ptBR from "../../../messages/pt-BR.json";
import mediaEn from "../../../messages/parts/media.en.json";
import mediaPt from "../../../messages/parts/media.pt-BR.json";

const list = vi.hoisted(() => ({ state: { isPending: false, isError: false, data: { items: [] as unknown[], nextCursor: null } } }));
vi.mock("~/trpc/react", () => ({
  api: {
    useUtils: () => ({ media: { list: { invalidate: async () => undefined } } }),
    media: {
      list: { useQuery: () => ({ ...list.state, refetch: async () => undefined }) },
      limits: { useQuery: () => ({ data: { maxUploadBytes: 1024, acceptedTypes: [] } }) },
      reorder: { useMutation: () => ({ mutate: () => undefined, isPending: false }) },
      remove: { useMutation: () => ({ mutate: () => undefined, isPending: false }) },
    },
  },
}));

import { ContentMedia } from "./content-media";

type Tree = { [key: string]: string | Tree };
function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = typeof v === "object" && typeof out[k] === "object" ? merge(out[k], v) : v;
  return out;
}
const MESSAGES = { "pt-BR": merge(ptBR as Tree, mediaPt as Tree), en: merge(en as Tree, mediaEn as Tree) };

function render(locale: "pt-BR" | "en" = "pt-BR", disabled = false) {
  const onError = (error: unknown): void => {
    throw error;
  };
  const children = createElement(ContentMedia, { contentId: "c1", disabled });
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo", onError, children } satisfies ComponentProps<typeof NextIntlClientProvider>))
    .replace(/<!-- -->/g, "")
    .replace(/&quot;/g, '"');
}

const base = { contentId: "c1", createdAt: new Date("2026-11-20T12:00:00Z"), rejectReason: null, status: "READY", url: "/api/v1/media/x/file?exp=1&sig=s" };
const ITEMS = [
  { ...base, id: "m1", fileName: "vitrine.jpg", mimeType: "image/jpeg", kind: "IMAGE", sizeBytes: 845_000, width: 1080, height: 1350, durationMs: null, position: 0, thumbnailUrl: "/api/v1/media/m1/thumbnail?exp=1&sig=s" },
  { ...base, id: "m2", fileName: "reel.mp4", mimeType: "video/mp4", kind: "VIDEO", sizeBytes: 48_300_000, width: 1920, height: 1080, durationMs: 75_000, position: 1, thumbnailUrl: "/api/v1/media/m2/thumbnail?exp=1&sig=s" },
  { ...base, id: "m3", fileName: "contrato.jpg", mimeType: "application/pdf", kind: null, sizeBytes: 120_000, width: null, height: null, durationMs: null, position: 2, status: "REJECTED", rejectReason: "type_not_allowed", thumbnailUrl: null, url: null },
];

function show(state: Partial<typeof list.state>) {
  list.state = { isPending: false, isError: false, data: { items: [], nextCursor: null }, ...state };
}

describe("ContentMedia", () => {
  it("shows each tile's facts, the cover, and a rejected file with its reason (pt-BR)", () => {
    show({ data: { items: ITEMS, nextCursor: null } });
    const html = render();
    expect(html).toContain("Foto · 845 kB · 1080 × 1350");
    expect(html).toContain("Vídeo · 48,3 MB · 1920 × 1080 · 1:15");
    expect(html).toContain("Arquivo · 120 kB");
    expect(html).toContain("Capa");
    expect(html).toContain("Recusado");
    expect(html).toContain("Tipo de arquivo não aceito. Use JPEG, PNG, WebP, MP4, MOV ou WebM.");
    expect(html).toContain('src="/api/v1/media/m1/thumbnail?exp=1&amp;sig=s"');
    expect(html.match(/data-testid="media-item"/g)).toHaveLength(3);
    expect(html).toContain('accept="image/jpeg,image/png,image/webp,video/mp4,video/quicktime,video/webm"');
  });

  it("disables moving the first earlier and the last later; labels name the file (en)", () => {
    show({ data: { items: ITEMS, nextCursor: null } });
    const html = render("en");
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-label="Move vitrine.jpg earlier"/);
    expect(html).toMatch(/<button[^>]*aria-label="Move vitrine.jpg later"/);
    expect(html).not.toMatch(/<button[^>]*disabled=""[^>]*aria-label="Move vitrine.jpg later"/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-label="Move contrato.jpg later"/);
    expect(html).toContain('aria-label="Remove reel.mp4"');
    expect(html).toContain("Video · 48.3 MB · 1920 × 1080 · 1:15");
    expect(html).toContain("File type not accepted.");
  });

  it("disables upload, reorder and remove when the content cannot be edited", () => {
    show({ data: { items: ITEMS.slice(0, 1), nextCursor: null } });
    const html = render("pt-BR", true);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*>.*Enviar arquivos/);
    expect(html).toMatch(/<button[^>]*disabled=""[^>]*aria-label="Remover vitrine.jpg"/);
  });

  it("has loading, error and empty states", () => {
    show({ isPending: true, data: undefined as never });
    expect(render()).toContain('aria-busy="true"');
    show({ isError: true, data: undefined as never });
    expect(render()).toContain("Não foi possível carregar a mídia.");
    show({});
    expect(render()).toContain("Nenhuma mídia ainda");
  });
});
