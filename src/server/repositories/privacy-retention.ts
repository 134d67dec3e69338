import type { DbOrTx } from "~/server/db";

/**
 * Deletes up to `batch` rows of `table` matching `condition` (a constant SQL fragment of the
 * retention rules, never user input) and returns how many went. By ctid with a LIMIT: a large
 * backlog goes in short statements instead of one long lock.
 */
export async function deleteBatch(db: DbOrTx, table: string, condition: string, cutoff: Date, batch: number): Promise<number> {
  const sql = `DELETE FROM "${table}" WHERE ctid IN (SELECT ctid FROM "${table}" WHERE ${condition} LIMIT $2)`;
  return db.$executeRawUnsafe(sql, cutoff, batch);
}
