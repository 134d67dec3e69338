import { AppError } from "~/server/lib/errors";
import type { TenantCtx } from "../context";

export async function openPortal(_ctx: TenantCtx): Promise<{ url: string }> {
  throw new AppError("PRECONDITION_FAILED", "stripeNotConfigured", "Stripe is not configured");
}
