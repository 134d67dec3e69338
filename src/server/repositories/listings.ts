import type { MarketplaceItem } from "~/server/connectors/marketplace/types";
import type { DbOrTx } from "~/server/db";
import type { ListingStatus, Prisma, Provider } from "~/generated/prisma/client";
import { paginate } from "./pagination";

export type HealthBand = "poor" | "fair" | "good" | "unscored";
export type ListingSort = "recent" | "title" | "price_asc" | "price_desc" | "stock_asc" | "sold_desc" | "health_asc" | "health_desc";

export type ListingFilter = {
  provider?: Provider;
  status?: ListingStatus;
  categoryId?: string;
  health?: HealthBand;
  search?: string;
  connectionId?: string;
};

/** The same bands as healthBandCounts below (and the dashboard's score bands). */
const HEALTH_WHERE: Record<HealthBand, Prisma.ListingWhereInput> = {
  poor: { healthScore: { lt: 40 } },
  fair: { healthScore: { gte: 40, lt: 70 } },
  good: { healthScore: { gte: 70 } },
  unscored: { healthScore: null },
};

// Every order ends with the id so the cursor names exactly one position. Nullable health scores
// sort last in both directions (Prisma's cursor then compares within the same null group).
const ORDER: Record<ListingSort, Prisma.ListingOrderByWithRelationInput[]> = {
  recent: [{ createdAt: "desc" }, { id: "desc" }],
  title: [{ title: "asc" }, { id: "asc" }],
  price_asc: [{ priceCents: "asc" }, { id: "asc" }],
  price_desc: [{ priceCents: "desc" }, { id: "desc" }],
  stock_asc: [{ stock: "asc" }, { id: "asc" }],
  sold_desc: [{ soldQuantity: "desc" }, { id: "desc" }],
  health_asc: [{ healthScore: { sort: "asc", nulls: "last" } }, { id: "asc" }],
  health_desc: [{ healthScore: { sort: "desc", nulls: "last" } }, { id: "desc" }],
};

function listingWhere(organizationId: string, filter: ListingFilter): Prisma.ListingWhereInput {
  return {
    organizationId,
    deletedAt: null,
    ...(filter.provider ? { provider: filter.provider } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.categoryId ? { categoryId: filter.categoryId } : {}),
    ...(filter.connectionId ? { connectionId: filter.connectionId } : {}),
    ...(filter.health ? HEALTH_WHERE[filter.health] : {}),
    ...(filter.search ? { title: { contains: filter.search, mode: "insensitive" as const } } : {}),
  };
}

export function listListings(
  db: DbOrTx,
  organizationId: string,
  page: ListingFilter & { limit: number; cursor?: string; sort?: ListingSort },
) {
  return db.listing
    .findMany({
      where: listingWhere(organizationId, page),
      select: {
        id: true,
        provider: true,
        externalId: true,
        title: true,
        categoryId: true,
        status: true,
        priceCents: true,
        currency: true,
        stock: true,
        soldQuantity: true,
        healthScore: true,
        thumbnailUrl: true,
        syncedAt: true,
      },
      orderBy: ORDER[page.sort ?? "recent"],
      take: page.limit + 1,
      // Keyset: Prisma compares the order columns against the cursor row; the cursor row itself is
      // skipped. A cursor from another tenant matches no row of this one's `where`.
      ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
    })
    .then((rows) => paginate(rows, page.limit));
}

/** Is the cursor one of this organization's listings? (Prisma would otherwise start anywhere.) */
export async function listingExists(db: DbOrTx, organizationId: string, listingId: string) {
  return (await db.listing.count({ where: { id: listingId, organizationId, deletedAt: null } })) === 1;
}

export function findListing(db: DbOrTx, organizationId: string, listingId: string) {
  return db.listing.findFirst({
    where: { id: listingId, organizationId, deletedAt: null },
    select: {
      id: true,
      connectionId: true,
      provider: true,
      externalId: true,
      title: true,
      categoryId: true,
      status: true,
      priceCents: true,
      currency: true,
      stock: true,
      soldQuantity: true,
      listingType: true,
      freeShipping: true,
      pictureCount: true,
      gtin: true,
      permalink: true,
      thumbnailUrl: true,
      healthScore: true,
      syncedAt: true,
      createdAt: true,
      connection: { select: { accountName: true, externalAccountId: true } },
    },
  });
}

export function listMetricSnapshots(db: DbOrTx, organizationId: string, listingId: string, from: Date) {
  return db.listingMetricSnapshot.findMany({
    where: { organizationId, listingId, date: { gte: from } },
    select: { date: true, visits: true, sales: true, priceCents: true, stock: true },
    orderBy: { date: "asc" },
  });
}

export async function listCategories(db: DbOrTx, organizationId: string) {
  const rows = await db.listing.groupBy({
    by: ["categoryId"],
    where: { organizationId, deletedAt: null, categoryId: { not: null } },
    _count: { _all: true },
    orderBy: { categoryId: "asc" },
    take: 200,
  });
  return rows.map((r) => ({ categoryId: r.categoryId!, count: r._count._all }));
}

export function countListings(db: DbOrTx, organizationId: string, filter: ListingFilter = {}) {
  return db.listing.count({ where: listingWhere(organizationId, filter) });
}

/** Listings per health band (null score = not scored yet). */
export async function healthBandCounts(db: DbOrTx, organizationId: string) {
  const where = { organizationId, deletedAt: null };
  const [poor, fair, good, unscored] = await Promise.all([
    db.listing.count({ where: { ...where, ...HEALTH_WHERE.poor } }),
    db.listing.count({ where: { ...where, ...HEALTH_WHERE.fair } }),
    db.listing.count({ where: { ...where, ...HEALTH_WHERE.good } }),
    db.listing.count({ where: { ...where, ...HEALTH_WHERE.unscored } }),
  ]);
  return { poor, fair, good, unscored };
}

// ─── Ingestion ────────────────────────────────────────────────────────────────────────────────

/** A connector's item as the columns of our listing row (services/listings/ingest-mapping.ts maps it). */
export type IngestedItem = Pick<
  MarketplaceItem,
  | "externalId" | "title" | "categoryId" | "status" | "priceCents" | "currency" | "stock" | "soldQuantity" | "listingType"
  | "freeShipping" | "pictureCount" | "gtin" | "permalink" | "thumbnailUrl" | "hasVariations" | "catalogListing"
> & {
  attributes: Prisma.InputJsonValue;
  /** Undefined when the connector did not read it (the stored one is kept); null = none. */
  description?: string | null;
  tags: string[];
  /** Only from "lifetime" visit reporters: the running total read during this sync. */
  visitsLifetime?: number;
};

/**
 * Upserts one page of items by (organization, connection, external id) — reruns never duplicate —
 * and writes today's snapshot (price, stock, and the sales and, for lifetime-visit marketplaces,
 * the visits since the previous sync). Set-based: three statements per page whatever its size
 * (per-row upserts made the database, not the marketplace's rate limit, the bottleneck of a large
 * ingestion). Returns the listing id of each external id. Call inside a transaction.
 */
export async function upsertIngestedItems(
  tx: DbOrTx,
  scope: { organizationId: string; connectionId: string; provider: Provider },
  items: IngestedItem[],
  today: Date,
  now: Date,
) {
  const { organizationId, connectionId, provider } = scope;
  const ids = new Map<string, string>();
  if (items.length === 0) return ids;
  const existing = await tx.listing.findMany({
    where: { organizationId, connectionId, externalId: { in: items.map((i) => i.externalId) } },
    select: { externalId: true, soldQuantity: true, visitsLifetime: true },
  });
  const before = new Map(existing.map((e) => [e.externalId, e]));

  const column = <T,>(pick: (item: IngestedItem) => T) => items.map(pick);
  // Prisma keeps DateTime as UTC wall-clock in \`timestamp\` columns; raw SQL must do the same,
  // whatever the session's TimeZone, and dates are passed as plain YYYY-MM-DD.
  const nowUtc = now.toISOString();
  const day = today.toISOString().slice(0, 10);
  const rows = await tx.$queryRaw<{ id: string; external_id: string }[]>`
    INSERT INTO listings (id, organization_id, connection_id, provider, external_id, title, category_id, status,
                          price_cents, currency, stock, sold_quantity, listing_type, free_shipping, picture_count,
                          gtin, permalink, thumbnail_url, attributes, description, has_variations, catalog_listing, tags,
                          visits_lifetime, synced_at, created_at, updated_at)
    SELECT gen_random_uuid()::text, ${organizationId}, ${connectionId}, ${provider}::"Provider", t.external_id, t.title,
           t.category_id, t.status::"ListingStatus", t.price_cents, t.currency, t.stock, t.sold_quantity, t.listing_type,
           t.free_shipping, t.picture_count, t.gtin, t.permalink, t.thumbnail_url, t.attributes,
           -- A connector that did not read descriptions leaves the stored one (ON CONFLICT cannot see t).
           CASE WHEN t.description_read THEN t.description
                ELSE (SELECT l.description FROM listings l WHERE l.organization_id = ${organizationId}
                        AND l.connection_id = ${connectionId} AND l.external_id = t.external_id) END,
           t.has_variations, t.catalog_listing, ARRAY(SELECT jsonb_array_elements_text(t.tags)), t.visits_lifetime,
           (${nowUtc}::timestamptz AT TIME ZONE 'UTC'), (${nowUtc}::timestamptz AT TIME ZONE 'UTC'),
           (${nowUtc}::timestamptz AT TIME ZONE 'UTC')
    FROM unnest(
      ${column((i) => i.externalId)}::text[],
      ${column((i) => i.title)}::text[],
      ${column((i) => i.categoryId)}::text[],
      ${column((i) => i.status)}::text[],
      ${column((i) => i.priceCents)}::int[],
      ${column((i) => i.currency)}::text[],
      ${column((i) => i.stock)}::int[],
      ${column((i) => i.soldQuantity)}::int[],
      ${column((i) => i.listingType)}::text[],
      ${column((i) => i.freeShipping)}::boolean[],
      ${column((i) => i.pictureCount)}::int[],
      ${column((i) => i.gtin)}::text[],
      ${column((i) => i.permalink)}::text[],
      ${column((i) => i.thumbnailUrl)}::text[],
      ${column((i) => JSON.stringify(i.attributes ?? []))}::jsonb[],
      ${column((i) => i.description ?? null)}::text[],
      ${column((i) => i.description !== undefined)}::boolean[],
      ${column((i) => i.hasVariations)}::boolean[],
      ${column((i) => i.catalogListing)}::boolean[],
      ${column((i) => JSON.stringify(i.tags))}::jsonb[],
      ${column((i) => i.visitsLifetime ?? null)}::int[]
    ) AS t(external_id, title, category_id, status, price_cents, currency, stock, sold_quantity, listing_type,
           free_shipping, picture_count, gtin, permalink, thumbnail_url, attributes, description, description_read,
           has_variations, catalog_listing, tags, visits_lifetime)
    ON CONFLICT (organization_id, connection_id, external_id) DO UPDATE SET
      title = EXCLUDED.title, category_id = EXCLUDED.category_id, status = EXCLUDED.status,
      price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency, stock = EXCLUDED.stock,
      sold_quantity = EXCLUDED.sold_quantity, listing_type = EXCLUDED.listing_type,
      free_shipping = EXCLUDED.free_shipping, picture_count = EXCLUDED.picture_count, gtin = EXCLUDED.gtin,
      permalink = EXCLUDED.permalink, thumbnail_url = EXCLUDED.thumbnail_url, attributes = EXCLUDED.attributes,
      description = EXCLUDED.description,
      has_variations = EXCLUDED.has_variations, catalog_listing = EXCLUDED.catalog_listing, tags = EXCLUDED.tags,
      visits_lifetime = COALESCE(EXCLUDED.visits_lifetime, listings.visits_lifetime),
      synced_at = EXCLUDED.synced_at, updated_at = EXCLUDED.updated_at, deleted_at = NULL
    RETURNING id, external_id`;
  for (const row of rows) ids.set(row.external_id, row.id);

  // Marketplaces report lifetime sales (and Shopee lifetime views): a day's figure is the growth
  // since the last sync; a listing's first sync has nothing to compare with and records none.
  const growth = (now: number | undefined, previous: number | null | undefined) =>
    now === undefined || previous === undefined || previous === null ? 0 : Math.max(0, now - previous);
  const snapshot = items.map((item) => {
    const previous = before.get(item.externalId);
    return {
      listingId: ids.get(item.externalId)!,
      sales: growth(item.soldQuantity, previous?.soldQuantity),
      visits: growth(item.visitsLifetime, previous?.visitsLifetime),
      priceCents: item.priceCents,
      stock: item.stock,
    };
  });
  await tx.$executeRaw`
    INSERT INTO listing_metric_snapshots (id, organization_id, listing_id, date, visits, sales, price_cents, stock, created_at)
    SELECT gen_random_uuid()::text, ${organizationId}, t.listing_id, ${day}::date, t.visits, t.sales, t.price_cents, t.stock,
           (${nowUtc}::timestamptz AT TIME ZONE 'UTC')
    FROM unnest(
      ${snapshot.map((r) => r.listingId)}::text[],
      ${snapshot.map((r) => r.visits)}::int[],
      ${snapshot.map((r) => r.sales)}::int[],
      ${snapshot.map((r) => r.priceCents)}::int[],
      ${snapshot.map((r) => r.stock)}::int[]
    ) AS t(listing_id, visits, sales, price_cents, stock)
    ON CONFLICT (organization_id, listing_id, date) DO UPDATE SET
      price_cents = EXCLUDED.price_cents, stock = EXCLUDED.stock,
      sales = listing_metric_snapshots.sales + EXCLUDED.sales,
      visits = listing_metric_snapshots.visits + EXCLUDED.visits`;

  // Lifetime views (Shopee): a day's visits are known once a previous total exists to grow from.
  const visitsKnown = items.filter((item) => item.visitsLifetime != null && before.get(item.externalId)?.visitsLifetime != null).map((item) => ids.get(item.externalId)!);
  if (visitsKnown.length > 0) {
    await tx.$executeRaw`
      UPDATE listings SET visits_since = LEAST(COALESCE(visits_since, ${day}::date), ${day}::date)
      WHERE organization_id = ${organizationId} AND id = ANY(${visitsKnown}::text[])`;
  }
  return ids;
}

/**
 * Daily visits per listing, in one statement (a first sync writes 30 days × every listing). Past
 * days that have no snapshot yet get one with the listing's current price and stock (the
 * marketplaces do not tell earlier values); existing days only get their visits updated.
 */
export async function upsertDailyVisits(
  tx: DbOrTx,
  organizationId: string,
  rows: { listingId: string; date: Date; visits: number; priceCents: number; stock: number }[],
) {
  if (rows.length === 0) return 0;
  return tx.$executeRaw`
    WITH written AS (
    INSERT INTO listing_metric_snapshots (id, organization_id, listing_id, date, visits, sales, price_cents, stock, created_at)
    SELECT gen_random_uuid()::text, ${organizationId}, t.listing_id, t.day, t.visits, 0, t.price_cents, t.stock, (now() AT TIME ZONE 'UTC')
    FROM unnest(
      ${rows.map((r) => r.listingId)}::text[],
      ${rows.map((r) => r.date.toISOString().slice(0, 10))}::date[],
      ${rows.map((r) => r.visits)}::int[],
      ${rows.map((r) => r.priceCents)}::int[],
      ${rows.map((r) => r.stock)}::int[]
    ) AS t(listing_id, day, visits, price_cents, stock)
    ON CONFLICT (organization_id, listing_id, date) DO UPDATE SET visits = EXCLUDED.visits
    RETURNING listing_id, date
  )
  -- Visits are known from the earliest day the marketplace reported for each listing on.
  UPDATE listings l SET visits_since = LEAST(COALESCE(l.visits_since, w.first_day), w.first_day)
  FROM (SELECT listing_id, min(date) AS first_day FROM written GROUP BY listing_id) w
  WHERE l.organization_id = ${organizationId} AND l.id = w.listing_id`;
}

export function findListingByExternalId(db: DbOrTx, organizationId: string, connectionId: string, externalId: string) {
  return db.listing.findFirst({ where: { organizationId, connectionId, externalId }, select: { id: true, priceCents: true, stock: true } });
}

// ─── Market signals ───────────────────────────────────────────────────────────────────────────

/**
 * The next listings of a connection whose market signals are missing or older than `staleBefore`,
 * oldest first (never fetched first). Closed listings are skipped: the marketplace computes no
 * quality or price reference for them.
 */
export function listingsNeedingSignals(
  db: DbOrTx,
  organizationId: string,
  input: { connectionId: string; staleBefore: Date; limit: number; listingIds?: string[] },
) {
  return db.listing.findMany({
    where: {
      organizationId,
      connectionId: input.connectionId,
      deletedAt: null,
      status: { not: "CLOSED" },
      OR: [{ marketSignalsAt: null }, { marketSignalsAt: { lt: input.staleBefore } }],
      ...(input.listingIds ? { id: { in: input.listingIds } } : {}),
    },
    select: { id: true, externalId: true },
    orderBy: [{ marketSignalsAt: { sort: "asc", nulls: "first" } }, { id: "asc" }],
    take: input.limit,
  });
}

export type MarketSignals = {
  listingId: string;
  qualityScore: number | null;
  qualityLevel: string | null;
  qualityRules: unknown[] | null;
  suggestedPriceCents: number | null;
  /** Read with the signals where the item read leaves it out (Mercado Livre); undefined = keep. */
  description?: string | null;
};

/** Stores one batch of market signals in one statement; null = the provider had none yet. */
export function writeMarketSignals(db: DbOrTx, organizationId: string, rows: MarketSignals[], now: Date) {
  if (rows.length === 0) return Promise.resolve(0);
  return db.$executeRaw`
    UPDATE listings l SET quality_score = t.quality_score, quality_level = t.quality_level,
           quality_rules = t.quality_rules, suggested_price_cents = t.suggested_price_cents,
           description = CASE WHEN t.description_read THEN t.description ELSE l.description END,
           market_signals_at = (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    FROM unnest(
      ${rows.map((r) => r.listingId)}::text[],
      ${rows.map((r) => r.qualityScore)}::int[],
      ${rows.map((r) => r.qualityLevel)}::text[],
      ${rows.map((r) => (r.qualityRules === null ? null : JSON.stringify(r.qualityRules)))}::jsonb[],
      ${rows.map((r) => r.suggestedPriceCents)}::int[],
      ${rows.map((r) => r.description ?? null)}::text[],
      ${rows.map((r) => r.description !== undefined)}::boolean[]
    ) AS t(id, quality_score, quality_level, quality_rules, suggested_price_cents, description, description_read)
    WHERE l.organization_id = ${organizationId} AND l.id = t.id`;
}

// ─── Sales history (backfill from the marketplace's orders) ───────────────────────────────────

/** Listings whose sales are unknown before `from`: sales_since after it (or never set). */
function salesGapWhere(organizationId: string, input: { connectionId: string; from: Date; existedAt: Date }): Prisma.ListingWhereInput {
  return {
    organizationId,
    connectionId: input.connectionId,
    createdAt: { lte: input.existedAt },
    OR: [{ salesSince: null }, { salesSince: { gt: input.from } }],
  };
}

/**
 * How many of a connection's listings (among those that existed at `existedAt`) lack daily sales
 * back to `from`, and the latest of their sales_since: a backfill reads orders up to the day
 * before it.
 */
export async function salesHistoryGap(db: DbOrTx, organizationId: string, input: { connectionId: string; from: Date; existedAt: Date }) {
  const row = await db.listing.aggregate({ where: salesGapWhere(organizationId, input), _count: { _all: true }, _max: { salesSince: true } });
  return { listings: row._count._all, latestSince: row._max.salesSince };
}

/**
 * Writes daily sales read from the marketplace's orders into the snapshots, in one statement.
 * Only days before the listing's sales_since are written — days whose sales are unknown, never a
 * day whose growth between syncs is already counted — and only for listings that existed at
 * `existedAt` (the ones the backfill will mark). The day's sales are set, not added, so a rerun
 * writes the same figures. A day without a snapshot gets one with the listing's current price and
 * stock (the marketplace does not tell earlier ones) and no visits. Days without sales get no row:
 * from sales_since on, a missing day is a day without sales.
 */
export async function writeBackfilledSales(
  db: DbOrTx,
  organizationId: string,
  input: { connectionId: string; existedAt: Date },
  rows: { externalId: string; date: string /* YYYY-MM-DD */; sales: number }[],
) {
  // One row per (item, day): ON CONFLICT cannot update the same snapshot twice in a statement.
  const merged = new Map<string, { externalId: string; date: string; sales: number }>();
  for (const r of rows) {
    if (r.sales <= 0) continue;
    const key = `${r.externalId} ${r.date}`;
    const prev = merged.get(key);
    merged.set(key, { externalId: r.externalId, date: r.date, sales: (prev?.sales ?? 0) + r.sales });
  }
  if (merged.size === 0) return 0;
  const list = [...merged.values()];
  return db.$executeRaw`
    INSERT INTO listing_metric_snapshots (id, organization_id, listing_id, date, visits, sales, price_cents, stock, created_at)
    SELECT gen_random_uuid()::text, ${organizationId}, l.id, t.day, 0, t.sales, l.price_cents, l.stock, (now() AT TIME ZONE 'UTC')
    FROM unnest(
      ${list.map((r) => r.externalId)}::text[],
      ${list.map((r) => r.date)}::date[],
      ${list.map((r) => r.sales)}::int[]
    ) AS t(external_id, day, sales)
    JOIN listings l ON l.organization_id = ${organizationId} AND l.connection_id = ${input.connectionId} AND l.external_id = t.external_id
    WHERE (l.sales_since IS NULL OR t.day < l.sales_since)
      AND l.created_at <= (${input.existedAt.toISOString()}::timestamptz AT TIME ZONE 'UTC')
    ON CONFLICT (organization_id, listing_id, date) DO UPDATE SET sales = EXCLUDED.sales`;
}

/** After a backfill: the listings it covered have known daily sales from `from` on. */
export async function markSalesKnownSince(db: DbOrTx, organizationId: string, input: { connectionId: string; from: Date; existedAt: Date }) {
  const { count } = await db.listing.updateMany({ where: salesGapWhere(organizationId, input), data: { salesSince: input.from } });
  return count;
}
