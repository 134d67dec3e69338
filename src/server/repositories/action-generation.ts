/**
 * Storage of a recommendation run (services/actions/generate.ts): the set-based read of listings
 * with what the action engine needs, the insert of new PENDING actions deduplicated by open key,
 * and the retirement of PENDING actions that are no longer recommended. One statement per batch
 * of thousands of listings, never one per listing. The tenant id is a required argument of each.
 * (Kept apart from actions.ts, which the apply/approval side edits, so each side's changes stay
 * in its own file.)
 */
import type { DbOrTx } from "~/server/db";
import type { ScoreColumns } from "./scores";

/** A listing as the action engine reads it: the columns the score reads plus the applicability facts. */
export type GenerationRow = ScoreColumns & {
  sold_quantity: number;
  has_variations: boolean;
  catalog_listing: boolean;
  /** Day of the newest snapshot with a sale in the long window; null when none. */
  last_sale_at: Date | null;
  /** First day whose daily sales are known (listings.sales_since); null = unknown. */
  sales_since: Date | null;
};

/**
 * One keyset batch (ordered by id, after `afterId`) of an organization's listings (or only
 * `listingIds`), with the last day with a sale over the window from `historySince` (the 30-day
 * metrics come from the scoring service's metric window).
 */
export function loadGenerationBatch(
  db: DbOrTx,
  organizationId: string,
  input: { afterId: string | null; limit: number; historySince: Date; listingIds?: string[] },
) {
  const historyDay = input.historySince.toISOString().slice(0, 10);
  const ids = input.listingIds ?? null;
  return db.$queryRaw<GenerationRow[]>`
    SELECT l.id, l.connection_id, l.provider::text AS provider, l.status::text AS status, l.title, l.category_id,
           l.description, l.attributes, l.gtin, l.picture_count, l.tags, l.price_cents, l.suggested_price_cents,
           l.free_shipping, l.listing_type, l.quality_score, l.quality_rules, l.stock, l.sold_quantity,
           l.has_variations, l.catalog_listing, l.sales_since::timestamp AS sales_since, m.last_sale_at
    FROM listings l
    LEFT JOIN LATERAL (
      SELECT max(s.date) FILTER (WHERE s.sales > 0)::timestamp AS last_sale_at
      FROM listing_metric_snapshots s
      WHERE s.organization_id = l.organization_id AND s.listing_id = l.id AND s.date >= ${historyDay}::date
    ) m ON true
    WHERE l.organization_id = ${organizationId} AND l.deleted_at IS NULL
      AND l.provider IN ('MERCADOLIVRE', 'SHOPEE')
      AND (${input.afterId}::text IS NULL OR l.id > ${input.afterId}::text)
      AND (${ids}::text[] IS NULL OR l.id = ANY(${ids}::text[]))
    ORDER BY l.id
    LIMIT ${input.limit}`;
}

export type NewAction = {
  listingId: string;
  type: string;
  source: "RULE" | "AI" | "LOCAL_GENERATOR";
  reason: string;
  expectedGain: number;
  payload: unknown;
};

/** The open key of a listing's action of one type: unique per organization while open. */
export function openKeyOf(listingId: string, type: string) {
  return `${listingId}:${type}`;
}

/**
 * Inserts new PENDING actions in one statement. An open action (PENDING, APPROVED, APPLYING) of the
 * same type for the same listing already holds the open key: that row is skipped by the unique
 * index, also against a concurrent run (the second insert waits for the first to commit, then
 * skips). Returns the open keys actually inserted.
 */
export async function insertPendingActions(db: DbOrTx, organizationId: string, actions: NewAction[], now: Date) {
  if (actions.length === 0) return { inserted: new Set<string>(), refreshed: 0 };
  // Prisma keeps DateTime as UTC wall-clock in `timestamp` columns; raw SQL must do the same.
  const at = now.toISOString();
  const rows = await db.$queryRaw<{ open_key: string; inserted: boolean }[]>`
    INSERT INTO actions (id, organization_id, listing_id, type, status, source, payload, reason, expected_gain,
                         idempotency_key, open_key, created_at, updated_at)
    SELECT gen_random_uuid()::text, ${organizationId}, t.listing_id, t.type::"ActionType", 'PENDING', t.source::"ActionSource",
           t.payload, t.reason, t.expected_gain, gen_random_uuid()::text, t.listing_id || ':' || t.type,
           (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
    FROM unnest(
      ${actions.map((a) => a.listingId)}::text[],
      ${actions.map((a) => a.type)}::text[],
      ${actions.map((a) => a.source)}::text[],
      ${actions.map((a) => JSON.stringify(a.payload))}::jsonb[],
      ${actions.map((a) => a.reason)}::text[],
      ${actions.map((a) => a.expectedGain)}::int[]
    ) AS t(listing_id, type, source, payload, reason, expected_gain)
    -- Open actions written before open keys existed (open_key null) count as open too.
    WHERE NOT EXISTS (
      SELECT 1 FROM actions a
      WHERE a.organization_id = ${organizationId} AND a.listing_id = t.listing_id AND a.type = t.type::"ActionType"
        AND a.status IN ('PENDING', 'APPROVED', 'APPLYING') AND a.open_key IS NULL
    )
    -- An open rule suggestion still PENDING and untouched by a person follows its inputs (a moved
    -- price reference, new sales): the seller never approves a stale price or stock figure.
    -- Copy suggestions keep their text (an LLM's may already have replaced the local one), and
    -- approved or edited actions are never changed under a person.
    ON CONFLICT (organization_id, open_key) DO UPDATE SET
      payload = EXCLUDED.payload, reason = EXCLUDED.reason, expected_gain = EXCLUDED.expected_gain,
      updated_at = EXCLUDED.updated_at
    WHERE actions.status = 'PENDING' AND actions.edited_at IS NULL AND actions.source = 'RULE'
      AND EXCLUDED.source = 'RULE'
      AND (actions.payload IS DISTINCT FROM EXCLUDED.payload OR actions.reason IS DISTINCT FROM EXCLUDED.reason
           OR actions.expected_gain IS DISTINCT FROM EXCLUDED.expected_gain)
    RETURNING open_key, (xmax = 0) AS inserted`;
  // xmax = 0 marks a row this statement inserted; the others were refreshed in place.
  return {
    inserted: new Set(rows.filter((r) => r.inserted).map((r) => r.open_key)),
    refreshed: rows.filter((r) => !r.inserted).length,
  };
}

/**
 * "<listingId>:<type>" of the listings' actions a person or the marketplace decided recently: a
 * person rejected it (not a retirement by the system), it was applied (the next syncs may not show
 * the change yet, and its effect is being measured), or applying it failed (the marketplace
 * refused it, or it awaits a manual retry that reopens that same action). A run does not suggest
 * these again until the cool-down passes.
 */
export async function recentlyDecidedKeys(
  db: DbOrTx,
  organizationId: string,
  listingIds: string[],
  since: { rejected: Date; applied: Date; failed: Date },
) {
  if (listingIds.length === 0) return new Set<string>();
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT DISTINCT listing_id || ':' || type::text AS key FROM actions
    WHERE organization_id = ${organizationId} AND listing_id = ANY(${listingIds}::text[])
      AND ((status = 'REJECTED' AND failure_code IS DISTINCT FROM ${OBSOLETE_FAILURE_CODE}
            AND rejected_at >= (${since.rejected.toISOString()}::timestamptz AT TIME ZONE 'UTC'))
        OR (status = 'APPLIED' AND applied_at >= (${since.applied.toISOString()}::timestamptz AT TIME ZONE 'UTC'))
        OR (status = 'FAILED' AND failed_at >= (${since.failed.toISOString()}::timestamptz AT TIME ZONE 'UTC')))`;
  return new Set(rows.map((r) => r.key));
}

/** Marks why a PENDING action was closed by the system rather than by a person. */
export const OBSOLETE_FAILURE_CODE = "obsolete";

/**
 * Retires the PENDING actions of `listingIds` whose "<listingId>:<type>" is not in `keep` (no
 * longer recommended, or no longer applicable): status REJECTED with failure_code "obsolete", no
 * rejecting user, open key released. APPROVED and APPLYING actions are in flight and untouched.
 */
export async function retireObsoleteActions(db: DbOrTx, organizationId: string, listingIds: string[], keep: string[], now: Date) {
  if (listingIds.length === 0) return 0;
  const at = now.toISOString();
  return db.$executeRaw`
    UPDATE actions SET status = 'REJECTED', open_key = NULL, failure_code = ${OBSOLETE_FAILURE_CODE},
           failure_reason = 'No longer recommended for this listing',
           rejected_at = (${at}::timestamptz AT TIME ZONE 'UTC'), updated_at = (${at}::timestamptz AT TIME ZONE 'UTC')
    WHERE organization_id = ${organizationId} AND status = 'PENDING'
      AND listing_id = ANY(${listingIds}::text[])
      AND NOT ((listing_id || ':' || type::text) = ANY(${keep}::text[]))`;
}

/** Retires the PENDING actions of listings that were removed (soft-deleted) from the catalog. */
export async function retireActionsOfDeletedListings(db: DbOrTx, organizationId: string, now: Date) {
  const at = now.toISOString();
  return db.$executeRaw`
    UPDATE actions a SET status = 'REJECTED', open_key = NULL, failure_code = ${OBSOLETE_FAILURE_CODE},
           failure_reason = 'The listing was removed',
           rejected_at = (${at}::timestamptz AT TIME ZONE 'UTC'), updated_at = (${at}::timestamptz AT TIME ZONE 'UTC')
    FROM listings l
    WHERE a.organization_id = ${organizationId} AND a.status = 'PENDING'
      AND l.organization_id = ${organizationId} AND l.id = a.listing_id AND l.deleted_at IS NOT NULL`;
}

/** The PENDING, unedited title/description actions with local copy among these open keys. */
export async function findLocalCopyActions(db: DbOrTx, organizationId: string, openKeys: string[]) {
  const rows = await db.action.findMany({
    where: {
      organizationId,
      openKey: { in: openKeys },
      status: "PENDING",
      source: "LOCAL_GENERATOR",
      editedAt: null,
      type: { in: ["REWRITE_TITLE", "REWRITE_DESCRIPTION"] },
      listingId: { not: null },
    },
    select: { openKey: true, listingId: true, type: true, reason: true, payload: true, expectedGain: true },
  });
  return rows.map((r) => ({ ...r, openKey: r.openKey!, listingId: r.listingId!, type: r.type as "REWRITE_TITLE" | "REWRITE_DESCRIPTION" }));
}

/**
 * Replaces the copy of a PENDING action nobody has edited yet (the LLM's title instead of the
 * local generator's). Returns whether it was replaced.
 */
export async function replaceGeneratedCopy(
  db: DbOrTx,
  organizationId: string,
  openKey: string,
  update: { payload: unknown; source: "AI" | "LOCAL_GENERATOR"; expectedGain: number },
) {
  const count = await db.$executeRaw`
    UPDATE actions SET payload = ${JSON.stringify(update.payload)}::jsonb,
           source = ${update.source}::"ActionSource", expected_gain = ${update.expectedGain}, updated_at = (now() AT TIME ZONE 'UTC')
    WHERE organization_id = ${organizationId} AND open_key = ${openKey} AND status = 'PENDING' AND edited_at IS NULL`;
  return count === 1;
}
