import { Prisma, type Provider } from "~/generated/prisma/client";
import type { DbOrTx } from "~/server/db";

// ─── Social accounts ────────────────────────────────────────────────────────────────────────

const SOCIAL_ACCOUNT_SELECT = {
  id: true,
  provider: true,
  kind: true,
  accountName: true,
  externalAccountId: true,
  status: true,
  lastError: true,
  metadata: true,
} as const;

/** System: every live social account of every organization (the hourly analytics fan-out). */
export function listActiveSocialConnections(db: DbOrTx) {
  return db.connection.findMany({
    // The hourly fan-out skips suspended organizations.
    where: { kind: "SOCIAL", status: "ACTIVE", deletedAt: null, organization: { status: "ACTIVE" } },
    select: { id: true, organizationId: true },
    orderBy: { id: "asc" },
  });
}

export function findSocialConnection(db: DbOrTx, organizationId: string, connectionId: string) {
  return db.connection.findFirst({ where: { id: connectionId, organizationId, kind: "SOCIAL", deletedAt: null }, select: SOCIAL_ACCOUNT_SELECT });
}

export function listSocialConnections(db: DbOrTx, organizationId: string) {
  return db.connection.findMany({
    where: { organizationId, kind: "SOCIAL", deletedAt: null },
    select: SOCIAL_ACCOUNT_SELECT,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

/**
 * Merges keys into the connection's metadata in one statement (other features keep their own keys
 * there, and a read-modify-write would drop a key another job wrote meanwhile).
 */
export function mergeConnectionMetadata(db: DbOrTx, organizationId: string, connectionId: string, patch: Record<string, unknown>) {
  return db.$executeRaw`
    UPDATE connections SET metadata = metadata || ${JSON.stringify(patch)}::jsonb, updated_at = now()
     WHERE id = ${connectionId} AND organization_id = ${organizationId}`;
}

// ─── Snapshots (writes) ─────────────────────────────────────────────────────────────────────

export type AccountDay = { date: Date; followers: number; views: number; reach: number; profileViews: number; engagements: number };

/** One row per account and day: a re-sync of the same day overwrites it (the network revises recent days). */
export async function upsertAccountSnapshots(db: DbOrTx, organizationId: string, connectionId: string, days: AccountDay[]) {
  if (days.length === 0) return 0;
  const values = days.map(
    (d) => Prisma.sql`(gen_random_uuid()::text, ${organizationId}, ${connectionId}, ${d.date}::date, ${d.followers}, ${d.views}, ${d.reach}, ${d.profileViews}, ${d.engagements}, now(), now())`,
  );
  return db.$executeRaw`
    INSERT INTO social_account_metric_snapshots (id, organization_id, connection_id, date, followers, views, reach, profile_views, engagements, created_at, updated_at)
    VALUES ${Prisma.join(values)}
    ON CONFLICT (organization_id, connection_id, date) DO UPDATE SET
      followers = EXCLUDED.followers, views = EXCLUDED.views, reach = EXCLUDED.reach,
      profile_views = EXCLUDED.profile_views, engagements = EXCLUDED.engagements, updated_at = now()`;
}

export type PostDay = { publicationId: string; views: number; reach: number; likes: number; comments: number; shares: number; saves: number };

/** Lifetime totals of posts as of `date`; a second sync the same day overwrites that day's row. */
export async function upsertContentSnapshots(db: DbOrTx, organizationId: string, date: Date, posts: PostDay[]) {
  if (posts.length === 0) return 0;
  const values = posts.map(
    (p) => Prisma.sql`(gen_random_uuid()::text, ${organizationId}, ${p.publicationId}, ${date}::date, ${p.views}, ${p.reach}, ${p.likes}, ${p.comments}, ${p.shares}, ${p.saves}, now())`,
  );
  return db.$executeRaw`
    INSERT INTO content_metric_snapshots (id, organization_id, publication_id, date, views, reach, likes, comments, shares, saves, created_at)
    VALUES ${Prisma.join(values)}
    ON CONFLICT (organization_id, publication_id, date) DO UPDATE SET
      views = EXCLUDED.views, reach = EXCLUDED.reach, likes = EXCLUDED.likes,
      comments = EXCLUDED.comments, shares = EXCLUDED.shares, saves = EXCLUDED.saves`;
}

/** A page of the account's published posts since `since` (keyset on id), with the network's post id. */
export function listPublishedPostsPage(db: DbOrTx, organizationId: string, connectionId: string, since: Date, afterId: string | null, take: number) {
  return db.publication.findMany({
    where: {
      organizationId,
      connectionId,
      status: "PUBLISHED",
      deletedAt: null,
      externalId: { not: null },
      publishedAt: { gte: since },
      ...(afterId ? { id: { gt: afterId } } : {}),
    },
    select: { id: true, externalId: true },
    orderBy: { id: "asc" },
    take,
  });
}

/** The newest day stored for an account (where the next sync must reach back to). */
export async function newestAccountSnapshotDay(db: DbOrTx, organizationId: string, connectionId: string): Promise<Date | null> {
  const row = await db.socialAccountMetricSnapshot.findFirst({ where: { organizationId, connectionId }, select: { date: true }, orderBy: { date: "desc" } });
  return row?.date ?? null;
}

// ─── Reads (the analytics page) ─────────────────────────────────────────────────────────────

export function accountSnapshotsInRange(db: DbOrTx, organizationId: string, connectionIds: string[], from: Date, to: Date) {
  return db.socialAccountMetricSnapshot.findMany({
    where: { organizationId, connectionId: { in: connectionIds }, date: { gte: from, lte: to } },
    select: { connectionId: true, date: true, followers: true, views: true, reach: true, profileViews: true, engagements: true },
    orderBy: [{ date: "asc" }, { connectionId: "asc" }],
  });
}

/** The last snapshot of each account before `before` (the baseline of follower growth). */
export function accountBaselines(db: DbOrTx, organizationId: string, connectionIds: string[], before: Date) {
  return db.socialAccountMetricSnapshot.findMany({
    where: { organizationId, connectionId: { in: connectionIds }, date: { lt: before } },
    select: { connectionId: true, date: true, followers: true },
    orderBy: [{ connectionId: "asc" }, { date: "desc" }],
    distinct: ["connectionId"],
  });
}

/** Published posts per account with publishedAt in [from, endExclusive). */
export async function countPublishedByConnection(db: DbOrTx, organizationId: string, connectionIds: string[], from: Date, endExclusive: Date) {
  const rows = await db.publication.groupBy({
    by: ["connectionId"],
    where: { organizationId, connectionId: { in: connectionIds }, status: "PUBLISHED", deletedAt: null, publishedAt: { gte: from, lt: endExclusive } },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.connectionId, r._count._all]));
}

export type PostSort = "views" | "engagement" | "recent";

export type PostRow = {
  id: string;
  contentId: string;
  contentTitle: string;
  connectionId: string;
  provider: Provider;
  accountName: string | null;
  publishedAt: Date | null;
  permalink: string | null;
  measuredOn: Date | null;
  latest: { views: number; reach: number; likes: number; comments: number; shares: number; saves: number } | null;
  baseline: { views: number; reach: number; likes: number; comments: number; shares: number; saves: number } | null;
  sortValue: bigint;
};

type RawPostRow = {
  id: string;
  content_id: string;
  content_title: string;
  connection_id: string;
  provider: Provider;
  account_name: string | null;
  published_at: Date | null;
  permalink: string | null;
  l_date: Date | null;
  l_views: number | null;
  l_reach: number | null;
  l_likes: number | null;
  l_comments: number | null;
  l_shares: number | null;
  l_saves: number | null;
  b_date: Date | null;
  b_views: number | null;
  b_reach: number | null;
  b_likes: number | null;
  b_comments: number | null;
  b_shares: number | null;
  b_saves: number | null;
  sort_value: bigint;
};

const SORT_EXPR: Record<PostSort, Prisma.Sql> = {
  views: Prisma.sql`COALESCE(l.views, 0)::bigint`,
  engagement: Prisma.sql`COALESCE(l.likes + l.comments + l.shares + l.saves, 0)::bigint`,
  recent: Prisma.sql`(EXTRACT(EPOCH FROM p.published_at) * 1000)::bigint`,
};

/**
 * Posts of the range: published in it, or measured in it (an older post still growing). Each with
 * its latest snapshot up to `to` and the last one before `from`; keyset-paged on (sort value, id).
 */
export async function listPostsWithMetrics(
  db: DbOrTx,
  organizationId: string,
  query: { from: Date; to: Date; endExclusive: Date; providers: Provider[] | null; sort: PostSort; limit: number; after: { value: bigint; id: string } | null },
): Promise<PostRow[]> {
  const providerFilter = query.providers ? Prisma.sql`AND conn.provider::text IN (${Prisma.join(query.providers)})` : Prisma.empty;
  const afterFilter = query.after ? Prisma.sql`WHERE (q.sort_value, q.id) < (${query.after.value}, ${query.after.id})` : Prisma.empty;
  const rows = await db.$queryRaw<RawPostRow[]>`
    SELECT * FROM (
      SELECT p.id, p.content_id, c.title AS content_title, p.connection_id, conn.provider::text AS provider, conn.account_name,
             p.published_at, p.permalink,
             l.date AS l_date, l.views AS l_views, l.reach AS l_reach, l.likes AS l_likes, l.comments AS l_comments, l.shares AS l_shares, l.saves AS l_saves,
             b.date AS b_date, b.views AS b_views, b.reach AS b_reach, b.likes AS b_likes, b.comments AS b_comments, b.shares AS b_shares, b.saves AS b_saves,
             ${SORT_EXPR[query.sort]} AS sort_value
        FROM publications p
        JOIN contents c ON c.id = p.content_id AND c.organization_id = ${organizationId}
        JOIN connections conn ON conn.id = p.connection_id AND conn.organization_id = ${organizationId}
        LEFT JOIN LATERAL (
          SELECT s.* FROM content_metric_snapshots s
           WHERE s.organization_id = ${organizationId} AND s.publication_id = p.id AND s.date <= ${query.to}::date
           ORDER BY s.date DESC LIMIT 1) l ON true
        LEFT JOIN LATERAL (
          SELECT s.* FROM content_metric_snapshots s
           WHERE s.organization_id = ${organizationId} AND s.publication_id = p.id AND s.date < ${query.from}::date
           ORDER BY s.date DESC LIMIT 1) b ON true
       WHERE p.organization_id = ${organizationId} AND p.status = 'PUBLISHED' AND p.deleted_at IS NULL AND p.published_at IS NOT NULL
         AND p.published_at < ${query.endExclusive}
         AND (p.published_at >= ${query.from} OR l.date >= ${query.from}::date)
         ${providerFilter}
    ) q
    ${afterFilter}
    ORDER BY q.sort_value DESC, q.id DESC
    LIMIT ${query.limit}`;
  const totals = (r: RawPostRow, prefix: "l" | "b") =>
    r[`${prefix}_date`] === null
      ? null
      : {
          views: r[`${prefix}_views`] ?? 0,
          reach: r[`${prefix}_reach`] ?? 0,
          likes: r[`${prefix}_likes`] ?? 0,
          comments: r[`${prefix}_comments`] ?? 0,
          shares: r[`${prefix}_shares`] ?? 0,
          saves: r[`${prefix}_saves`] ?? 0,
        };
  return rows.map((r) => ({
    id: r.id,
    contentId: r.content_id,
    contentTitle: r.content_title,
    connectionId: r.connection_id,
    provider: r.provider,
    accountName: r.account_name,
    publishedAt: r.published_at,
    permalink: r.permalink,
    measuredOn: r.l_date,
    latest: totals(r, "l"),
    baseline: totals(r, "b"),
    sortValue: BigInt(r.sort_value),
  }));
}
