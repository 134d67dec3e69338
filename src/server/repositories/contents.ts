import type { DbOrTx } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import type { ContentStatus, PublicationStatus, SocialNetwork } from "~/generated/prisma/enums";
import { paginate } from "./pagination";

export type ContentListFilter = {
  limit: number;
  cursor?: string;
  status?: ContentStatus;
  campaignId?: string;
  network?: SocialNetwork;
  search?: string;
};

export function listContents(db: DbOrTx, organizationId: string, page: ContentListFilter) {
  const search = page.search?.trim();
  return db.content
    .findMany({
      where: {
        organizationId,
        deletedAt: null,
        ...(page.status ? { status: page.status } : {}),
        ...(page.campaignId ? { campaignId: page.campaignId } : {}),
        ...(page.network ? { variants: { some: { organizationId, network: page.network } } } : {}),
        ...(search
          ? { OR: [{ title: { contains: search, mode: "insensitive" as const } }, { baseCaption: { contains: search, mode: "insensitive" as const } }] }
          : {}),
      },
      select: {
        id: true,
        title: true,
        status: true,
        createdAt: true,
        updatedAt: true,
        campaign: { select: { id: true, name: true } },
        variants: { select: { network: true }, orderBy: { network: "asc" } },
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

const variantFields = {
  id: true,
  network: true,
  caption: true,
  hashtags: true,
  title: true,
  privacy: true,
  updatedAt: true,
} as const;

export function findContentDetail(db: DbOrTx, organizationId: string, contentId: string) {
  return db.content.findFirst({
    where: { id: contentId, organizationId, deletedAt: null },
    select: {
      id: true,
      title: true,
      baseCaption: true,
      status: true,
      submittedAt: true,
      approvedAt: true,
      createdAt: true,
      updatedAt: true,
      campaign: { select: { id: true, name: true } },
      createdBy: { select: { id: true, name: true } },
      variants: { where: { organizationId }, select: variantFields, orderBy: { network: "asc" } },
      reviewComments: {
        where: { organizationId },
        select: { id: true, body: true, fromStatus: true, toStatus: true, createdAt: true, author: { select: { id: true, name: true } } },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      },
      _count: { select: { media: { where: { organizationId, deletedAt: null } } } },
    },
  });
}

/** The minimum the approval flow and the editors' writes need: existence, status and the edited fields. */
export function findContentStatus(db: DbOrTx, organizationId: string, contentId: string) {
  return db.content.findFirst({
    where: { id: contentId, organizationId, deletedAt: null },
    select: { id: true, status: true, title: true, baseCaption: true, campaignId: true },
  });
}

/** What readiness checks: the status, the variants, and the READY media in carousel order. */
export function findContentForReadiness(db: DbOrTx, organizationId: string, contentId: string) {
  return db.content.findFirst({
    where: { id: contentId, organizationId, deletedAt: null },
    select: {
      id: true,
      status: true,
      variants: { where: { organizationId }, select: variantFields },
      media: {
        where: { organizationId, deletedAt: null, status: "READY" },
        select: { id: true, mimeType: true, sizeBytes: true, width: true, height: true, durationMs: true, position: true },
        orderBy: [{ position: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      },
    },
  });
}

export function createContent(
  db: DbOrTx,
  organizationId: string,
  data: { title: string; baseCaption: string; campaignId: string | null; createdById: string; networks: SocialNetwork[] },
) {
  return db.content.create({
    data: {
      organizationId,
      title: data.title,
      baseCaption: data.baseCaption,
      campaignId: data.campaignId,
      createdById: data.createdById,
      variants: { create: data.networks.map((network) => ({ organizationId, network, caption: data.baseCaption, hashtags: [] })) },
    },
    select: { id: true },
  });
}

/** Returns how many rows changed: 0 when the content is gone (or not this tenant's). */
export function updateContentFields(
  db: DbOrTx,
  organizationId: string,
  contentId: string,
  data: { title?: string; baseCaption?: string; campaignId?: string | null },
) {
  return db.content.updateMany({ where: { id: contentId, organizationId, deletedAt: null }, data }).then((r) => r.count);
}

/**
 * Moves the status only from the expected one, so two reviewers acting at once cannot both win
 * (the loser sees 0 and is told the content changed).
 */
export function transitionContentStatus(
  db: DbOrTx,
  organizationId: string,
  contentId: string,
  from: ContentStatus[],
  data: { status: ContentStatus; submittedAt?: Date | null; approvedAt?: Date | null; approvedById?: string | null },
) {
  return db.content
    .updateMany({ where: { id: contentId, organizationId, deletedAt: null, status: { in: from } }, data })
    .then((r) => r.count);
}

export function softDeleteContent(db: DbOrTx, organizationId: string, contentId: string) {
  return db.content.updateMany({ where: { id: contentId, organizationId, deletedAt: null }, data: { deletedAt: new Date() } }).then((r) => r.count);
}

export function findVariant(db: DbOrTx, organizationId: string, contentId: string, network: SocialNetwork) {
  return db.contentVariant.findFirst({ where: { organizationId, contentId, network }, select: variantFields });
}

export function upsertVariant(
  db: DbOrTx,
  organizationId: string,
  contentId: string,
  data: { network: SocialNetwork; caption: string; hashtags: string[]; title: string | null; privacy: string | null },
) {
  const values = { caption: data.caption, hashtags: data.hashtags, title: data.title, privacy: data.privacy };
  return db.contentVariant.upsert({
    where: { organizationId_contentId_network: { organizationId, contentId, network: data.network } },
    create: { organizationId, contentId, network: data.network, ...values },
    update: values,
    select: variantFields,
  });
}

export function deleteVariant(db: DbOrTx, organizationId: string, contentId: string, network: SocialNetwork) {
  return db.contentVariant.deleteMany({ where: { organizationId, contentId, network } }).then((r) => r.count);
}

/** Publications still on their way to the network: a content with any of these cannot go away. */
export const ACTIVE_PUBLICATION_STATUSES: PublicationStatus[] = ["SCHEDULED", "DISPATCHED", "PUBLISHING"];

export function countActivePublications(db: DbOrTx, organizationId: string, contentId: string, network?: SocialNetwork) {
  return db.publication.count({
    where: {
      organizationId,
      contentId,
      deletedAt: null,
      status: { in: ACTIVE_PUBLICATION_STATUSES },
      ...(network ? { connection: { organizationId, provider: network } } : {}),
    },
  });
}

/** Publication counts per status for the content page's summary. */
export async function publicationSummary(db: DbOrTx, organizationId: string, contentId: string) {
  const rows = await db.publication.groupBy({
    by: ["status"],
    where: { organizationId, contentId, deletedAt: null },
    _count: { _all: true },
  });
  return rows.map((r) => ({ status: r.status, count: r._count._all }));
}

export function addReviewComment(
  db: DbOrTx,
  organizationId: string,
  data: { contentId: string; authorId: string; body: string; fromStatus?: ContentStatus | null; toStatus?: ContentStatus | null },
) {
  return db.contentReviewComment.create({
    data: {
      organizationId,
      contentId: data.contentId,
      authorId: data.authorId,
      body: data.body,
      fromStatus: data.fromStatus ?? null,
      toStatus: data.toStatus ?? null,
    },
    select: { id: true },
  });
}

// ─── Approval setting (organizations.settings.approvalRequired) ─────────────────────────────

export async function findOrganizationSettingsJson(db: DbOrTx, organizationId: string): Promise<Prisma.JsonValue | null> {
  const org = await db.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: { settings: true } });
  return org?.settings ?? null;
}

/** Sets only the approvalRequired key: other features keep their own settings in the same column. */
export function setApprovalRequiredSetting(db: DbOrTx, organizationId: string, required: boolean) {
  return db.$executeRaw`
    UPDATE organizations SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{approvalRequired}', ${JSON.stringify(required)}::jsonb),
           updated_at = (now() AT TIME ZONE 'UTC')
    WHERE id = ${organizationId} AND deleted_at IS NULL`;
}
