import { jsonError } from "~/server/lib/http";
import { logger } from "~/server/lib/logger";

import { isAssetName, readAsset } from "../../_lib/reference";

export const dynamic = "force-dynamic";

/** Swagger UI's bundle and stylesheet from node_modules plus our init script: an allow-list, nothing else. */
export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  if (!isAssetName(file)) return jsonError("NOT_FOUND", "No API route matches this path");
  let asset;
  try {
    asset = await readAsset(file);
  } catch (error) {
    // swagger-ui-dist missing from the deployment (e.g. a traced build without the include).
    logger.error({ err: error, file }, "API reference asset unavailable");
    return jsonError("INTERNAL_SERVER_ERROR", "API reference asset unavailable");
  }
  const headers = {
    "content-type": asset.contentType,
    // URLs carry the version (?v=), so a cached copy never goes stale.
    "cache-control": "public, max-age=31536000, immutable",
    etag: asset.etag,
    "x-content-type-options": "nosniff",
  };
  if (request.headers.get("if-none-match") === asset.etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(asset.body), { headers });
}
