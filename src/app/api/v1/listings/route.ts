import type { NextRequest } from "next/server";

import type { TListingListInput } from "~/server/api/routers/listings/schemas";
import { restCall } from "../_lib/rest";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/listings?limit&cursor&provider&status&categoryId&health&search&sort —
 * `{ data: Listing[], meta: { nextCursor }, errors }`, paginated by cursor (pass meta.nextCursor).
 */
export function GET(request: NextRequest) {
  const q = request.nextUrl.searchParams;
  const opt = (key: string) => q.get(key) ?? undefined;
  const limit = q.get("limit");
  // Passed through as given: the procedure's zod schema validates (and rejects with 400).
  type In = TListingListInput;
  return restCall(
    request,
    async (api) => api.listings.list({
      limit: limit ? Number(limit) : 25,
      cursor: opt("cursor"),
      provider: opt("provider") as In["provider"],
      status: opt("status") as In["status"],
      categoryId: opt("categoryId"),
      health: opt("health") as In["health"],
      search: opt("search") ?? opt("q"),
      sort: opt("sort") as In["sort"],
    }),
    (page) => ({ data: page.items, meta: { nextCursor: page.nextCursor } }),
  );
}
