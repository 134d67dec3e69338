/**
 * validateVariant per network, at the limits and one past them: characters vs UTF-8 bytes,
 * hashtags, titles, privacy, carousels, media kinds and formats, aspect edges (4:5 and 1.91:1),
 * durations. Also: every code it can return has a message in both languages.
 */
import { describe, expect, it } from "vitest";

import contentEn from "../../messages/parts/content.en.json";
import contentPt from "../../messages/parts/content.pt-BR.json";
import { NETWORK_LIMITS } from "~/lib/social/networks";
import { captionLength, composeCaption, validateVariant, type MediaFacts, type VariantDraft } from "~/lib/social/validate";

const jpeg = (width = 1080, height = 1080, sizeBytes = 500_000): MediaFacts => ({ mimeType: "image/jpeg", sizeBytes, width, height, durationMs: null });
const mp4 = (durationMs: number | null = 30_000, width = 1080, height = 1920): MediaFacts => ({ mimeType: "video/mp4", sizeBytes: 10_000_000, width, height, durationMs });

function draft(network: VariantDraft["network"], over: Partial<VariantDraft> = {}): VariantDraft {
  return { network, caption: "Legenda", hashtags: [], title: network === "YOUTUBE" ? "Título" : null, privacy: null, ...over };
}

const codes = (variant: VariantDraft, media: MediaFacts[]) => validateVariant(variant, media).map((i) => i.code);

describe("Instagram", () => {
  it("accepts 2 200 characters and refuses 2 201 (emoji count as one character)", () => {
    expect(codes(draft("INSTAGRAM", { caption: "a".repeat(2200) }), [jpeg()])).toEqual([]);
    expect(codes(draft("INSTAGRAM", { caption: "😀".repeat(2200) }), [jpeg()])).toEqual([]);
    const issues = validateVariant(draft("INSTAGRAM", { caption: "a".repeat(2201) }), [jpeg()]);
    expect(issues).toEqual([{ field: "caption", code: "captionTooLong", params: { length: 2201, max: 2200 } }]);
  });

  it("counts the hashtags line in the caption", () => {
    const caption = "a".repeat(2200 - "\n\n#ab".length);
    expect(codes(draft("INSTAGRAM", { caption, hashtags: ["ab"] }), [jpeg()])).toEqual([]);
    expect(codes(draft("INSTAGRAM", { caption, hashtags: ["abc"] }), [jpeg()])).toEqual(["captionTooLong"]);
  });

  it("takes 30 hashtags, not 31, and refuses punctuation inside one", () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(codes(draft("INSTAGRAM", { hashtags: tags(30) }), [jpeg()])).toEqual([]);
    expect(codes(draft("INSTAGRAM", { hashtags: tags(31) }), [jpeg()])).toEqual(["tooManyHashtags"]);
    expect(validateVariant(draft("INSTAGRAM", { hashtags: ["#promoção", "black-friday"] }), [jpeg()])).toEqual([{ field: "hashtags", code: "invalidHashtag", params: { tag: "black-friday" } }]);
  });

  it("needs media; a carousel holds up to 10 and may mix images and videos", () => {
    expect(codes(draft("INSTAGRAM"), [])).toEqual(["mediaRequired"]);
    expect(codes(draft("INSTAGRAM"), Array.from({ length: 10 }, () => jpeg()))).toEqual([]);
    expect(codes(draft("INSTAGRAM"), Array.from({ length: 11 }, () => jpeg()))).toEqual(["tooManyMedia"]);
    expect(codes(draft("INSTAGRAM"), [jpeg(), mp4()])).toEqual([]);
  });

  it("accepts aspect 4:5 and 1.91:1 exactly, refuses just outside", () => {
    expect(codes(draft("INSTAGRAM"), [jpeg(1080, 1350)])).toEqual([]);
    expect(codes(draft("INSTAGRAM"), [jpeg(1910, 1000)])).toEqual([]);
    expect(codes(draft("INSTAGRAM"), [jpeg(1080, 1360)])).toEqual(["aspectOutOfRange"]);
    const wide = validateVariant(draft("INSTAGRAM"), [jpeg(1930, 1000)]);
    expect(wide).toEqual([{ field: "media", code: "aspectOutOfRange", params: { position: 1, aspect: 1.93, min: 0.8, max: 1.91 } }]);
  });

  it("takes JPEG only, up to 8 MB", () => {
    expect(codes(draft("INSTAGRAM"), [{ ...jpeg(), mimeType: "image/png" }])).toEqual(["mediaFormatNotAccepted"]);
    expect(codes(draft("INSTAGRAM"), [jpeg(1080, 1080, 8 * 1048576)])).toEqual([]);
    expect(codes(draft("INSTAGRAM"), [jpeg(1080, 1080, 8 * 1048576 + 1)])).toEqual(["mediaTooLarge"]);
    expect(codes(draft("INSTAGRAM"), [{ ...jpeg(), mimeType: "application/pdf" }])).toEqual(["mediaTypeNotAccepted"]);
  });

  it("reels: 3 s to 15 min, a known duration", () => {
    expect(codes(draft("INSTAGRAM"), [mp4(3_000)])).toEqual([]);
    expect(codes(draft("INSTAGRAM"), [mp4(2_999)])).toEqual(["durationOutOfRange"]);
    expect(codes(draft("INSTAGRAM"), [mp4(15 * 60_000 + 1)])).toEqual(["durationOutOfRange"]);
    expect(codes(draft("INSTAGRAM"), [mp4(null)])).toEqual(["durationUnknown"]);
  });

  it("has no privacy options: any value is unknown", () => {
    expect(codes(draft("INSTAGRAM", { privacy: "public" }), [jpeg()])).toEqual(["privacyUnknown"]);
  });
});

describe("TikTok", () => {
  it("refuses images and takes a single video", () => {
    expect(validateVariant(draft("TIKTOK"), [jpeg()])).toEqual([{ field: "media", code: "imagesNotAccepted", params: { position: 1, type: "image/jpeg" } }]);
    expect(codes(draft("TIKTOK"), [mp4()])).toEqual([]);
    expect(codes(draft("TIKTOK"), [mp4(), mp4()])).toEqual(["tooManyMedia", "singleVideoOnly", "singleVideoOnly"]);
  });

  it("knows its privacy levels", () => {
    for (const privacy of NETWORK_LIMITS.TIKTOK.privacyOptions) expect(codes(draft("TIKTOK", { privacy }), [mp4()])).toEqual([]);
    expect(codes(draft("TIKTOK", { privacy: "public" }), [mp4()])).toEqual(["privacyUnknown"]);
  });

  it("caption up to 2 200 characters; 10 min of video at most", () => {
    expect(codes(draft("TIKTOK", { caption: "b".repeat(2201) }), [mp4()])).toEqual(["captionTooLong"]);
    expect(codes(draft("TIKTOK"), [mp4(10 * 60_000)])).toEqual([]);
    expect(codes(draft("TIKTOK"), [mp4(10 * 60_000 + 1)])).toEqual(["durationOutOfRange"]);
  });
});

describe("YouTube", () => {
  it("requires a title of at most 100 characters without angle brackets", () => {
    expect(codes(draft("YOUTUBE", { title: null }), [mp4()])).toEqual(["titleRequired"]);
    expect(codes(draft("YOUTUBE", { title: "   " }), [mp4()])).toEqual(["titleRequired"]);
    expect(codes(draft("YOUTUBE", { title: "t".repeat(100) }), [mp4()])).toEqual([]);
    expect(codes(draft("YOUTUBE", { title: "t".repeat(101) }), [mp4()])).toEqual(["titleTooLong"]);
    expect(codes(draft("YOUTUBE", { title: "<b>oferta</b>" }), [mp4()])).toEqual(["titleInvalidCharacters"]);
  });

  it("counts the description in UTF-8 bytes: 5 000 ASCII pass, 2 501 'ç' (5 002 bytes) do not", () => {
    expect(codes(draft("YOUTUBE", { caption: "a".repeat(5000) }), [mp4()])).toEqual([]);
    expect(codes(draft("YOUTUBE", { caption: "a".repeat(5001) }), [mp4()])).toEqual(["captionTooLongBytes"]);
    expect(codes(draft("YOUTUBE", { caption: "ç".repeat(2500) }), [mp4()])).toEqual([]);
    const issues = validateVariant(draft("YOUTUBE", { caption: "ç".repeat(2501) }), [mp4()]);
    expect(issues).toEqual([{ field: "caption", code: "captionTooLongBytes", params: { length: 5002, max: 5000 } }]);
  });

  it("takes 15 hashtags, not 16; privacy public/unlisted/private", () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    expect(codes(draft("YOUTUBE", { hashtags: tags(15) }), [mp4()])).toEqual([]);
    expect(codes(draft("YOUTUBE", { hashtags: tags(16) }), [mp4()])).toEqual(["tooManyHashtags"]);
    expect(codes(draft("YOUTUBE", { privacy: "unlisted" }), [mp4()])).toEqual([]);
    expect(codes(draft("YOUTUBE", { privacy: "PUBLIC_TO_EVERYONE" }), [mp4()])).toEqual(["privacyUnknown"]);
  });

  it("refuses images", () => {
    expect(codes(draft("YOUTUBE"), [jpeg()])).toEqual(["imagesNotAccepted"]);
  });
});

describe("caption helpers", () => {
  it("composes caption and hashtags as the network receives them", () => {
    expect(composeCaption("  Oi  ", ["#a", "b", " "])).toBe("Oi\n\n#a #b");
    expect(composeCaption("", ["a"])).toBe("#a");
    expect(captionLength("ção", true)).toBe(5);
    expect(captionLength("ção", false)).toBe(3);
  });
});

describe("validation messages", () => {
  const ALL_CODES = [
    "captionTooLong", "captionTooLongBytes", "tooManyHashtags", "invalidHashtag", "titleRequired", "titleTooLong", "titleInvalidCharacters", "privacyUnknown",
    "mediaRequired", "tooManyMedia", "imagesNotAccepted", "mediaTypeNotAccepted", "mediaFormatNotAccepted", "mediaTooLarge", "aspectOutOfRange", "durationUnknown",
    "durationOutOfRange", "singleVideoOnly",
  ];

  it("exist for every code in both languages, using only the parameters the code carries", () => {
    const samples = [
      ...validateVariant(draft("INSTAGRAM", { caption: "a".repeat(2201), hashtags: [...Array.from({ length: 31 }, (_, i) => `t${i}`), "x-y"], privacy: "z" }), [jpeg(100, 1000, 9 * 1048576), { ...jpeg(), mimeType: "image/png" }, mp4(null), { ...jpeg(), mimeType: "text/plain" }, mp4(1000), ...Array.from({ length: 6 }, () => jpeg())]),
      ...validateVariant(draft("YOUTUBE", { caption: "ç".repeat(2600), title: "<" + "t".repeat(100) }), [jpeg(), mp4()]),
      ...validateVariant(draft("YOUTUBE", { title: null }), []),
    ];
    expect(new Set(samples.map((s) => s.code))).toEqual(new Set(ALL_CODES));
    for (const [locale, part] of [["pt-BR", contentPt], ["en", contentEn]] as const) {
      const validation = part.content.validation as Record<string, string>;
      for (const issue of samples) {
        const text = validation[issue.code];
        expect(text, `${locale}:${issue.code}`).toBeTypeOf("string");
        // A placeholder without a parameter would render as an error in the editor.
        for (const [, param] of text!.matchAll(/\{(\w+)\}/g)) expect(Object.keys(issue.params ?? {}), `${locale}:${issue.code}:${param}`).toContain(param);
      }
    }
  });
});
