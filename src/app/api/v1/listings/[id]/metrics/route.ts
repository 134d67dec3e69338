import type { NextRequest } from "next/server";

import { restCall } from "../../../_lib/rest";

export const dynamic = "force-dynamic";

/** GET /api/v1/listings/:id/metrics?days=30 — the listing's daily visits, sales, price and stock. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const days = request.nextUrl.searchParams.get("days");
  return restCall(
    request,
    (api) => api.listings.metrics({ id, days: days ? Number(days) : 30 }),
    (metrics) => ({ data: metrics, meta: { nextCursor: null } }),
  );
}
