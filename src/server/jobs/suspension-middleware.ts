import { Middleware } from "inngest";

import { db } from "~/server/db";
import { logger } from "~/server/lib/logger";
import { findOrganizationStatus } from "~/server/repositories/entitlements";

/** Functions that must run even for a suspended organization (housekeeping, not the tenant's work). */
const RUNS_WHILE_SUSPENDED = new Set(["purge-soft-deleted"]);

/**
 * A suspended organization's background functions stop: any run whose event names a suspended
 * organization ends at once with `{ skipped: "organizationSuspended" }`. Checked on every request
 * of a run (not just the first), so a run already sleeping or retrying stops too. The crons that
 * claim work also skip suspended organizations in their queries, so nothing is claimed and then
 * dropped here. An organization being erased (LGPD, deletedAt set) is skipped the same way
 * (`organizationErased`); whatever a cron claimed for it goes with its rows moments later.
 * Registered on the client: it applies with Inngest and with the local runner alike.
 */
export class OrganizationSuspendedMiddleware extends Middleware.BaseMiddleware {
  readonly id = "organization-suspended";

  async wrapFunctionHandler({ ctx, fn, next }: Middleware.WrapFunctionHandlerArgs) {
    const data = (ctx.event as { data?: { organizationId?: unknown } } | undefined)?.data;
    const organizationId = data?.organizationId;
    if (typeof organizationId === "string" && !RUNS_WHILE_SUSPENDED.has(fn.opts.id)) {
      const org = await findOrganizationStatus(db, organizationId);
      if (org?.status === "SUSPENDED") {
        logger.info({ component: "inngest", fn: fn.opts.id, organizationId }, "run skipped: organization suspended");
        return { skipped: "organizationSuspended" };
      }
      // Erased (LGPD): nothing more runs for it; privacy/organization.erase names it differently.
      if (org?.deletedAt) {
        logger.info({ component: "inngest", fn: fn.opts.id, organizationId }, "run skipped: organization erased");
        return { skipped: "organizationErased" };
      }
    }
    return next();
  }
}
