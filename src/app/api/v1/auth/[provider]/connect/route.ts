import { NextResponse, type NextRequest } from "next/server";

import { env } from "~/env";
import { AppError } from "~/server/lib/errors";
import { jsonError } from "~/server/lib/http";
import { logger } from "~/server/lib/logger";
import { correlationIdFrom } from "~/server/lib/request-meta";
import { isCrossSiteRequest } from "~/server/services/privacy/cross-site";
import { beginConnect, OAUTH_FLOW_TTL_MS, PROVIDER_SLUGS, providerFromSlug } from "~/server/services/connectors/connectors";
import { tenantFromSession } from "../../_lib/tenant";
import { connectionsPage, flowCookieName, planLimitQuery } from "../flow";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/auth/<provider>/connect (form field `consent=<version>`) — starts the OAuth flow:
 * seals state, the PKCE verifier, the organization and the user in an encrypted, httpOnly cookie
 * valid for 10 minutes and sends the browser (303) to the marketplace's authorization page.
 * A POST from our own page only: a plain cross-site link or form must not be able to start a flow
 * on the signed-in person's behalf (login CSRF into an attacker's marketplace account).
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const provider = providerFromSlug((await params).provider);
  if (!provider) return jsonError("NOT_FOUND", "Unknown provider", { correlationId: correlationIdFrom(request.headers), reason: "routeNotFound" });
  if (isCrossSiteRequest(request.headers, request.nextUrl.origin, env.APP_URL)) {
    return jsonError("FORBIDDEN", "Cross-origin requests with the session cookie cannot change anything", { correlationId: correlationIdFrom(request.headers), reason: "crossOrigin" });
  }
  const form = await request.formData().catch(() => null);
  const consent = form?.get("consent");
  try {
    const ctx = await tenantFromSession(request.headers, "connections:manage");
    const { authorizationUrl, sealedFlow } = await beginConnect(ctx, {
      provider,
      consentVersion: typeof consent === "string" ? consent : null,
      appUrl: env.APP_URL,
    });
    // 303: the browser follows a POST with a GET.
    const response = NextResponse.redirect(authorizationUrl, 303);
    response.cookies.set(flowCookieName(provider), sealedFlow, {
      httpOnly: true,
      secure: env.APP_URL.startsWith("https:"),
      // Lax: the cookie must come back on the top-level redirect from the marketplace.
      sameSite: "lax",
      path: `/api/v1/auth/${PROVIDER_SLUGS[provider]}`,
      maxAge: OAUTH_FLOW_TTL_MS / 1000,
    });
    return response;
  } catch (error) {
    if (error instanceof AppError && error.code === "UNAUTHORIZED") {
      return NextResponse.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent("/settings/connections")}`, env.APP_URL), 303);
    }
    const reason = error instanceof AppError ? error.reason : "generic";
    if (!(error instanceof AppError)) logger.error({ err: error, provider }, "connect failed");
    // A plan limit refused before the provider was contacted names the limit too (as the callback does).
    return NextResponse.redirect(connectionsPage({ error: reason, provider: PROVIDER_SLUGS[provider], ...planLimitQuery(error) }), 303);
  }
}
