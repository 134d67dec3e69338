/**
 * Opens a content's media for a network (signed URL + byte reader). The media area owns storage
 * and signing; publishing reaches it through this one seam, which tests may replace.
 */
import { env } from "~/env";
import type { PublishMedia } from "~/server/connectors/social/types";
import type { DbOrTx } from "~/server/db";
import { openPublishMedia } from "~/server/media/publish-media";

export type PublishMediaRow = {
  id: string;
  storageKey: string;
  mimeType: string;
  sizeBytes: bigint;
  width: number | null;
  height: number | null;
  durationMs: number | null;
};

export type PublishMediaOpener = (db: DbOrTx, organizationId: string, media: PublishMediaRow[]) => Promise<PublishMedia[]>;

/** The media area's opener: signed URLs on APP_URL (what the networks fetch) and storage reads. */
const mediaAreaOpener: PublishMediaOpener = async (db, organizationId, media) => {
  const out: PublishMedia[] = [];
  for (const m of media) out.push(await openPublishMedia(db, organizationId, m.id, env.APP_URL));
  return out;
};

let opener: PublishMediaOpener = mediaAreaOpener;

export function openMediaForPublish(db: DbOrTx, organizationId: string, media: PublishMediaRow[]) {
  return opener(db, organizationId, media);
}

/** Replaces the opener (the media area at start-up, tests). Returns a function restoring the previous one. */
export function setPublishMediaOpener(next: PublishMediaOpener): () => void {
  const previous = opener;
  opener = next;
  return () => {
    opener = previous;
  };
}
