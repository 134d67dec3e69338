import type { NextRequest } from "next/server";

import type { TActionListInput } from "~/server/api/routers/actions/schemas";
import { restCall } from "../../_lib/rest";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/actions/recommendations?limit&cursor&type&provider&minExpectedGain&listingId&search —
 * the pending recommended actions, `{ data: Action[], meta: { nextCursor }, errors }`, paginated by
 * cursor (pass meta.nextCursor).
 */
export function GET(request: NextRequest) {
  const q = request.nextUrl.searchParams;
  const opt = (key: string) => q.get(key) ?? undefined;
  const limit = q.get("limit");
  const gain = q.get("minExpectedGain");
  type In = TActionListInput;
  // Passed through as given: the procedure's zod schema validates (and rejects with 400).
  return restCall(
    request,
    (api) =>
      api.actions.list({
        limit: limit ? Number(limit) : 25,
        cursor: opt("cursor"),
        status: "PENDING",
        type: opt("type") as In["type"],
        provider: opt("provider") as In["provider"],
        minExpectedGain: gain ? Number(gain) : undefined,
        listingId: opt("listingId"),
        search: opt("search"),
      }),
    (page) => ({ data: page.items, meta: { nextCursor: page.nextCursor } }),
  );
}
