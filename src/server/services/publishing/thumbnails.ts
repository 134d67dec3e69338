import { signedMediaUrl } from "~/server/media/signed-url";

/**
 * The calendar's thumbnail of a publication: its content's first media, as a path-only signed URL
 * of the media area's thumbnail (the app's own pages load it). Null when it has none yet.
 */
export type ThumbnailSource = { id: string; thumbnailKey: string | null; storageKey: string; mimeType: string } | null;

export function thumbnailUrlOf(media: ThumbnailSource): string | null {
  if (!media?.thumbnailKey) return null;
  return signedMediaUrl("", media.id, "thumbnail");
}
