import type { ActionStatus } from "~/generated/prisma/enums";
import { listActions } from "~/server/repositories/actions";
import type { TenantCtx } from "../context";

export function listOrganizationActions(ctx: TenantCtx, input: { limit: number; cursor?: string; status?: ActionStatus }) {
  return listActions(ctx.db, ctx.tenant.organizationId, input);
}
