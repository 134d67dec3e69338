"use client";

import type { MediaFacts } from "~/lib/social/validate";

/**
 * SLOT — the media area and the media facts for live validation. The media helper builds
 * `~/components/media/content-media` and `api.media.list`; until they land this returns no media
 * (validation then says media is required, which is true for a piece without uploads).
 */
export function useContentMediaFacts(contentId: string): { facts: MediaFacts[]; loading: boolean } {
  void contentId;
  return { facts: [], loading: false };
}

export function ContentMediaSlot({ contentId }: { contentId: string }) {
  void contentId;
  return null;
}
