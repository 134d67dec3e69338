/**
 * Embeddings for semantic search (table `embeddings`) and the texts and performance figures of the
 * subjects they describe. Every query is filtered by organization first.
 *
 * Two search paths, same result order: where the pgvector extension is installed (the embedded
 * PGlite, a managed PostgreSQL with it) the stored double precision[] is cast to `vector` and
 * ordered by `<=>` (cosine distance); elsewhere (Debian's PostgreSQL 15, CI) a plain SQL fallback
 * computes the dot product with unnest over both arrays — vectors are stored L2-normalized, so the
 * dot product is the cosine. See docs/semantic-search.md.
 */
import { Prisma } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";

export type SubjectType = "listing" | "content";
export const SUBJECT_TYPES: readonly SubjectType[] = ["listing", "content"];

export type SearchPath = "pgvector" | "fallback";

// Checked once per client: installing an extension needs a migration, which needs a restart.
const pathByClient = new WeakMap<object, Promise<SearchPath>>();

/** "pgvector" when the extension is installed in this database, else "fallback". */
export function searchPath(db: DbOrTx): Promise<SearchPath> {
  let path = pathByClient.get(db);
  if (!path) {
    path = db
      .$queryRaw<{ installed: boolean }[]>`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed`
      .then((rows) => (rows[0]?.installed ? "pgvector" : "fallback") as SearchPath);
    path.catch(() => pathByClient.delete(db));
    pathByClient.set(db, path);
  }
  return path;
}

/** A subject's text to embed, as the indexer reads it. */
export type SubjectText = { subjectId: string; text: string };

const idFilter = (afterId: string | null, onlyId?: string) => (onlyId ? { id: onlyId } : afterId ? { id: { gt: afterId } } : {});

/** Listing titles of the organization (not deleted), after `afterId` in id order (or just `onlyId`). */
export async function listingTexts(db: DbOrTx, organizationId: string, afterId: string | null, take: number, onlyId?: string): Promise<SubjectText[]> {
  const rows = await db.listing.findMany({
    where: { organizationId, deletedAt: null, ...idFilter(afterId, onlyId) },
    select: { id: true, title: true },
    orderBy: { id: "asc" },
    take,
  });
  return rows.map((r) => ({ subjectId: r.id, text: r.title }));
}

/** A content's title, base caption and every variant's title and caption, as one text. */
export async function contentTexts(db: DbOrTx, organizationId: string, afterId: string | null, take: number, onlyId?: string): Promise<SubjectText[]> {
  const rows = await db.content.findMany({
    where: { organizationId, deletedAt: null, ...idFilter(afterId, onlyId) },
    select: {
      id: true,
      title: true,
      baseCaption: true,
      variants: { where: { organizationId }, select: { title: true, caption: true }, orderBy: { network: "asc" } },
    },
    orderBy: { id: "asc" },
    take,
  });
  return rows.map((r) => {
    const parts = [r.title, r.baseCaption, ...r.variants.flatMap((v) => [v.title ?? "", v.caption])];
    // Variants often repeat the base caption: embed each distinct piece once.
    const distinct = [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
    return { subjectId: r.id, text: distinct.join("\n") };
  });
}

/** Text hashes already stored for these subjects under `model`. */
export async function storedHashes(db: DbOrTx, organizationId: string, subjectType: SubjectType, model: string, subjectIds: string[]) {
  if (subjectIds.length === 0) return new Map<string, string>();
  const rows = await db.embedding.findMany({
    where: { organizationId, subjectType, model, subjectId: { in: subjectIds } },
    select: { subjectId: true, textHash: true },
  });
  return new Map(rows.map((r) => [r.subjectId, r.textHash]));
}

export type EmbeddingWrite = { subjectId: string; textHash: string; vector: number[] };

export async function upsertEmbeddings(db: DbOrTx, organizationId: string, subjectType: SubjectType, model: string, rows: EmbeddingWrite[]) {
  for (const row of rows) {
    await db.embedding.upsert({
      where: { organizationId_subjectType_subjectId_model: { organizationId, subjectType, subjectId: row.subjectId, model } },
      create: { organizationId, subjectType, subjectId: row.subjectId, model, dims: row.vector.length, textHash: row.textHash, vector: row.vector },
      update: { dims: row.vector.length, textHash: row.textHash, vector: row.vector },
    });
  }
  return rows.length;
}

/** Removes embeddings whose subject was deleted (or soft-deleted) since it was indexed. */
export async function pruneEmbeddings(db: DbOrTx, organizationId: string): Promise<number> {
  return db.$executeRaw`
    DELETE FROM embeddings e
     WHERE e.organization_id = ${organizationId}
       AND NOT EXISTS (
         SELECT 1 FROM listings l
          WHERE e.subject_type = 'listing' AND l.id = e.subject_id AND l.organization_id = ${organizationId} AND l.deleted_at IS NULL
         UNION ALL
         SELECT 1 FROM contents c
          WHERE e.subject_type = 'content' AND c.id = e.subject_id AND c.organization_id = ${organizationId} AND c.deleted_at IS NULL)`;
}

/** The stored vector of one subject (null when not indexed yet under this model). */
export async function findEmbedding(db: DbOrTx, organizationId: string, subjectType: SubjectType, subjectId: string, model: string) {
  return db.embedding.findUnique({
    where: { organizationId_subjectType_subjectId_model: { organizationId, subjectType, subjectId, model } },
    select: { vector: true, textHash: true, updatedAt: true },
  });
}

/** How many subjects of each type are indexed under `model`. */
export async function countEmbeddings(db: DbOrTx, organizationId: string, model: string) {
  const rows = await db.embedding.groupBy({ by: ["subjectType"], where: { organizationId, model }, _count: { _all: true } });
  return Object.fromEntries(rows.map((r) => [r.subjectType, r._count._all])) as Partial<Record<SubjectType, number>>;
}

export type SimilarityQuery = {
  model: string;
  vector: number[];
  types: SubjectType[];
  limit: number;
  /** Leave this subject out (searching "similar to this listing"). */
  exclude?: { subjectType: SubjectType; subjectId: string };
  /** Force a path (tests compare both); default: the one this database supports. */
  path?: SearchPath;
};

export type SimilarityHit = { subjectType: SubjectType; subjectId: string; score: number };

/**
 * The organization's `limit` nearest embeddings to `vector` (cosine similarity, highest first; ties
 * by subject id so both paths give the same order). Only rows of `model` with the same dimensions.
 */
export async function searchSimilar(db: DbOrTx, organizationId: string, query: SimilarityQuery): Promise<SimilarityHit[]> {
  if (query.types.length === 0 || query.vector.length === 0) return [];
  const path = query.path ?? (await searchPath(db));
  const exclude = query.exclude
    ? Prisma.sql`AND NOT (e.subject_type = ${query.exclude.subjectType} AND e.subject_id = ${query.exclude.subjectId})`
    : Prisma.empty;
  const where = Prisma.sql`
    e.organization_id = ${organizationId} AND e.model = ${query.model} AND e.dims = ${query.vector.length}
    AND e.subject_type = ANY(${query.types}::text[]) ${exclude}`;
  const rows =
    path === "pgvector"
      ? await db.$queryRaw<{ subject_type: SubjectType; subject_id: string; score: number }[]>`
          SELECT e.subject_type, e.subject_id, 1 - (e.vector::vector <=> ${query.vector}::float8[]::vector) AS score
            FROM embeddings e
           WHERE ${where}
           ORDER BY e.vector::vector <=> ${query.vector}::float8[]::vector, e.subject_id
           LIMIT ${query.limit}`
      : // Organization first (index), then the dot product of the two arrays, element by element.
        await db.$queryRaw<{ subject_type: SubjectType; subject_id: string; score: number }[]>`
          SELECT e.subject_type, e.subject_id,
                 (SELECT coalesce(sum(a * b), 0) FROM unnest(e.vector, ${query.vector}::float8[]) AS t(a, b)) AS score
            FROM embeddings e
           WHERE ${where}
           ORDER BY score DESC, e.subject_id
           LIMIT ${query.limit}`;
  return rows.map((r) => ({ subjectType: r.subject_type, subjectId: r.subject_id, score: Number(r.score) }));
}

export type ListingPerformance = {
  id: string;
  title: string;
  provider: string;
  status: string;
  priceCents: number;
  thumbnailUrl: string | null;
  soldQuantity: number;
  healthScore: number | null;
  visits30d: number;
  sales30d: number;
};

/** Listing facts and the last 30 days' visits and sales, for search results. */
export async function listingPerformance(db: DbOrTx, organizationId: string, listingIds: string[], since: Date): Promise<ListingPerformance[]> {
  if (listingIds.length === 0) return [];
  const rows = await db.$queryRaw<(Omit<ListingPerformance, "visits30d" | "sales30d"> & { visits30d: bigint | null; sales30d: bigint | null })[]>`
    SELECT l.id, l.title, l.provider::text AS provider, l.status::text AS status, l.price_cents AS "priceCents",
           l.thumbnail_url AS "thumbnailUrl", l.sold_quantity AS "soldQuantity", l.health_score AS "healthScore",
           m.visits AS "visits30d", m.sales AS "sales30d"
      FROM listings l
      LEFT JOIN LATERAL (
        SELECT sum(s.visits) AS visits, sum(s.sales) AS sales FROM listing_metric_snapshots s
         WHERE s.organization_id = ${organizationId} AND s.listing_id = l.id AND s.date >= ${since}::date) m ON true
     WHERE l.organization_id = ${organizationId} AND l.id = ANY(${listingIds}::text[]) AND l.deleted_at IS NULL`;
  return rows.map((r) => ({ ...r, visits30d: Number(r.visits30d ?? 0), sales30d: Number(r.sales30d ?? 0) }));
}

export type ContentPerformance = {
  id: string;
  title: string;
  caption: string;
  status: string;
  publications: number;
  views: number;
  engagement: number;
};

/** Content facts and its published posts' latest lifetime totals (views; likes + comments + shares + saves). */
export async function contentPerformance(db: DbOrTx, organizationId: string, contentIds: string[]): Promise<ContentPerformance[]> {
  if (contentIds.length === 0) return [];
  const rows = await db.$queryRaw<{ id: string; title: string; caption: string; status: string; publications: bigint; views: bigint | null; engagement: bigint | null }[]>`
    SELECT c.id, c.title, c.base_caption AS caption, c.status::text AS status,
           count(p.id) AS publications, sum(s.views) AS views, sum(s.likes + s.comments + s.shares + s.saves) AS engagement
      FROM contents c
      LEFT JOIN publications p
        ON p.content_id = c.id AND p.organization_id = ${organizationId} AND p.status = 'PUBLISHED' AND p.deleted_at IS NULL
      LEFT JOIN LATERAL (
        SELECT x.views, x.likes, x.comments, x.shares, x.saves FROM content_metric_snapshots x
         WHERE x.organization_id = ${organizationId} AND x.publication_id = p.id
         ORDER BY x.date DESC LIMIT 1) s ON true
     WHERE c.organization_id = ${organizationId} AND c.id = ANY(${contentIds}::text[]) AND c.deleted_at IS NULL
     GROUP BY c.id`;
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    caption: r.caption,
    status: r.status,
    publications: Number(r.publications),
    views: Number(r.views ?? 0),
    engagement: Number(r.engagement ?? 0),
  }));
}

/** Organizations whose content the periodic sweep re-indexes (active, not being erased). */
export async function organizationsToIndex(db: DbOrTx): Promise<string[]> {
  const rows = await db.organization.findMany({
    where: { deletedAt: null, status: "ACTIVE", suspendedAt: null, erasureRequestedAt: null },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.id);
}
