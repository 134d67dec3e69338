import { db } from "~/server/db";
import { deliverMedia } from "~/server/services/media/deliver";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

type Params = { params: Promise<{ id: string; variant: string }> };

/** GET /api/v1/media/{id}/{file|thumbnail}?exp&sig — a signed, expiring media link (no session). */
export async function GET(request: Request, { params }: Params) {
  const { id, variant } = await params;
  return deliverMedia(db, request, id, variant);
}

export async function HEAD(request: Request, { params }: Params) {
  const { id, variant } = await params;
  return deliverMedia(db, request, id, variant);
}
