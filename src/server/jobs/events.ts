/**
 * Typed events. Each is an Inngest `eventType` with a zod schema: `inngest.send(evt.create(data))`
 * validates the payload before it leaves the process, and the function receiving it validates it
 * again. Every payload carries the tenant (`organizationId`) and, when a person started it, who
 * (`userId`) and the request's `correlationId`, so a job's logs and audit entries join the request
 * that caused them.
 *
 * Feature issues add their events here, e.g.
 *   export const ingestRequested = eventType("listings/ingest.requested", {
 *     schema: ZJobContext.extend({ connectionId: z.string() }),
 *   });
 * (no `.default()`/`.transform()` in these schemas: the SDK requires input and output types to match).
 */
import { eventType } from "inngest";
import { z } from "zod";

/** Fields every job payload carries. */
export const ZJobContext = z.object({
  organizationId: z.string().min(1).max(64),
  userId: z.string().min(1).max(64).optional(),
  correlationId: z.string().min(1).max(128).optional(),
  /** "manual": a person asked for this just now, so it runs ahead of bulk work (jobs/priority.ts). */
  trigger: z.literal("manual").optional(),
});
export type TJobContext = z.infer<typeof ZJobContext>;


/** Builds the context fields of a payload from a tenant service context. */
export function jobContextOf(ctx: {
  tenant: { organizationId: string; userId: string };
  request: { correlationId: string };
}): TJobContext {
  return { organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, correlationId: ctx.request.correlationId, trigger: "manual" };
}

/** Re-runs the soft-delete purge for one organization now (the daily cron covers everyone). */
export const purgeRequested = eventType("maintenance/soft-deleted.purge-requested", { schema: ZJobContext });

// ─── Marketplace connections and listing ingestion (issue 4) ───

/** A full listing sync of one connection: "full" after a connect or a manual resync, "reconcile" daily. */
export const listingsSyncRequested = eventType("listings/sync.requested", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64), mode: z.enum(["full", "reconcile"]) }),
});

/** A long sync goes on in a new run (a run holds a bounded number of steps) from the stored cursor. */
export const listingsSyncContinued = eventType("listings/sync.continued", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64), generation: z.number().int().min(1) }),
});

/**
 * Backfill a connection's daily sales from the marketplace's orders (sent at the end of a sync; it
 * acts after a completed full sync only, see services/listings/sales-backfill.ts).
 */
export const salesBackfillRequested = eventType("listings/sales-backfill.requested", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64) }),
});

/** A marketplace notification about one item (incremental sync). */
export const listingChanged = eventType("listings/item.changed", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64), externalItemId: z.string().min(1).max(128), notificationId: z.string().max(256) }),
});

/** Renew a connection's access token before it expires (serialised per connection). */
export const connectionTokenRefreshRequested = eventType("connections/token.refresh-requested", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64) }),
});

// ─── Health Score (issue 5, scores) ───

/** Listing ids a score event is about (absent = the whole organization). */
const ZListingIds = z.array(z.string().min(1).max(64)).max(1000);

/**
 * Fetch the marketplace's quality report and price reference of a connection's listings whose
 * signals are missing or older than a day (sent at the end of a sync). `listingIds` narrows it to
 * those listings (the incremental sync of one item); the scores that follow cover the same ids.
 */
export const marketSignalsRequested = eventType("listings/market-signals.requested", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64), listingIds: ZListingIds.optional() }),
});

/** Recompute Health Scores of an organization (or only these listings). */
export const scoresRecomputeRequested = eventType("scores/recompute.requested", {
  schema: ZJobContext.extend({ listingIds: ZListingIds.optional() }),
});

/** Sent after each recompute, with the same listing ids (absent = the whole organization). */
export const scoresRecomputed = eventType("scores/recomputed", {
  schema: ZJobContext.extend({ listingIds: ZListingIds.optional() }),
});

// ─── Recommended actions: apply and effect (issue 5, actions-apply) ───

/** Apply one approved action to the marketplace (userId = who approved it). */
export const actionApplyRequested = eventType("actions/apply.requested", {
  schema: ZJobContext.extend({ actionId: z.string().min(1).max(64) }),
});

// ─── Social (issue 6) ───

/**
 * Publish one publication now. `version` is the publication's version when the dispatcher planned
 * it: an edit, reschedule or cancel bumps the version, and the run then stops without publishing.
 * `connectionId` keys the per-account concurrency of 1.
 */
export const publicationPublishRequested = eventType("social/publication.publish-requested", {
  schema: ZJobContext.extend({ publicationId: z.string().min(1).max(64), connectionId: z.string().min(1).max(64), version: z.number().int().min(0) }),
});

/** A social account was connected (or reconnected): first analytics sync and comment poll. */
export const socialAccountConnected = eventType("social/account.connected", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64) }),
});

/** Pull post and account metrics of one social account. */
export const socialAnalyticsSyncRequested = eventType("social/analytics.sync-requested", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64) }),
});

/** Poll one social account's recent posts for new comments. */
export const commentsPollRequested = eventType("social/comments.poll-requested", {
  schema: ZJobContext.extend({ connectionId: z.string().min(1).max(64) }),
});

/** A new comment was stored (webhook or poll): automations look at it. */
export const commentReceived = eventType("social/comment.received", {
  schema: ZJobContext.extend({ commentId: z.string().min(1).max(64) }),
});

/** Send a reply that a person (or an automation) wrote; the reply row is PENDING until sent. */
export const commentReplyRequested = eventType("social/comment.reply-requested", {
  schema: ZJobContext.extend({ replyId: z.string().min(1).max(64) }),
});

/** Hide or unhide a comment at the network. */
export const commentVisibilityRequested = eventType("social/comment.visibility-requested", {
  schema: ZJobContext.extend({ commentId: z.string().min(1).max(64), hidden: z.boolean() }),
});

// ─── LGPD erasure (issue 10) ───

/**
 * Remove everything of an organization whose owner asked for its erasure. The organization is
 * named `erasedOrganizationId`, not `organizationId`, on purpose: the run must outlive the
 * organization (a run row tied to it would be deleted with it) and must not be skipped as
 * "deleted" by the suspension middleware.
 */
export const organizationEraseRequested = eventType("privacy/organization.erase", {
  schema: z.object({
    erasedOrganizationId: z.string().min(1).max(64),
    userId: z.string().min(1).max(64).optional(),
    correlationId: z.string().min(1).max(128).optional(),
  }),
});

// ─── Semantic search (issue 11, docs/semantic-search.md) ───

/** (Re-)index an organization's embeddings: only subjects whose text changed are embedded again. */
export const searchIndexRequested = eventType("search/index.requested", {
  schema: ZJobContext.extend({ types: z.array(z.enum(["listing", "content"])).min(1).max(2).optional() }),
});

// ─── Notification centre (issue 11, docs/notifications.md) ───

/** A notification was created and someone may want it by e-mail. */
export const notificationCreated = eventType("notifications/created", {
  schema: ZJobContext.extend({ notificationId: z.string().min(1).max(64) }),
});

// ─── Raw archive / data lake (issue 11, docs/data-lake.md) ───

/** Rebuild listings or social metrics of days `from`..`to` (UTC, inclusive) from the raw archive. */
export const archiveReprocessRequested = eventType("archive/reprocess.requested", {
  schema: ZJobContext.extend({
    kind: z.enum(["listings", "metrics"]),
    connectionId: z.string().min(1).max(64).optional(),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  }),
});
