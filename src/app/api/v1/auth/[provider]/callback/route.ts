import { NextResponse, type NextRequest } from "next/server";

import { env } from "~/env";
import { AppError } from "~/server/lib/errors";
import { jsonError } from "~/server/lib/http";
import { logger } from "~/server/lib/logger";
import { correlationIdFrom } from "~/server/lib/request-meta";
import { completeConnect, PROVIDER_SLUGS, providerFromSlug } from "~/server/services/connectors/connectors";
import { tenantFromSession } from "../../_lib/tenant";
import { connectionsPage, flowCookieName, planLimitQuery } from "../flow";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/auth/<provider>/callback — the marketplace sends the person back here. The flow
 * cookie is consumed whatever happens (a state works once), then the connection is stored and the
 * person lands on Settings → Connections with a success or error banner.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const provider = providerFromSlug((await params).provider);
  if (!provider) return jsonError("NOT_FOUND", "Unknown provider", { correlationId: correlationIdFrom(request.headers), reason: "routeNotFound" });
  const slug = PROVIDER_SLUGS[provider];
  const cookieName = flowCookieName(provider);
  let target: URL;
  try {
    const ctx = await tenantFromSession(request.headers, "connections:manage");
    const connection = await completeConnect(ctx, {
      provider,
      sealedFlow: request.cookies.get(cookieName)?.value,
      params: Object.fromEntries(request.nextUrl.searchParams.entries()),
      appUrl: env.APP_URL,
    });
    target = connectionsPage({ connected: slug, connection: connection.id });
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHORIZED") {
      target = new URL(`/sign-in?callbackUrl=${encodeURIComponent("/settings/connections")}`, env.APP_URL);
    } else {
      if (!(error instanceof AppError)) logger.error({ err: error, provider }, "connect callback failed");
      target = connectionsPage({ error: error instanceof AppError ? error.reason : "generic", provider: slug, ...planLimitQuery(error) });
    }
  }
  const response = NextResponse.redirect(target, 302);
  response.cookies.set(cookieName, "", { httpOnly: true, path: `/api/v1/auth/${slug}`, maxAge: 0 });
  return response;
}
