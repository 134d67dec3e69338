import { z } from "zod";

import type { DbOrTx } from "~/server/db";
import { findOrganizationSettingsJson, setApprovalRequiredSetting } from "~/server/repositories/contents";
import { audit } from "../audit";
import type { TenantCtx } from "../context";

const ZApprovalRequired = z.boolean();

/**
 * organizations.settings.approvalRequired, false when absent or not a boolean: an organization
 * that never chose keeps publishing without a review step.
 */
export function approvalRequiredFromSettings(settings: unknown): boolean {
  const stored = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).approvalRequired : undefined;
  const parsed = ZApprovalRequired.safeParse(stored);
  return parsed.success ? parsed.data : false;
}

export async function approvalRequiredFor(db: DbOrTx, organizationId: string): Promise<boolean> {
  return approvalRequiredFromSettings(await findOrganizationSettingsJson(db, organizationId));
}

export async function getContentSettings(ctx: TenantCtx) {
  return { approvalRequired: await approvalRequiredFor(ctx.db, ctx.tenant.organizationId) };
}

export async function setApprovalRequired(ctx: TenantCtx, required: boolean) {
  const { organizationId, userId } = ctx.tenant;
  await ctx.db.$transaction(async (tx) => {
    const before = await approvalRequiredFor(tx, organizationId);
    await setApprovalRequiredSetting(tx, organizationId, required);
    await audit(tx, { organizationId, userId, request: ctx.request }, "content.settings.approvalRequired", { type: "organization", id: organizationId }, { before, after: required });
  });
  return { approvalRequired: required };
}
