import type { DbOrTx } from "~/server/db";
import { bumpPlannedPublications } from "~/server/repositories/publications";

/**
 * Called by the content service after any change to a content piece's text, variants or media
 * (and when it is deleted), inside the same transaction when it has one. Publications already
 * planned pick up the change: SCHEDULED and DISPATCHED rows get a new version, so a publish run
 * started for the old version stops at its next step, and DISPATCHED rows go back to SCHEDULED so
 * the dispatcher plans them again with the current content within a minute. Rows already
 * PUBLISHING are left alone: the network has the post (or part of it) already.
 */
export async function contentChanged(db: DbOrTx, organizationId: string, contentId: string): Promise<void> {
  await bumpPlannedPublications(db, organizationId, contentId);
}
