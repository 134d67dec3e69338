/**
 * Health Score storage: the set-based reads and writes of a recompute (one statement per batch of
 * thousands of listings, never one per listing), the score history, the summary, and the
 * organization's weights. The tenant id is a required argument of every function.
 */
import type { DbOrTx } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";

/** A listing's columns the Health Score reads (the action engine reads them too). */
export type ScoreColumns = {
  id: string;
  connection_id: string;
  provider: "MERCADOLIVRE" | "SHOPEE";
  status: "ACTIVE" | "PAUSED" | "CLOSED" | "UNDER_REVIEW" | "INACTIVE";
  title: string;
  category_id: string | null;
  description: string | null;
  attributes: unknown;
  gtin: string | null;
  picture_count: number;
  tags: string[];
  price_cents: number;
  suggested_price_cents: number | null;
  free_shipping: boolean;
  listing_type: string | null;
  quality_score: number | null;
  quality_rules: unknown;
  stock: number;
};

/** One listing as the scoring service reads it: its columns and its newest history row. */
export type ScoringRow = ScoreColumns & {
  health_score: number | null;
  /** The newest history row, for the history rule. */
  last_score: number | null;
  last_confidence: number | null;
  last_at: Date | null;
};

const utc = (d: Date) => d.toISOString();

/**
 * One keyset batch of listings to score (ordered by id, after `afterId`) with the newest history
 * row of each — one statement per batch. Visits and sales come from `metricSums`, read once per run.
 */
export function loadScoringBatch(
  db: DbOrTx,
  organizationId: string,
  input: { afterId: string | null; limit: number; listingIds?: string[] },
) {
  const ids = input.listingIds ?? null;
  return db.$queryRaw<ScoringRow[]>`
    SELECT l.id, l.connection_id, l.provider::text AS provider, l.status::text AS status, l.title, l.category_id,
           l.description, l.attributes, l.gtin, l.picture_count, l.tags, l.price_cents, l.suggested_price_cents,
           l.free_shipping, l.listing_type, l.quality_score, l.quality_rules, l.stock, l.health_score,
           h.score AS last_score, h.confidence AS last_confidence, h.computed_at AS last_at
    FROM listings l
    LEFT JOIN LATERAL (
      SELECT score, confidence, computed_at FROM health_scores hs
      WHERE hs.organization_id = l.organization_id AND hs.listing_id = l.id
      ORDER BY hs.computed_at DESC LIMIT 1
    ) h ON true
    WHERE l.organization_id = ${organizationId} AND l.deleted_at IS NULL
      AND (${input.afterId}::text IS NULL OR l.id > ${input.afterId}::text)
      AND (${ids}::text[] IS NULL OR l.id = ANY(${ids}::text[]))
    ORDER BY l.id
    LIMIT ${input.limit}`;
}

/**
 * Visits and sales of a listing summed over the window, each over the days it is known: visits from
 * listings.visits_since (null = no day known), sales from listings.sales_since (the first sync, or
 * the start of the orders backfill). `visitsFrom`/`salesFrom` are the first day of each sum.
 */
export type MetricSums = {
  listingId: string;
  connectionId: string;
  visits: number;
  sales: number;
  visitsFrom: Date | null;
  salesFrom: Date;
};

/**
 * The window's sums for every listing of the organization (or of `listingIds`), in one pass over
 * the snapshots (a sequential scan and a hash aggregate: per-listing index lookups of 30 rows each
 * cost three times as much at 100k listings, measured in bench/scores.bench.ts). Days after `until`
 * are left out, so a score "as of" an earlier day reads only what was known then. A listing without
 * snapshots in the window is absent.
 */
export async function metricSums(db: DbOrTx, organizationId: string, window: { since: Date; until: Date }, listingIds?: string[]): Promise<MetricSums[]> {
  const day = window.since.toISOString().slice(0, 10);
  const until = window.until.toISOString().slice(0, 10);
  const ids = listingIds ?? null;
  const rows = await db.$queryRaw<{ l: string; c: string; v: number; s: number; vf: Date | null; sf: Date }[]>`
    SELECT s.listing_id AS l, l.connection_id AS c,
           COALESCE(sum(s.visits) FILTER (WHERE s.date >= l.visits_since), 0)::int AS v,
           COALESCE(sum(s.sales) FILTER (WHERE s.date >= COALESCE(l.sales_since, l.created_at::date)), 0)::int AS s,
           CASE WHEN l.visits_since IS NULL THEN NULL ELSE GREATEST(${day}::date, l.visits_since) END::timestamp AS vf,
           GREATEST(${day}::date, COALESCE(l.sales_since, l.created_at::date))::timestamp AS sf
    FROM listing_metric_snapshots s
    JOIN listings l ON l.id = s.listing_id AND l.organization_id = ${organizationId} AND l.deleted_at IS NULL
    WHERE s.organization_id = ${organizationId} AND s.date >= ${day}::date AND s.date <= ${until}::date
      AND (${ids}::text[] IS NULL OR s.listing_id = ANY(${ids}::text[]))
    GROUP BY s.listing_id, l.connection_id, l.visits_since, l.sales_since, l.created_at`;
  return rows.map((r) => ({ listingId: r.l, connectionId: r.c, visits: r.v, sales: r.s, visitsFrom: r.vf, salesFrom: r.sf }));
}

export type ScoreWrite = { listingId: string; score: number };
export type HistoryWrite = {
  listingId: string;
  score: number;
  components: Prisma.InputJsonValue;
  missingInputs: string[];
  confidence: number;
};

/** Writes changed scores back to the listings in one UPDATE. */
export async function updateScores(db: DbOrTx, organizationId: string, scores: ScoreWrite[], now: Date) {
  if (scores.length === 0) return 0;
  // Prisma keeps DateTime as UTC wall-clock in `timestamp` columns; raw SQL does the same.
  return db.$executeRaw`
    UPDATE listings l SET health_score = t.score, health_scored_at = (${utc(now)}::timestamptz AT TIME ZONE 'UTC')
    FROM unnest(${scores.map((s) => s.listingId)}::text[], ${scores.map((s) => s.score)}::int[]) AS t(id, score)
    WHERE l.organization_id = ${organizationId} AND l.id = t.id`;
}

/**
 * Appends history rows in one INSERT. They travel as one JSON document: 5000 rows passed as jsonb[]
 * parameters cost several times more to encode and parse than one jsonb_to_recordset over a
 * single value (bench/scores.bench.ts).
 */
export async function insertHistory(db: DbOrTx, organizationId: string, history: HistoryWrite[], now: Date) {
  if (history.length === 0) return 0;
  const rows = JSON.stringify(history.map((h) => ({ l: h.listingId, s: h.score, c: h.components, m: h.missingInputs, f: h.confidence })));
  return db.$executeRaw`
    INSERT INTO health_scores (id, organization_id, listing_id, score, components, missing_inputs, confidence, computed_at)
    SELECT gen_random_uuid()::text, ${organizationId}, t.l, t.s, t.c, t.m, t.f, (${utc(now)}::timestamptz AT TIME ZONE 'UTC')
    FROM jsonb_to_recordset(${rows}::jsonb) AS t(l text, s int, c jsonb, m text[], f float8)`;
}

/**
 * When the organization's scores were last computed (read by the "recalculating" state) and, after
 * a whole-organization run, each connection's median conversion (reused by runs for a few listings).
 */
export function setScoresComputedAt(db: DbOrTx, organizationId: string, at: Date, medians?: Record<string, number>) {
  const medianJson = medians ? JSON.stringify(medians) : null;
  return db.$executeRaw`
    UPDATE organizations SET settings = jsonb_set(
      CASE WHEN ${medianJson}::jsonb IS NULL THEN COALESCE(settings, '{}'::jsonb)
           ELSE jsonb_set(COALESCE(settings, '{}'::jsonb), '{scoreMedians}', ${medianJson}::jsonb) END,
      '{scoresComputedAt}', to_jsonb(${utc(at)}::text))
    WHERE id = ${organizationId}`;
}

// ─── Reads for the router ────────────────────────────────────────────────────────────────────

export function findScoredListing(db: DbOrTx, organizationId: string, listingId: string) {
  return db.listing.findFirst({
    where: { id: listingId, organizationId, deletedAt: null },
    select: { id: true, status: true, tags: true, healthScore: true, healthScoredAt: true },
  });
}

/** The newest `limit` history rows of a listing, newest first. */
export function listScoreHistory(db: DbOrTx, organizationId: string, listingId: string, limit: number) {
  return db.healthScore.findMany({
    where: { organizationId, listingId },
    select: { score: true, components: true, missingInputs: true, confidence: true, computedAt: true },
    orderBy: { computedAt: "desc" },
    take: limit,
  });
}

/** Average score of scored listings and average confidence of their newest history rows. */
export async function scoreAverages(db: DbOrTx, organizationId: string) {
  const [row] = await db.$queryRaw<{ average: number | null; confidence: number | null }[]>`
    SELECT avg(l.health_score)::float8 AS average, avg(h.confidence)::float8 AS confidence
    FROM listings l
    LEFT JOIN LATERAL (
      SELECT confidence FROM health_scores hs
      WHERE hs.organization_id = l.organization_id AND hs.listing_id = l.id
      ORDER BY hs.computed_at DESC LIMIT 1
    ) h ON true
    WHERE l.organization_id = ${organizationId} AND l.deleted_at IS NULL AND l.health_score IS NOT NULL`;
  return { average: row?.average ?? null, confidence: row?.confidence ?? null };
}

/** The lowest-scored active listings. */
export function worstListings(db: DbOrTx, organizationId: string, limit: number) {
  return db.listing.findMany({
    where: { organizationId, deletedAt: null, status: "ACTIVE", healthScore: { not: null } },
    select: { id: true, title: true, provider: true, healthScore: true, thumbnailUrl: true },
    orderBy: [{ healthScore: "asc" }, { id: "asc" }],
    take: limit,
  });
}

export type Mover = { id: string; title: string; provider: string; score: number; previous: number; delta: number };

/**
 * Score change of each listing since `since`: the current score against the newest history row at
 * or before `since` (else the oldest after it, for listings first scored during the window). Only
 * rows from a day before `since` on are read: a recompute writes a row at least daily, so the
 * baseline lies in that range without scanning months of history.
 */
export async function scoreMovers(db: DbOrTx, organizationId: string, since: Date, limit: number) {
  const from = new Date(since.getTime() - 86_400_000);
  const rows = await db.$queryRaw<(Mover & { direction: string })[]>`
    WITH base AS (
      SELECT DISTINCT ON (h.listing_id) h.listing_id, h.score
      FROM health_scores h
      WHERE h.organization_id = ${organizationId} AND h.computed_at >= (${utc(from)}::timestamptz AT TIME ZONE 'UTC')
      ORDER BY h.listing_id,
               (h.computed_at <= (${utc(since)}::timestamptz AT TIME ZONE 'UTC')) DESC,
               CASE WHEN h.computed_at <= (${utc(since)}::timestamptz AT TIME ZONE 'UTC') THEN h.computed_at END DESC,
               h.computed_at ASC
    ), deltas AS (
      SELECT l.id, l.title, l.provider::text AS provider, l.health_score AS score, b.score AS previous,
             l.health_score - b.score AS delta
      FROM base b JOIN listings l ON l.id = b.listing_id AND l.organization_id = ${organizationId}
      WHERE l.deleted_at IS NULL AND l.health_score IS NOT NULL AND l.health_score <> b.score
    )
    (SELECT *, 'up' AS direction FROM deltas WHERE delta > 0 ORDER BY delta DESC, id LIMIT ${limit})
    UNION ALL
    (SELECT *, 'down' AS direction FROM deltas WHERE delta < 0 ORDER BY delta ASC, id LIMIT ${limit})`;
  const strip = ({ direction: _direction, ...mover }: Mover & { direction: string }): Mover => mover;
  return {
    up: rows.filter((r) => r.direction === "up").map(strip),
    down: rows.filter((r) => r.direction === "down").map(strip),
  };
}

// ─── Weights (organizations.settings.scoreWeights) ────────────────────────────────────────────

export async function findOrganizationSettings(db: DbOrTx, organizationId: string) {
  const org = await db.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: { settings: true } });
  return org?.settings ?? null;
}

/** Sets only the scoreWeights key: other features keep their own settings in the same column. */
export function setScoreWeightsSetting(db: DbOrTx, organizationId: string, weights: Record<string, number>) {
  return db.$executeRaw`
    UPDATE organizations SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{scoreWeights}', ${JSON.stringify(weights)}::jsonb),
           updated_at = (now() AT TIME ZONE 'UTC')
    WHERE id = ${organizationId} AND deleted_at IS NULL`;
}
