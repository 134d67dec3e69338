import type { Db } from "~/server/db";
import { getMarketplaceConnector } from "~/server/connectors/marketplace/registry";
import type { InboundWebhook, MarketplaceProvider } from "~/server/connectors/marketplace/types";
import { inngest } from "~/server/jobs/client";
import { listingChanged } from "~/server/jobs/events";
import type { Logger } from "~/server/lib/logger";
import { findConnectionsByAccount, recordExternalEvent } from "~/server/repositories/connections";

/**
 * A delivery whose own (signed, for Shopee) time is older than this is acknowledged and dropped:
 * providers stop retrying within hours to days, and the de-duplication rows last 30 days
 * (privacy retention), so a captured delivery replayed later cannot be processed a second time.
 */
export const MAX_DELIVERY_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export type WebhookOutcome = { status: 200 | 400 | 401; accepted: number; duplicates: number; ignored: number };

/**
 * An inbound marketplace notification: verified by the connector, recorded by its delivery id
 * (a repeated delivery changes nothing), and turned into one incremental-sync event per
 * organization connected to that seller account. No provider call happens here, so the route
 * answers within the providers' deadline (Mercado Livre: 500 ms).
 */
export async function receiveMarketplaceWebhook(
  db: Db,
  log: Logger,
  provider: MarketplaceProvider,
  webhook: InboundWebhook,
): Promise<WebhookOutcome> {
  const connector = getMarketplaceConnector(provider);
  let verified = false;
  try {
    verified = connector.verifyNotification(webhook);
  } catch {
    verified = false;
  }
  if (!verified) {
    // Headers and body are not logged: they may carry signatures or account data.
    log.warn({ provider, bytes: webhook.rawBody.length }, "webhook rejected: signature or application check failed");
    return { status: 401, accepted: 0, duplicates: 0, ignored: 0 };
  }
  let notifications;
  try {
    notifications = connector.parseNotification(webhook.rawBody);
  } catch {
    log.warn({ provider }, "webhook rejected: body could not be parsed");
    return { status: 400, accepted: 0, duplicates: 0, ignored: 0 };
  }
  const outcome: WebhookOutcome = { status: 200, accepted: 0, duplicates: 0, ignored: 0 };
  const source = `marketplace:${provider.toLowerCase()}`;
  for (const notification of notifications) {
    if (notification.sentAt.getTime() < Date.now() - MAX_DELIVERY_AGE_MS) {
      outcome.ignored++;
      continue;
    }
    const connections = await findConnectionsByAccount(db, provider, notification.externalAccountId);
    const isNew = await recordExternalEvent(db, {
      source,
      externalId: notification.id.slice(0, 500),
      type: notification.topic.slice(0, 100),
      // One row per delivery; it names the organization when exactly one is connected to the account.
      organizationId: connections.length === 1 ? connections[0]!.organizationId : null,
    });
    if (!isNew) {
      outcome.duplicates++;
      continue;
    }
    if (!notification.externalItemId || connections.length === 0) {
      outcome.ignored++;
      continue;
    }
    await inngest.send(
      connections.map((c) =>
        listingChanged.create(
          { organizationId: c.organizationId, connectionId: c.id, externalItemId: notification.externalItemId!, notificationId: notification.id.slice(0, 256) },
          { id: `notification-${c.id}-${notification.id}`.slice(0, 500) },
        ),
      ),
    );
    outcome.accepted++;
  }
  log.info({ provider, ...outcome }, "webhook processed");
  return outcome;
}
