import { NextResponse, type NextRequest } from "next/server";

import { env } from "~/env";
import { auth } from "~/server/auth/config";
import { db } from "~/server/db";
import { AppError } from "~/server/lib/errors";
import { jsonError } from "~/server/lib/http";
import { logger, requestLogger } from "~/server/lib/logger";
import { clientIpFrom, correlationIdFrom } from "~/server/lib/request-meta";
import { findActiveUserById } from "~/server/repositories/users";
import { exportFileName, exportMyData } from "~/server/services/privacy/export";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/privacy/export — the signed-in person's data as a JSON attachment. A route (not a
 * tRPC call + client-side Blob) so the browser downloads it natively, with its file name, and a
 * large document never passes through React state. Cookie session only: an API key must not be
 * able to pull its creator's personal data.
 */
export async function GET(request: NextRequest) {
  const correlationId = correlationIdFrom(request.headers);
  const session = await auth();
  const userId = session?.user?.id;
  const user = userId ? await findActiveUserById(db, userId) : null;
  if (!user) return jsonError("UNAUTHORIZED", "Sign in to continue", { correlationId, reason: "signInRequired" });
  const requestMeta = { correlationId, ip: clientIpFrom(request.headers, env.TRUSTED_PROXY_HOPS), userAgent: request.headers.get("user-agent") ?? undefined };
  try {
    const now = new Date();
    const document = await exportMyData({ db, userId: user.id, request: requestMeta, log: requestLogger({ correlationId, userId: user.id }) }, now);
    return new NextResponse(JSON.stringify(document, null, 2), {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${exportFileName(now)}"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError) {
      return jsonError(error.code, error.message, { correlationId, reason: error.reason });
    }
    logger.error({ err: error, correlationId }, "privacy export failed");
    return jsonError("INTERNAL_SERVER_ERROR", "Internal error", { correlationId });
  }
}
