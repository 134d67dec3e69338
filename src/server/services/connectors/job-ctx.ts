import type { Db } from "~/server/db";
import { logger, type Logger } from "~/server/lib/logger";

/**
 * What a background function's service call receives: the tenant from the event payload (the only
 * source of the organization id in a job), and who started it when a person did.
 */
export type JobTenantCtx = { db: Db; organizationId: string; userId?: string; correlationId?: string; log: Logger };

export function jobTenantCtx(db: Db, data: { organizationId: string; userId?: string; correlationId?: string }): JobTenantCtx {
  return {
    db,
    organizationId: data.organizationId,
    userId: data.userId,
    correlationId: data.correlationId,
    log: logger.child({ organizationId: data.organizationId, correlationId: data.correlationId, component: "listings-sync" }),
  };
}
