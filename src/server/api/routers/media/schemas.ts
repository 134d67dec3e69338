import { z } from "zod";

import { ZId, ZPage, ZPageInput } from "../../schemas";

/** Most media a content can hold (Instagram carousels take 10; rejected items stay until removed). */
export const MEDIA_PER_CONTENT_MAX = 50;

export const ZMediaListInput = ZPageInput.extend({ contentId: ZId.optional() });
export const ZMediaIdInput = z.object({ id: ZId });
export const ZMediaAttachInput = z.object({ mediaId: ZId, contentId: ZId, position: z.number().int().min(0).max(MEDIA_PER_CONTENT_MAX).optional() });
export const ZMediaReorderInput = z.object({ contentId: ZId, mediaIds: z.array(ZId).min(1).max(MEDIA_PER_CONTENT_MAX) });

export const ZMediaRow = z.object({
  id: ZId,
  fileName: z.string(),
  mimeType: z.string(),
  kind: z.enum(["IMAGE", "VIDEO"]).nullable(),
  sizeBytes: z.number().int().nonnegative(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  status: z.enum(["UPLOADED", "PROCESSING", "READY", "REJECTED"]),
  /** Stable code (media.uploadErrors.<code>) when REJECTED. */
  rejectReason: z.string().nullable(),
  position: z.number().int(),
  contentId: z.string().nullable(),
  createdAt: z.date(),
  /** Signed, path-only links valid for about an hour; null unless READY. */
  thumbnailUrl: z.string().nullable(),
  url: z.string().nullable(),
});
export type TMediaRow = z.infer<typeof ZMediaRow>;

export const ZMediaList = ZPage(ZMediaRow);
export const ZMediaReorderResult = z.object({ contentId: ZId, mediaIds: z.array(ZId) });
export const ZMediaRemoveResult = z.object({ id: ZId });

export const ZMediaLimits = z.object({ maxUploadBytes: z.number().int().positive(), acceptedTypes: z.array(z.string()) });
