import type { CampaignStatus } from "~/generated/prisma/enums";
import { AppError, notFound } from "~/server/lib/errors";
import { campaignContentCounts, createCampaign as insertCampaign, findCampaign, listCampaigns, updateCampaign as writeCampaign } from "~/server/repositories/campaigns";
import { audit } from "../audit";
import type { TenantCtx } from "../context";

/** Fixed list: reports group campaigns by it, so free text would split one objective in many. */
export const CAMPAIGN_OBJECTIVES = ["awareness", "engagement", "traffic", "sales", "launch", "other"] as const;
export type CampaignObjective = (typeof CAMPAIGN_OBJECTIVES)[number];

function toOutput<T extends { objective: string | null; _count: { contents: number } }>(row: T) {
  const { _count, objective, ...rest } = row;
  const known = (CAMPAIGN_OBJECTIVES as readonly string[]).includes(objective ?? "") ? (objective as CampaignObjective) : null;
  return { ...rest, objective: known, contentCount: _count.contents };
}

function assertDates(startsAt: Date | null | undefined, endsAt: Date | null | undefined) {
  if (startsAt && endsAt && endsAt < startsAt) throw new AppError("BAD_REQUEST", "campaignDatesInvalid", "endsAt is before startsAt", { field: "endsAt" });
}

export async function listOrganizationCampaigns(ctx: TenantCtx, input: { limit: number; cursor?: string; status?: CampaignStatus; includeArchived?: boolean }) {
  const page = await listCampaigns(ctx.db, ctx.tenant.organizationId, input);
  return { items: page.items.map(toOutput), nextCursor: page.nextCursor };
}

export async function getCampaign(ctx: TenantCtx, id: string) {
  const campaign = await findCampaign(ctx.db, ctx.tenant.organizationId, id);
  if (!campaign) throw notFound("Campaign");
  return { ...toOutput(campaign), contentsByStatus: await campaignContentCounts(ctx.db, ctx.tenant.organizationId, id) };
}

type CampaignInput = { name: string; objective?: CampaignObjective | null; status?: CampaignStatus; startsAt?: Date | null; endsAt?: Date | null };

export async function createCampaign(ctx: TenantCtx, input: CampaignInput) {
  const { organizationId, userId } = ctx.tenant;
  assertDates(input.startsAt, input.endsAt);
  return ctx.db.$transaction(async (tx) => {
    const created = await insertCampaign(tx, organizationId, {
      name: input.name,
      objective: input.objective ?? null,
      status: input.status ?? "PLANNED",
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
    });
    await audit(tx, { organizationId, userId, request: ctx.request }, "campaign.create", { type: "campaign", id: created.id });
    return { id: created.id };
  });
}

export async function updateCampaign(ctx: TenantCtx, input: Partial<CampaignInput> & { id: string }) {
  const { organizationId, userId } = ctx.tenant;
  return ctx.db.$transaction(async (tx) => {
    const current = await findCampaign(tx, organizationId, input.id);
    if (!current) throw notFound("Campaign");
    assertDates(input.startsAt === undefined ? current.startsAt : input.startsAt, input.endsAt === undefined ? current.endsAt : input.endsAt);
    const { id, ...data } = input;
    await writeCampaign(tx, organizationId, id, data);
    await audit(tx, { organizationId, userId, request: ctx.request }, "campaign.update", { type: "campaign", id }, { fields: Object.keys(data) });
    return { id };
  });
}

export async function archiveCampaign(ctx: TenantCtx, id: string) {
  const { organizationId, userId } = ctx.tenant;
  return ctx.db.$transaction(async (tx) => {
    const changed = await writeCampaign(tx, organizationId, id, { status: "ARCHIVED" });
    if (changed === 0) throw notFound("Campaign");
    await audit(tx, { organizationId, userId, request: ctx.request }, "campaign.archive", { type: "campaign", id });
    return { id, status: "ARCHIVED" as const };
  });
}
