import type { Provider } from "~/generated/prisma/enums";
import { listListings } from "~/server/repositories/listings";
import type { TenantCtx } from "../context";

export function listOrganizationListings(
  ctx: TenantCtx,
  input: { limit: number; cursor?: string; provider?: Provider; search?: string },
) {
  return listListings(ctx.db, ctx.tenant.organizationId, input);
}
