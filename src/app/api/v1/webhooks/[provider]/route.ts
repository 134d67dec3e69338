import type { NextRequest } from "next/server";

import { env } from "~/env";
import { isMarketplaceProvider } from "~/server/connectors/marketplace/registry";
import { isSocialProvider } from "~/server/connectors/social/registry";
import type { SocialProvider } from "~/server/connectors/social/types";
import { db } from "~/server/db";
import { BodyTooLargeError, jsonError, readBodyWithLimit } from "~/server/lib/http";
import { logger } from "~/server/lib/logger";
import { CORRELATION_HEADER } from "~/server/lib/request-meta";
import { providerFromSlug } from "~/server/services/connectors/connectors";
import { receiveMarketplaceWebhook } from "~/server/services/connectors/webhooks";
import { answerSocialWebhookChallenge, receiveSocialWebhook } from "~/server/services/engagement/inbound";

export const dynamic = "force-dynamic";

/** instagram | tiktok | youtube → the social network, or null (marketplaces keep their own path). */
function socialFromSlug(slug: string): SocialProvider | null {
  const provider = providerFromSlug(slug);
  return provider && isSocialProvider(provider) ? provider : null;
}

/**
 * GET /api/v1/webhooks/instagram — the subscription handshake (hub.mode=subscribe +
 * hub.verify_token → the challenge echoed as plain text). Marketplaces have no handshake.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const correlationId = request.headers.get(CORRELATION_HEADER);
  const social = socialFromSlug((await params).provider);
  if (!social) return jsonError("NOT_FOUND", "Unknown provider", { correlationId });
  const challenge = answerSocialWebhookChallenge(social, request.nextUrl.searchParams);
  if (challenge === null) return jsonError("FORBIDDEN", "Verification failed", { correlationId });
  return new Response(challenge, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * POST /api/v1/webhooks/mercadolivre | shopee — marketplace notifications; /instagram — comment
 * notifications. Verified on the raw body, recorded and queued; the answer is an empty 200 within
 * the providers' deadlines (syncs, automations and replies run later).
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const correlationId = request.headers.get(CORRELATION_HEADER);
  const slug = (await params).provider;
  const social = socialFromSlug(slug);
  const found = providerFromSlug(slug);
  const provider = found && isMarketplaceProvider(found) ? found : null;
  if (!provider && !social) return jsonError("NOT_FOUND", "Unknown provider", { correlationId });
  let rawBody: string;
  try {
    rawBody = new TextDecoder().decode(await readBodyWithLimit(request, env.MAX_REQUEST_BODY_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return jsonError("PAYLOAD_TOO_LARGE", "Body too large", { correlationId });
    throw error;
  }
  const log = logger.child({ correlationId, component: "webhooks" });
  // The signature covers the URL the provider called: rebuild it from the public APP_URL, since
  // behind a proxy the request URL seen here is the internal one.
  const url = new URL(request.nextUrl.pathname + request.nextUrl.search, env.APP_URL).toString();
  const outcome = social
    ? await receiveSocialWebhook(db, log, social, { url, headers: request.headers, rawBody })
    : await receiveMarketplaceWebhook(db, log, provider!, { url, headers: request.headers, rawBody });
  if (outcome.status === 401) return jsonError("UNAUTHORIZED", "Invalid notification signature", { correlationId });
  if (outcome.status === 400) return jsonError("BAD_REQUEST", "Unreadable notification", { correlationId });
  return new Response(null, { status: 200 });
}
