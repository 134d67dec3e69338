"use client";

import { useMemo } from "react";

import type { MediaFacts } from "~/lib/social/validate";
import { api } from "~/trpc/react";

/** Same query (and cache entry) as ContentMedia, so an upload there re-validates the tabs here. */
const MEDIA_QUERY_LIMIT = 50;

/**
 * The media live validation uses: the piece's READY media in carousel order, as the server's
 * readiness check takes them (uploads still processing or rejected are not part of the post).
 */
export function useContentMediaFacts(contentId: string): { facts: MediaFacts[]; loading: boolean } {
  const list = api.media.list.useQuery({ contentId, limit: MEDIA_QUERY_LIMIT });
  const facts = useMemo(
    () =>
      (list.data?.items ?? [])
        .filter((m) => m.status === "READY")
        .sort((a, b) => a.position - b.position || a.createdAt.getTime() - b.createdAt.getTime())
        .map((m) => ({ mimeType: m.mimeType, sizeBytes: m.sizeBytes, width: m.width, height: m.height, durationMs: m.durationMs })),
    [list.data],
  );
  return { facts, loading: list.isPending };
}
