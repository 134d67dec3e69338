import { findActionForApply } from "~/server/repositories/actions";
import type { JobTenantCtx } from "../connectors/job-ctx";
import { circuitBlockedUntil } from "../resilience/circuit-breaker";

/**
 * When the marketplace breaker of the action's account is open: its reopen time (ISO), so the
 * apply function sleeps until then instead of spending its retries on calls that cannot go out.
 * Null when the call may go (or the action has no listing: applyAction settles that itself).
 */
export async function applyBlockedUntil(ctx: JobTenantCtx, input: { actionId: string }): Promise<string | null> {
  const action = await findActionForApply(ctx.db, ctx.organizationId, input.actionId);
  const listing = action?.listing;
  if (!action || (action.status !== "APPROVED" && action.status !== "APPLYING") || !listing) return null;
  const blocked = await circuitBlockedUntil(ctx.db, { provider: listing.provider, connectionId: listing.connectionId, organizationId: ctx.organizationId });
  return blocked ? blocked.until.toISOString() : null;
}
