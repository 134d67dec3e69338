import type { DbOrTx } from "~/server/db";
import type { CampaignStatus } from "~/generated/prisma/enums";
import { paginate } from "./pagination";

const campaignFields = {
  id: true,
  name: true,
  objective: true,
  status: true,
  startsAt: true,
  endsAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

const contentCount = { _count: { select: { contents: { where: { deletedAt: null } } } } } as const;

export function listCampaigns(
  db: DbOrTx,
  organizationId: string,
  page: { limit: number; cursor?: string; status?: CampaignStatus; includeArchived?: boolean },
) {
  return db.campaign
    .findMany({
      where: {
        organizationId,
        deletedAt: null,
        ...(page.status ? { status: page.status } : page.includeArchived ? {} : { status: { not: "ARCHIVED" as const } }),
      },
      select: { ...campaignFields, ...contentCount },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: page.limit + 1,
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

export function findCampaign(db: DbOrTx, organizationId: string, campaignId: string) {
  return db.campaign.findFirst({
    where: { id: campaignId, organizationId, deletedAt: null },
    select: { ...campaignFields, ...contentCount },
  });
}

/** Content counts of one campaign per approval status. */
export async function campaignContentCounts(db: DbOrTx, organizationId: string, campaignId: string) {
  const rows = await db.content.groupBy({
    by: ["status"],
    where: { organizationId, campaignId, deletedAt: null },
    _count: { _all: true },
  });
  return rows.map((r) => ({ status: r.status, count: r._count._all }));
}

export type CampaignData = { name: string; objective: string | null; status: CampaignStatus; startsAt: Date | null; endsAt: Date | null };

export function createCampaign(db: DbOrTx, organizationId: string, data: CampaignData) {
  return db.campaign.create({ data: { organizationId, ...data }, select: { id: true } });
}

export function updateCampaign(db: DbOrTx, organizationId: string, campaignId: string, data: Partial<CampaignData>) {
  return db.campaign.updateMany({ where: { id: campaignId, organizationId, deletedAt: null }, data }).then((r) => r.count);
}
