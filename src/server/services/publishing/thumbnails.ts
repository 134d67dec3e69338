/**
 * The calendar's thumbnail of a publication: its content's first media, through the media area's
 * signed URL. Null until the media service exposes one (the calendar then shows the network icon).
 */
export type ThumbnailSource = { id: string; thumbnailKey: string | null; storageKey: string; mimeType: string } | null;

export async function thumbnailUrlOf(organizationId: string, media: ThumbnailSource): Promise<string | null> {
  void organizationId;
  void media;
  return null;
}
