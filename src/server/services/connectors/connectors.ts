import { listConnections } from "~/server/repositories/connections";
import type { TenantCtx } from "../context";

export function listOrganizationConnections(ctx: TenantCtx) {
  return listConnections(ctx.db, ctx.tenant.organizationId);
}
