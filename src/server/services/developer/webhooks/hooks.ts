/**
 * The one-line hooks the business code calls, for events whose payload needs a little shaping.
 * Each writes with the caller's client (its transaction when it has one); see emit.ts.
 */
import type { DbOrTx } from "~/server/db";
import { findConnectionForEvent } from "~/server/repositories/webhooks";
import { emitWebhookEvent, emitWebhookEvents } from "./emit";

/** listing.score_changed for each listing of a recompute batch whose known score moved (a first score is not a change). */
export function emitScoreChanges(
  db: DbOrTx,
  organizationId: string,
  rows: { id: string; health_score: number | null }[],
  scores: { listingId: string; score: number }[],
  now: Date,
) {
  if (scores.length === 0) return Promise.resolve([]);
  const previous = new Map(rows.map((r) => [r.id, r.health_score]));
  const payloads = scores.flatMap((s) => {
    const before = previous.get(s.listingId);
    return before === null || before === undefined || before === s.score ? [] : [{ listingId: s.listingId, previousScore: before, score: s.score, computedAt: now.toISOString() }];
  });
  return emitWebhookEvents(db, organizationId, "listing.score_changed", payloads, now);
}

/** comment.received for the newly stored comments that someone else wrote (not the account itself). */
export function emitCommentsReceived(
  db: DbOrTx,
  owner: { organizationId: string; connectionId: string },
  rows: { externalId: string; parentExternalId: string | null; postExternalId: string | null; publicationId: string | null; authorName: string; text: string; receivedAt: Date }[],
  created: { id: string; externalId: string; fromAccount: boolean }[],
) {
  const byExternalId = new Map(rows.map((r) => [r.externalId, r]));
  const payloads = created.flatMap((c) => {
    const row = byExternalId.get(c.externalId);
    if (!row || c.fromAccount) return [];
    return [
      {
        commentId: c.id,
        connectionId: owner.connectionId,
        externalId: row.externalId,
        postExternalId: row.postExternalId,
        publicationId: row.publicationId,
        parentExternalId: row.parentExternalId,
        authorName: row.authorName,
        text: row.text,
        receivedAt: row.receivedAt.toISOString(),
      },
    ];
  });
  return emitWebhookEvents(db, owner.organizationId, "comment.received", payloads);
}

/** connection.needs_reconnect, with the account's provider and name. */
export async function emitNeedsReconnect(db: DbOrTx, organizationId: string, connectionId: string, now = new Date()) {
  const connection = await findConnectionForEvent(db, organizationId, connectionId);
  if (!connection) return null;
  return emitWebhookEvent(db, organizationId, "connection.needs_reconnect", { connectionId, provider: connection.provider, accountName: connection.accountName, since: now.toISOString() }, now);
}
