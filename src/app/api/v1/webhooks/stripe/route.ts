import { env } from "~/env";
import { constructStripeEvent, stripeWebhookSecret } from "~/server/billing/stripe";
import { db } from "~/server/db";
import { BodyTooLargeError, jsonError, readBodyWithLimit } from "~/server/lib/http";
import { logger } from "~/server/lib/logger";
import { CORRELATION_HEADER } from "~/server/lib/request-meta";
import { recordStripeWebhookFailure } from "~/server/observability/metrics";
import { handleStripeEvent } from "~/server/services/billing/webhook";

export const dynamic = "force-dynamic";

/**
 * POST /api/v1/webhooks/stripe — Stripe's events (a static segment: it wins over [provider]).
 * The signature is checked on the raw body with STRIPE_WEBHOOK_SECRET (a wrong signature or a
 * stale timestamp → 400 without detail). 200 once the event is applied, or was before; 500 when
 * applying failed, so Stripe retries (nothing of it was kept).
 */
export async function POST(request: Request) {
  const correlationId = request.headers.get(CORRELATION_HEADER);
  const log = logger.child({ correlationId, component: "stripe-webhook" });
  const secret = stripeWebhookSecret();
  if (!secret) {
    log.warn("stripe webhook received but STRIPE_SECRET_KEY / STRIPE_WEBHOOK_SECRET are not set");
    return jsonError("NOT_FOUND", "Stripe is not configured", { correlationId });
  }
  let rawBody: string;
  try {
    rawBody = new TextDecoder().decode(await readBodyWithLimit(request, env.MAX_REQUEST_BODY_BYTES));
  } catch (error) {
    if (error instanceof BodyTooLargeError) return jsonError("PAYLOAD_TOO_LARGE", "Body too large", { correlationId });
    throw error;
  }
  let event;
  try {
    event = constructStripeEvent(rawBody, request.headers.get("stripe-signature") ?? "", secret);
  } catch {
    recordStripeWebhookFailure("signature");
    return jsonError("BAD_REQUEST", "Invalid signature", { correlationId });
  }
  // Signed but not an event (null, an array, a string, no id or type): nothing to apply, and a
  // retry would not change it — 400 rather than a 500 that Stripe retries for days.
  const shape = event as unknown;
  if (!shape || typeof shape !== "object" || Array.isArray(shape) || typeof event.id !== "string" || typeof event.type !== "string") {
    log.warn("stripe webhook: signed body is not an event");
    return jsonError("BAD_REQUEST", "Malformed event", { correlationId });
  }
  try {
    const outcome = await handleStripeEvent(db, event, log);
    log.info({ eventId: event.id, type: event.type, outcome }, "stripe event");
    return Response.json({ received: true });
  } catch (error) {
    recordStripeWebhookFailure("processing");
    log.error({ eventId: event.id, type: event.type, err: error }, "stripe event failed; Stripe will retry");
    return jsonError("INTERNAL_SERVER_ERROR", "Event processing failed", { correlationId });
  }
}
