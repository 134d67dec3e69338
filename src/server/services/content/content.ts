import { listContents } from "~/server/repositories/contents";
import type { TenantCtx } from "../context";

export function listOrganizationContents(ctx: TenantCtx, input: { limit: number; cursor?: string }) {
  return listContents(ctx.db, ctx.tenant.organizationId, input);
}
