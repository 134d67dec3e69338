/**
 * The per-minute dispatcher: claims every due publication (oldest first, in batches, with SKIP
 * LOCKED so two dispatchers never take the same row) and sends one publish event per row. The
 * event id `publish-<id>-v<version>` makes a re-sent event a duplicate the queue drops.
 */
import type { Db } from "~/server/db";
import { inngest } from "~/server/jobs/client";
import { publicationPublishRequested } from "~/server/jobs/events";
import { logger } from "~/server/lib/logger";
import { claimDuePublications, claimStalledDispatches, type ClaimedPublication } from "~/server/repositories/publications";

export const DISPATCH_BATCH = 500;
/** A DISPATCHED row whose run has not started after this long gets its event again (same id). */
export const STALLED_DISPATCH_MS = 5 * 60_000;

export type SendEvents = (events: ReturnType<typeof publicationPublishRequested.create>[]) => Promise<unknown>;

const log = logger.child({ component: "publishing-dispatcher" });

export function publishEventOf(c: ClaimedPublication) {
  return publicationPublishRequested.create(
    { organizationId: c.organizationId, ...(c.createdById ? { userId: c.createdById } : {}), publicationId: c.id, connectionId: c.connectionId, version: c.version },
    { id: `publish-${c.id}-v${c.version}` },
  );
}

export type DispatchOptions = {
  send?: SendEvents;
  /** Only this organization's rows (tests and benchmarks sharing a database); the cron takes all. */
  organizationId?: string;
};

export async function dispatchDue(db: Db, now = new Date(), options: DispatchOptions = {}) {
  const send = options.send ?? ((events) => inngest.send(events));
  const org = options.organizationId ?? null;
  let dispatched = 0;
  let resent = 0;
  // A failed send leaves its rows DISPATCHED: the stalled sweep below re-sends them after 5 minutes.
  for (;;) {
    const claimed = await claimDuePublications(db, now, DISPATCH_BATCH, org);
    if (claimed.length === 0) break;
    await send(claimed.map(publishEventOf));
    dispatched += claimed.length;
    if (claimed.length < DISPATCH_BATCH) break;
  }
  for (;;) {
    const stalled = await claimStalledDispatches(db, new Date(now.getTime() - STALLED_DISPATCH_MS), now, DISPATCH_BATCH, org);
    if (stalled.length === 0) break;
    await send(stalled.map(publishEventOf));
    resent += stalled.length;
    if (stalled.length < DISPATCH_BATCH) break;
  }
  if (dispatched + resent > 0) log.info({ dispatched, resent }, "publications dispatched");
  return { dispatched, resent };
}
