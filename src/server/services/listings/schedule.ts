import type { Db } from "~/server/db";
import { listLiveMarketplaceConnections } from "~/server/repositories/connections";

/**
 * System-wide sweeps behind the crons. They only pick which connections to act on; each one is then
 * handled by a per-connection function with that connection's organization id.
 */
export async function connectionsToRefresh(db: Db, horizonMs: number) {
  return listLiveMarketplaceConnections(db, { expiringBefore: new Date(Date.now() + horizonMs), statuses: ["ACTIVE", "ERROR"] });
}

export async function connectionsToReconcile(db: Db) {
  return listLiveMarketplaceConnections(db, { statuses: ["ACTIVE"] });
}
