import type { DbOrTx } from "~/server/db";
import type { MediaStatus } from "~/generated/prisma/enums";
import { paginate } from "./pagination";

const mediaFields = {
  id: true,
  organizationId: true,
  contentId: true,
  storageKey: true,
  thumbnailKey: true,
  fileName: true,
  mimeType: true,
  sizeBytes: true,
  checksumSha256: true,
  width: true,
  height: true,
  durationMs: true,
  position: true,
  status: true,
  rejectReason: true,
  createdAt: true,
} as const;

export type MediaRecord = {
  id: string;
  organizationId: string;
  contentId: string | null;
  storageKey: string;
  thumbnailKey: string | null;
  fileName: string;
  mimeType: string;
  sizeBytes: bigint;
  checksumSha256: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  position: number;
  status: MediaStatus;
  rejectReason: string | null;
  createdAt: Date;
};

export function findMedia(db: DbOrTx, organizationId: string, id: string): Promise<MediaRecord | null> {
  return db.media.findFirst({ where: { id, organizationId, deletedAt: null }, select: mediaFields });
}

/**
 * The one lookup without an organization: the signed media URL (checked before this runs) is the
 * authorization, and networks fetch it without a session.
 */
export function findMediaForDelivery(db: DbOrTx, id: string) {
  return db.media.findFirst({
    where: { id, deletedAt: null, status: "READY" },
    select: { id: true, storageKey: true, thumbnailKey: true, mimeType: true, sizeBytes: true, checksumSha256: true },
  });
}

export type MediaListFilter = { contentId?: string; limit: number; cursor?: string };

/** A content's media in carousel order; without a content, the organization's newest first. */
export function listMedia(db: DbOrTx, organizationId: string, filter: MediaListFilter) {
  return db.media
    .findMany({
      where: { organizationId, deletedAt: null, ...(filter.contentId ? { contentId: filter.contentId } : {}) },
      select: mediaFields,
      orderBy: filter.contentId ? [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }] : [{ createdAt: "desc" }, { id: "desc" }],
      take: filter.limit + 1,
      ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, filter.limit));
}

/** A stored, accepted file with these bytes (deleted rows too: soft-deleting keeps the bytes). */
export function findStoredByChecksum(db: DbOrTx, organizationId: string, checksumSha256: string) {
  return db.media.findFirst({
    where: { organizationId, checksumSha256, status: "READY", storageKey: { not: "" } },
    select: mediaFields,
    orderBy: { createdAt: "asc" },
  });
}

/**
 * Locks the content row until the transaction ends, so concurrent uploads and reorders of one
 * content take positions one after another. False when the content is not the organization's.
 */
export async function lockContent(db: DbOrTx, organizationId: string, contentId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id FROM contents WHERE id = ${contentId} AND organization_id = ${organizationId} AND deleted_at IS NULL FOR UPDATE`;
  return rows.length > 0;
}

export async function contentExists(db: DbOrTx, organizationId: string, contentId: string): Promise<boolean> {
  const row = await db.content.findFirst({ where: { id: contentId, organizationId, deletedAt: null }, select: { id: true } });
  return row !== null;
}

/** Ids of a content's media (not deleted) in carousel order. */
export async function contentMediaIds(db: DbOrTx, organizationId: string, contentId: string): Promise<string[]> {
  const rows = await db.media.findMany({
    where: { organizationId, contentId, deletedAt: null },
    select: { id: true },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => r.id);
}

export async function nextMediaPosition(db: DbOrTx, organizationId: string, contentId: string): Promise<number> {
  const last = await db.media.aggregate({ where: { organizationId, contentId, deletedAt: null }, _max: { position: true } });
  return (last._max.position ?? -1) + 1;
}

export type NewMedia = {
  contentId: string | null;
  storageKey: string;
  thumbnailKey: string | null;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  checksumSha256: string;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  position: number;
  status: MediaStatus;
  rejectReason: string | null;
};

export function createMedia(db: DbOrTx, organizationId: string, data: NewMedia): Promise<MediaRecord> {
  return db.media.create({ data: { ...data, sizeBytes: BigInt(data.sizeBytes), organizationId }, select: mediaFields });
}

/** Writes positions 0..n-1 in the given order (ids already checked to belong to the organization). */
export async function setMediaOrder(db: DbOrTx, organizationId: string, contentId: string, orderedIds: string[]): Promise<void> {
  for (const [position, id] of orderedIds.entries()) {
    await db.media.updateMany({ where: { id, organizationId, deletedAt: null }, data: { contentId, position } });
  }
}

export async function softDeleteMedia(db: DbOrTx, organizationId: string, id: string): Promise<void> {
  await db.media.updateMany({ where: { id, organizationId, deletedAt: null }, data: { deletedAt: new Date(), contentId: null } });
}
