import type { PublishMedia } from "~/server/connectors/social/types";
import type { DbOrTx } from "~/server/db";
import { mediaKindOf } from "~/lib/social/networks";
import type { MediaFacts } from "~/lib/social/validate";
import { AppError, notFound } from "~/server/lib/errors";
import { contentMediaIds, findMedia, type MediaRecord } from "~/server/repositories/media";
import { mediaFactsFromRow } from "~/server/services/content/readiness";
import { signedMediaUrl } from "./signed-url";
import { mediaStorage } from "./storage";

/** The facts validateVariant needs from a media row (sizes are BigInt in the database). */
export function mediaFactsOf(row: Pick<MediaRecord, "mimeType" | "sizeBytes" | "width" | "height" | "durationMs">): MediaFacts {
  return mediaFactsFromRow(row);
}

function toPublishMedia(row: MediaRecord, appUrl: string): PublishMedia {
  const kind = mediaKindOf(row.mimeType);
  if (!kind) throw new AppError("PRECONDITION_FAILED", "mediaNotReady", "This media cannot be published");
  const storage = mediaStorage();
  const size = Number(row.sizeBytes);
  const key = row.storageKey;
  return {
    kind,
    mimeType: row.mimeType,
    sizeBytes: size,
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    url: signedMediaUrl(appUrl, row.id, "file"),
    async read(start, end) {
      if (start < 0 || end < start || end > size) throw new RangeError(`read(${start}, ${end}) outside 0..${size}`);
      return storage.read(key, start, end);
    },
  };
}

/**
 * A READY media row as a network receives it: facts, a signed expiring URL (valid for
 * MEDIA_URL_TTL_SECONDS) and byte-range reads from storage. Not found / deleted → NOT_FOUND;
 * rejected or still processing → PRECONDITION_FAILED "mediaNotReady".
 */
export async function openPublishMedia(db: DbOrTx, organizationId: string, mediaId: string, appUrl: string): Promise<PublishMedia> {
  const row = await findMedia(db, organizationId, mediaId);
  if (!row) throw notFound("Media");
  if (row.status !== "READY" || !row.storageKey) throw new AppError("PRECONDITION_FAILED", "mediaNotReady", "This media is not ready to publish");
  return toPublishMedia(row, appUrl);
}

/** The READY media of a content piece, in carousel order (what a publication sends). */
export async function openContentPublishMedia(db: DbOrTx, organizationId: string, contentId: string, appUrl: string): Promise<PublishMedia[]> {
  const out: PublishMedia[] = [];
  for (const id of await contentMediaIds(db, organizationId, contentId)) {
    const row = await findMedia(db, organizationId, id);
    if (row?.status === "READY" && row.storageKey) out.push(toPublishMedia(row, appUrl));
  }
  return out;
}
