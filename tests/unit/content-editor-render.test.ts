/**
 * The editor's network tab rendered to HTML with the real messages: the counter counts as the
 * network does (characters with the hashtags line; YouTube in bytes), only the fields a network
 * has are shown, privacy options come from NETWORK_LIMITS, and the live issues are translated
 * with their parameters (a missing key or parameter would throw).
 */
import { NextIntlClientProvider } from "next-intl";
import { createElement, type ComponentProps } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";

import en from "../../messages/en.json";
import ptBR from "../../messages/pt-BR.json";
import contentEn from "../../messages/parts/content.en.json";
import contentPt from "../../messages/parts/content.pt-BR.json";
import { variantDraftOf, type VariantInput } from "~/components/content/editor-draft";
import { VariantEditor } from "~/components/content/variant-editor";
import type { SocialNetworkId } from "~/lib/social/networks";
import { validateVariant, type MediaFacts } from "~/lib/social/validate";

type Tree = { [key: string]: string | Tree };
function merge(a: Tree, b: Tree): Tree {
  const out: Tree = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = typeof v === "object" && typeof out[k] === "object" ? merge(out[k], v) : v;
  return out;
}
const MESSAGES = { "pt-BR": merge(ptBR as Tree, contentPt as Tree), en: merge(en as Tree, contentEn as Tree) };

function render(network: SocialNetworkId, value: VariantInput, media: MediaFacts[], locale: "pt-BR" | "en" = "pt-BR") {
  const issues = validateVariant(variantDraftOf(network, value), media);
  const editor = createElement(VariantEditor, { network, value, issues, baseCaption: "Base", readOnly: false, onChange: () => undefined, onRemove: () => undefined });
  // Missing messages must fail the test, not render a key.
  const onError = (error: unknown): void => {
    throw error;
  };
  return renderToString(createElement(NextIntlClientProvider, { locale, messages: MESSAGES[locale], timeZone: "America/Sao_Paulo", onError, children: editor } satisfies ComponentProps<typeof NextIntlClientProvider>));
}

const jpeg: MediaFacts = { mimeType: "image/jpeg", sizeBytes: 1000, width: 1080, height: 1080, durationMs: null };
const video: MediaFacts = { mimeType: "video/mp4", sizeBytes: 1000, width: 1080, height: 1920, durationMs: 20_000 };
const text = (html: string) => html.replace(/<!-- -->/g, "").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">");

describe("network tab", () => {
  it("counts Instagram characters including the hashtags line", () => {
    const html = text(render("INSTAGRAM", { caption: "Olá 😀", hashtagsText: "#verão, promo", title: "", privacy: "" }, [jpeg]));
    // "Olá 😀" (5) + "\n\n" (2) + "#verão #promo" (13) = 20
    expect(html).toContain("20 de 2200 caracteres");
    expect(html).not.toContain("Título do vídeo");
    expect(html).not.toContain("Privacidade");
    expect(html).toContain("#verão");
  });

  it("counts YouTube in bytes, shows the title and the privacy options, and the translated issues", () => {
    const html = text(render("YOUTUBE", { caption: "ção", hashtagsText: "", title: "", privacy: "" }, [jpeg]));
    expect(html).toContain("5 de 5000 bytes");
    expect(html).toContain("Título do vídeo");
    expect(html).toContain("Não listado");
    expect(html).toContain("O título é obrigatório.");
    expect(html).toContain("Mídia 1: esta rede não aceita imagens, só vídeo.");
  });

  it("lists TikTok's privacy levels and reports a bad hashtag in English", () => {
    const html = text(render("TIKTOK", { caption: "Hi", hashtagsText: "#black-friday", title: "", privacy: "SELF_ONLY" }, [video], "en"));
    expect(html).toContain("Only me");
    expect(html).toContain("Followers");
    expect(html).toContain('The hashtag "black-friday" has characters the network does not accept');
    expect(html).toContain("Copy from base caption");
  });

  it("shows no issue list for a valid variant", () => {
    const issueList = "border-amber-300 bg-amber-50";
    expect(render("TIKTOK", { caption: "Ok", hashtagsText: "", title: "", privacy: "" }, [video])).not.toContain(issueList);
    expect(render("TIKTOK", { caption: "Ok", hashtagsText: "", title: "", privacy: "" }, [])).toContain(issueList);
  });
});
