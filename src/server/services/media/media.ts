import { mediaKindOf, type MediaKind } from "~/lib/social/networks";
import { AppError, notFound } from "~/server/lib/errors";
import { signedMediaUrl } from "~/server/media/signed-url";
import {
  contentExists,
  contentMediaIds,
  findMedia,
  listMedia as listMediaRows,
  lockContent,
  setMediaOrder,
  softDeleteMedia,
  type MediaListFilter,
  type MediaRecord,
} from "~/server/repositories/media";
import type { MediaStatus } from "~/generated/prisma/enums";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { contentChanged } from "../publishing/hooks";

/** Links shown in the app: path-only (same origin as the page), valid for an hour. */
const APP_URL_TTL_SECONDS = 3600;

export type MediaView = {
  id: string;
  fileName: string;
  mimeType: string;
  kind: MediaKind | null;
  sizeBytes: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  status: MediaStatus;
  rejectReason: string | null;
  position: number;
  contentId: string | null;
  createdAt: Date;
  thumbnailUrl: string | null;
  url: string | null;
};

export function toMediaView(row: MediaRecord, now: Date = new Date()): MediaView {
  const ready = row.status === "READY" && row.storageKey !== "";
  return {
    id: row.id,
    fileName: row.fileName,
    mimeType: row.mimeType,
    kind: mediaKindOf(row.mimeType),
    sizeBytes: Number(row.sizeBytes),
    width: row.width,
    height: row.height,
    durationMs: row.durationMs,
    status: row.status,
    rejectReason: row.rejectReason,
    position: row.position,
    contentId: row.contentId,
    createdAt: row.createdAt,
    thumbnailUrl: ready && row.thumbnailKey ? signedMediaUrl("", row.id, "thumbnail", APP_URL_TTL_SECONDS, now) : null,
    url: ready ? signedMediaUrl("", row.id, "file", APP_URL_TTL_SECONDS, now) : null,
  };
}

export async function listMedia(ctx: TenantCtx, input: MediaListFilter) {
  if (input.contentId && !(await contentExists(ctx.db, ctx.tenant.organizationId, input.contentId))) throw notFound("Content");
  const page = await listMediaRows(ctx.db, ctx.tenant.organizationId, input);
  const now = new Date();
  return { items: page.items.map((row) => toMediaView(row, now)), nextCursor: page.nextCursor };
}

export async function getMedia(ctx: TenantCtx, input: { id: string }): Promise<MediaView> {
  const row = await findMedia(ctx.db, ctx.tenant.organizationId, input.id);
  if (!row) throw notFound("Media");
  return toMediaView(row);
}

/** Puts a READY media into a content (moving it from another content if needed) at `position` (default: last). */
export async function attachMedia(ctx: TenantCtx, input: { mediaId: string; contentId: string; position?: number }): Promise<MediaView> {
  const { organizationId, userId } = ctx.tenant;
  const result = await ctx.db.$transaction(async (tx) => {
    const row = await findMedia(tx, organizationId, input.mediaId);
    if (!row) throw notFound("Media");
    if (!(await lockContent(tx, organizationId, input.contentId))) throw notFound("Content");
    if (row.status !== "READY") throw new AppError("PRECONDITION_FAILED", "mediaNotReady", "Only accepted media can be attached");
    const others = (await contentMediaIds(tx, organizationId, input.contentId)).filter((id) => id !== row.id);
    const at = Math.min(Math.max(input.position ?? others.length, 0), others.length);
    const order = [...others.slice(0, at), row.id, ...others.slice(at)];
    await setMediaOrder(tx, organizationId, input.contentId, order);
    if (row.contentId && row.contentId !== input.contentId) {
      await setMediaOrder(tx, organizationId, row.contentId, (await contentMediaIds(tx, organizationId, row.contentId)).filter((id) => id !== row.id));
    }
    await audit(tx, { organizationId, userId, request: ctx.request }, "media.attached", { type: "media", id: row.id }, { contentId: input.contentId, position: at });
    const updated = await findMedia(tx, organizationId, row.id);
    return { previous: row.contentId, updated: updated! };
  });
  await contentChanged(ctx.db, organizationId, input.contentId);
  if (result.previous && result.previous !== input.contentId) await contentChanged(ctx.db, organizationId, result.previous);
  return toMediaView(result.updated);
}

/**
 * New carousel order: `mediaIds` (each a media of the content, no repeats) come first in that
 * order; media not named keep their relative order after them.
 */
export async function reorderMedia(ctx: TenantCtx, input: { contentId: string; mediaIds: string[] }): Promise<{ contentId: string; mediaIds: string[] }> {
  const { organizationId, userId } = ctx.tenant;
  if (new Set(input.mediaIds).size !== input.mediaIds.length) throw new AppError("BAD_REQUEST", "mediaOrderInvalid", "Each media may appear once");
  const order = await ctx.db.$transaction(async (tx) => {
    if (!(await lockContent(tx, organizationId, input.contentId))) throw notFound("Content");
    const current = await contentMediaIds(tx, organizationId, input.contentId);
    if (input.mediaIds.some((id) => !current.includes(id))) throw notFound("Media");
    const next = [...input.mediaIds, ...current.filter((id) => !input.mediaIds.includes(id))];
    await setMediaOrder(tx, organizationId, input.contentId, next);
    await audit(tx, { organizationId, userId, request: ctx.request }, "media.reordered", { type: "content", id: input.contentId }, { mediaIds: next });
    return next;
  });
  await contentChanged(ctx.db, organizationId, input.contentId);
  return { contentId: input.contentId, mediaIds: order };
}

/**
 * Soft delete: the row leaves its content and every list. The stored bytes stay (another row may
 * share them after a duplicate upload, and published posts keep their record).
 */
export async function removeMedia(ctx: TenantCtx, input: { id: string }): Promise<{ id: string }> {
  const { organizationId, userId } = ctx.tenant;
  const contentId = await ctx.db.$transaction(async (tx) => {
    const row = await findMedia(tx, organizationId, input.id);
    if (!row) throw notFound("Media");
    await softDeleteMedia(tx, organizationId, row.id);
    if (row.contentId) await setMediaOrder(tx, organizationId, row.contentId, await contentMediaIds(tx, organizationId, row.contentId));
    await audit(tx, { organizationId, userId, request: ctx.request }, "media.removed", { type: "media", id: row.id }, { contentId: row.contentId });
    return row.contentId;
  });
  if (contentId) await contentChanged(ctx.db, organizationId, contentId);
  return { id: input.id };
}
