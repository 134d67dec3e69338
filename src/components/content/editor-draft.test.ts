import { describe, expect, it } from "vitest";

import { changesBetween, changesText, hasChanges, parseHashtags, toDraft, type SavedContent } from "./editor-draft";

const saved: SavedContent = {
  title: "Post",
  baseCaption: "Base",
  campaign: { id: "c1" },
  variants: [{ network: "YOUTUBE", caption: "Desc", hashtags: ["a", "b"], title: "Vídeo", privacy: null }],
};

describe("editor draft", () => {
  it("parses hashtags typed with #, commas or spaces", () => {
    expect(parseHashtags("#verão, oferta  #promo,,")).toEqual(["verão", "oferta", "promo"]);
  });

  it("sees no change when only the hashtags' spelling differs", () => {
    const base = toDraft(saved);
    const draft = { ...base, variants: { YOUTUBE: { ...base.variants.YOUTUBE!, hashtagsText: "a, #b", title: "Vídeo " } } };
    expect(hasChanges(changesBetween(base, draft))).toBe(false);
  });

  it("lists content fields, new and changed variants, and removed networks", () => {
    const base = toDraft(saved);
    const draft = {
      ...base,
      campaignId: "",
      variants: { INSTAGRAM: { caption: "Oi", hashtagsText: "#x", title: "", privacy: "" } },
    };
    const changes = changesBetween(base, draft);
    expect(changes.content).toEqual({ campaignId: null });
    expect(changes.upserts).toEqual([{ network: "INSTAGRAM", caption: "Oi", hashtags: ["x"], title: null, privacy: null }]);
    expect(changes.removals).toEqual(["YOUTUBE"]);
    expect(changesText(changes)).toBe(true);
  });

  it("does not count a campaign move as a text change", () => {
    const base = toDraft(saved);
    const changes = changesBetween(base, { ...base, campaignId: "c2" });
    expect(hasChanges(changes)).toBe(true);
    expect(changesText(changes)).toBe(false);
  });
});
