import type { DbOrTx } from "~/server/db";

/**
 * Placeholder (the publishing area replaces it): called by the content service after any change
 * to a content piece's text, variants or media, so publications already planned for dispatch pick
 * up the change (their version is bumped and a run started for the old version stops).
 */
export async function contentChanged(db: DbOrTx, organizationId: string, contentId: string): Promise<void> {
  void db;
  void organizationId;
  void contentId;
}
