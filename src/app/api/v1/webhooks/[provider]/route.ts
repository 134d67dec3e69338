import type { NextRequest } from "next/server";

import { env } from "~/env";
import { db } from "~/server/db";
import { BodyTooLargeError, jsonError, readBodyWithLimit } from "~/server/lib/http";
import { logger } from "~/server/lib/logger";
import { CORRELATION_HEADER } from "~/server/lib/request-meta";
import { isMarketplaceProvider } from "~/server/connectors/marketplace/registry";
import { providerFromSlug } from "~/server/services/connectors/connectors";
import { receiveMarketplaceWebhook } from "~/server/services/connectors/webhooks";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/webhooks/mercadolivre | shopee — marketplace notifications. Verified, recorded and
 * queued; the answer is an empty 200 within the providers' deadline (the sync runs later).
 */
export async function POST(request: NextRequest, { params }: { params: Promise<{ provider: string }> }) {
  const correlationId = request.headers.get(CORRELATION_HEADER);
  const provider = providerFromSlug((await params).provider);
  if (!provider || !isMarketplaceProvider(provider)) return jsonError("NOT_FOUND", "Unknown provider", { correlationId });
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
  const outcome = await receiveMarketplaceWebhook(db, log, provider, { url, headers: request.headers, rawBody });
  if (outcome.status === 401) return jsonError("UNAUTHORIZED", "Invalid notification signature", { correlationId });
  if (outcome.status === 400) return jsonError("BAD_REQUEST", "Unreadable notification", { correlationId });
  return new Response(null, { status: 200 });
}
