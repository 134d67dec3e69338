import { healthBandCounts } from "~/server/repositories/listings";
import type { TenantCtx } from "../context";

/** Bands: poor < 40 ≤ fair < 70 ≤ good. Scoring itself arrives with the Health Score issue. */
export async function scoreSummary(ctx: TenantCtx) {
  const bands = await healthBandCounts(ctx.db, ctx.tenant.organizationId);
  return { bands, total: bands.poor + bands.fair + bands.good + bands.unscored };
}
