import { env } from "~/env";
import { tenantFromSession } from "~/app/api/v1/auth/_lib/tenant";
import { AppError, HTTP_STATUS_BY_CODE } from "~/server/lib/errors";
import { isSameOrigin } from "~/server/media/origin";
import { CORRELATION_HEADER } from "~/server/lib/request-meta";
import { uploadMedia } from "~/server/services/media/upload";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * POST /api/v1/media — multipart/form-data with `file` and optional `contentId` (send it before the
 * file). Signed-in person with content:write, from the app's own origin. 200 `{ data: media, errors: [] }`;
 * otherwise `{ data: null | rejectedMedia, errors: [{ code, message }] }` with a stable code
 * (docs/media.md).
 */
export async function POST(request: Request) {
  const correlationId = request.headers.get(CORRELATION_HEADER);
  const reply = (status: number, data: unknown, errors: { code: string; message: string }[]) =>
    Response.json({ data, errors, meta: { correlationId } }, { status, headers: correlationId ? { [CORRELATION_HEADER]: correlationId } : undefined });

  if (!isSameOrigin(request.headers, env.APP_URL)) return reply(403, null, [{ code: "cross_site", message: "Uploads are accepted from the app only" }]);
  let ctx;
  try {
    ctx = await tenantFromSession(request.headers, "content:write");
  } catch (error) {
    if (error instanceof AppError) return reply(HTTP_STATUS_BY_CODE[error.code], null, [{ code: error.reason, message: error.message }]);
    throw error;
  }
  const declared = request.headers.get("content-length");
  const outcome = await uploadMedia(ctx, {
    body: request.body,
    contentType: request.headers.get("content-type"),
    contentLength: declared !== null && /^\d+$/.test(declared) ? Number(declared) : null,
  });
  if (outcome.ok) return reply(200, outcome.media, []);
  return reply(outcome.status, outcome.media, [{ code: outcome.code, message: outcome.message }]);
}
