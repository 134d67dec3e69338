import type { SocialNetworkId } from "~/lib/social/networks";
import type { TenantCtx } from "../context";

/**
 * Placeholder (the content area replaces it): checks that a content piece may be scheduled on
 * these networks — it exists in the organization, it is APPROVED when the organization requires
 * approval, and each network has a variant that passes validateVariant with the content's media.
 * Returns the variant id per network; throws AppError otherwise.
 */
export async function assertReadyToSchedule(ctx: TenantCtx, contentId: string, networks: SocialNetworkId[]): Promise<Map<SocialNetworkId, { variantId: string }>> {
  void ctx;
  void contentId;
  void networks;
  throw new Error("assertReadyToSchedule is not built yet");
}
