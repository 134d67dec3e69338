import { NextResponse, type NextRequest } from "next/server";

import { env } from "~/env";
import { AppError } from "~/server/lib/errors";
import { logger } from "~/server/lib/logger";
import { beginConnect, OAUTH_FLOW_TTL_MS, PROVIDER_SLUGS, providerFromSlug } from "~/server/services/connectors/connectors";
import { tenantFromSession } from "../../_lib/tenant";
import { connectionsPage, flowCookieName, planLimitQuery } from "../flow";

export const dynamic = "force-dynamic";

/**
 * GET /api/v1/auth/<provider>/connect?consent=<version> — starts the OAuth flow: seals state, the
 * PKCE verifier, the organization and the user in an encrypted, httpOnly cookie valid for 10
 * minutes and sends the browser to the marketplace's authorization page.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const provider = providerFromSlug((await params).provider);
  if (!provider) return NextResponse.json({ data: null, errors: [{ code: "NOT_FOUND", message: "Unknown provider" }] }, { status: 404 });
  try {
    const ctx = await tenantFromSession(request.headers, "connections:manage");
    const { authorizationUrl, sealedFlow } = await beginConnect(ctx, {
      provider,
      consentVersion: request.nextUrl.searchParams.get("consent"),
      appUrl: env.APP_URL,
    });
    const response = NextResponse.redirect(authorizationUrl, 302);
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
      return NextResponse.redirect(new URL(`/sign-in?callbackUrl=${encodeURIComponent("/settings/connections")}`, env.APP_URL), 302);
    }
    const reason = error instanceof AppError ? error.reason : "generic";
    if (!(error instanceof AppError)) logger.error({ err: error, provider }, "connect failed");
    // A plan limit refused before the provider was contacted names the limit too (as the callback does).
    return NextResponse.redirect(connectionsPage({ error: reason, provider: PROVIDER_SLUGS[provider], ...planLimitQuery(error) }), 302);
  }
}
