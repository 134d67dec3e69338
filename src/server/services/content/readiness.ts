import type { DbOrTx } from "~/server/db";
import { AppError, notFound } from "~/server/lib/errors";
import { findContentForReadiness } from "~/server/repositories/contents";
import type { SocialNetworkId } from "~/lib/social/networks";
import { validateVariant, type MediaFacts, type ValidationIssue } from "~/lib/social/validate";
import type { TenantCtx } from "../context";
import { approvalRequiredFor } from "./settings";

/** What a background function has instead of a TenantCtx. */
export type ReadinessCtx = TenantCtx | { db: DbOrTx; organizationId: string };

type MediaRow = { mimeType: string; sizeBytes: bigint | number; width: number | null; height: number | null; durationMs: number | null };

/** The facts validateVariant needs from a Media row (sizes are BigInt in the database). */
export function mediaFactsFromRow(row: MediaRow): MediaFacts {
  return { mimeType: row.mimeType, sizeBytes: Number(row.sizeBytes), width: row.width, height: row.height, durationMs: row.durationMs };
}

export type NetworkReadiness =
  | { network: SocialNetworkId; ok: true; variantId: string; issues: [] }
  | { network: SocialNetworkId; ok: false; variantId: string | null; issues: ValidationIssue[]; missing: boolean };

export type ContentReadiness = {
  contentId: string;
  status: "DRAFT" | "IN_REVIEW" | "APPROVED";
  approvalRequired: boolean;
  /** False when the organization requires approval and the content is not APPROVED. */
  approved: boolean;
  networks: Map<SocialNetworkId, NetworkReadiness>;
};

function scope(ctx: ReadinessCtx): { db: DbOrTx; organizationId: string } {
  return "tenant" in ctx ? { db: ctx.db, organizationId: ctx.tenant.organizationId } : ctx;
}

/**
 * Per-network issues of a content piece, without throwing (the publish run reads them to fail one
 * publication with a reason). Null when the content does not exist in the organization or was
 * deleted. With no `networks`, every variant the content has is checked.
 */
export async function loadReadiness(db: DbOrTx, organizationId: string, contentId: string, networks?: SocialNetworkId[]): Promise<ContentReadiness | null> {
  const content = await findContentForReadiness(db, organizationId, contentId);
  if (!content) return null;
  const approvalRequired = await approvalRequiredFor(db, organizationId);
  const media = content.media.map(mediaFactsFromRow);
  const wanted = networks ?? content.variants.map((v) => v.network);
  const result = new Map<SocialNetworkId, NetworkReadiness>();
  for (const network of wanted) {
    const variant = content.variants.find((v) => v.network === network);
    if (!variant) {
      result.set(network, { network, ok: false, variantId: null, issues: [], missing: true });
      continue;
    }
    const issues = validateVariant({ network, caption: variant.caption, hashtags: variant.hashtags, title: variant.title, privacy: variant.privacy }, media);
    result.set(network, issues.length === 0 ? { network, ok: true, variantId: variant.id, issues: [] } : { network, ok: false, variantId: variant.id, issues, missing: false });
  }
  return {
    contentId: content.id,
    status: content.status,
    approvalRequired,
    approved: !approvalRequired || content.status === "APPROVED",
    networks: result,
  };
}

/**
 * Checks that a content piece may be scheduled on these networks — it exists in the organization,
 * it is APPROVED when the organization requires approval, and each network has a variant that
 * passes validateVariant with the content's READY media. Returns the variant id per network.
 */
export async function assertReadyToSchedule(ctx: ReadinessCtx, contentId: string, networks: SocialNetworkId[]): Promise<Map<SocialNetworkId, { variantId: string }>> {
  const { db, organizationId } = scope(ctx);
  const readiness = await loadReadiness(db, organizationId, contentId, [...new Set(networks)]);
  if (!readiness) throw notFound("Content");
  if (!readiness.approved) throw new AppError("PRECONDITION_FAILED", "contentNotApproved", "The content must be approved before it is scheduled");
  const ready = new Map<SocialNetworkId, { variantId: string }>();
  for (const item of readiness.networks.values()) {
    if (item.ok) {
      ready.set(item.network, { variantId: item.variantId });
      continue;
    }
    if (item.missing) throw new AppError("BAD_REQUEST", "variantMissing", `The content has no ${item.network} variant`, { params: { network: item.network } });
    throw new AppError("BAD_REQUEST", "variantInvalid", `The ${item.network} variant is not valid: ${item.issues.map((i) => i.code).join(", ")}`, {
      params: { network: item.network },
      issues: item.issues,
    });
  }
  return ready;
}
