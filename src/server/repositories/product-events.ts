/**
 * Product telemetry rows (product_events) and the organization's opt-out flag
 * (organizations.settings.productTelemetry). The dashboard queries are cross-tenant on purpose:
 * only the platform admin's service calls them, and they return counts, never rows.
 */
import type { DbOrTx } from "~/server/db";

// An organization counts as opted in unless its settings say `productTelemetry: false` (absent
// means the default, on). Shared by the insert and every dashboard query so an opted-out
// organization is never counted, even in a denominator.
const OPTED_IN = `(o.settings -> 'productTelemetry') IS DISTINCT FROM 'false'::jsonb`;

/**
 * Writes one event unless the organization opted out, is being erased or is gone — checked in
 * the same statement, so an opt-out is honoured from the next call on without any cache.
 * Returns how many rows went in (0 or 1).
 */
export function insertProductEvent(db: DbOrTx, organizationId: string, event: { userId: string | null; feature: string; occurredAt: Date }) {
  return db.$executeRawUnsafe(
    `INSERT INTO product_events (organization_id, user_id, feature, occurred_at)
     SELECT o.id, $2, $3, $4 FROM organizations o
     WHERE o.id = $1 AND o.deleted_at IS NULL AND o.erasure_requested_at IS NULL AND ${OPTED_IN}`,
    organizationId,
    event.userId,
    event.feature,
    event.occurredAt,
  );
}

export async function findProductTelemetrySetting(db: DbOrTx, organizationId: string): Promise<unknown> {
  const org = await db.organization.findFirst({ where: { id: organizationId, deletedAt: null }, select: { settings: true } });
  if (!org) return undefined;
  const settings = org.settings;
  return typeof settings === "object" && settings !== null && !Array.isArray(settings) ? (settings as Record<string, unknown>).productTelemetry : undefined;
}

/** Sets only the productTelemetry key: other features keep their own settings in the same column. */
export function setProductTelemetrySetting(db: DbOrTx, organizationId: string, enabled: boolean) {
  return db.$executeRaw`
    UPDATE organizations SET settings = jsonb_set(COALESCE(settings, '{}'::jsonb), '{productTelemetry}', ${JSON.stringify(enabled)}::jsonb),
           updated_at = (now() AT TIME ZONE 'UTC')
    WHERE id = ${organizationId} AND deleted_at IS NULL`;
}

export function deleteProductEventsOfOrganization(db: DbOrTx, organizationId: string) {
  return db.productEvent.deleteMany({ where: { organizationId } }).then((r) => r.count);
}

export function deleteProductEventsOfUser(db: DbOrTx, userId: string) {
  return db.productEvent.deleteMany({ where: { userId } }).then((r) => r.count);
}

/** The person's own events, for the LGPD export. */
export function listProductEventsOfUser(db: DbOrTx, userId: string) {
  return db.productEvent.findMany({ where: { userId }, select: { organizationId: true, feature: true, occurredAt: true }, orderBy: { occurredAt: "asc" } });
}

// ─── Platform dashboard (counts only) ───

/**
 * Organizations created in [since, until) that are not deleted and did not opt out: how many,
 * and how many had an event of one of `features` within `days` days of their creation.
 */
export async function countMilestoneReached(db: DbOrTx, window: { since: Date; until: Date }, features: readonly string[], days: number) {
  const [row] = await db.$queryRawUnsafe<{ organizations: number; reached: number }[]>(
    `SELECT count(*)::int AS organizations,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM product_events e
              WHERE e.organization_id = o.id AND e.feature = ANY($3::text[])
                AND e.occurred_at >= o.created_at AND e.occurred_at < o.created_at + make_interval(days => $4::int)
            ))::int AS reached
     FROM organizations o
     WHERE o.deleted_at IS NULL AND o.created_at >= $1 AND o.created_at < $2 AND ${OPTED_IN}`,
    window.since,
    window.until,
    [...features],
    days,
  );
  return row ?? { organizations: 0, reached: 0 };
}

/**
 * Organizations of the window that reached every group of features (one feature of each group)
 * within `days` days of creation.
 */
export async function countReachedAll(db: DbOrTx, window: { since: Date; until: Date }, groups: readonly (readonly string[])[], days: number) {
  if (groups.length === 0) return 0;
  // One EXISTS per group; the features go in as parameters $4…, never into the SQL text.
  const clauses = groups.map(
    (_, i) => `EXISTS (SELECT 1 FROM product_events e WHERE e.organization_id = o.id AND e.feature = ANY($${i + 4}::text[])
                 AND e.occurred_at >= o.created_at AND e.occurred_at < o.created_at + make_interval(days => $3::int))`,
  );
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM organizations o
     WHERE o.deleted_at IS NULL AND o.created_at >= $1 AND o.created_at < $2 AND ${OPTED_IN} AND ${clauses.join(" AND ")}`,
    window.since,
    window.until,
    days,
    ...groups.map((g) => [...g]),
  );
  return row?.n ?? 0;
}

/** Distinct organizations and users with an event, per UTC week (Monday) starting at or after `since`. */
export function countWeeklyActive(db: DbOrTx, since: Date, until: Date) {
  return db.$queryRawUnsafe<{ week: Date; organizations: number; users: number }[]>(
    `SELECT date_trunc('week', e.occurred_at) AS week, count(DISTINCT e.organization_id)::int AS organizations, count(DISTINCT e.user_id)::int AS users
     FROM product_events e JOIN organizations o ON o.id = e.organization_id
     WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND o.deleted_at IS NULL AND ${OPTED_IN}
     GROUP BY 1 ORDER BY 1`,
    since,
    until,
  );
}

/** Organizations created since `since` (opted in, not deleted), counted by the UTC week they signed up. */
export function countCohortSizes(db: DbOrTx, since: Date, until: Date) {
  return db.$queryRawUnsafe<{ week: Date; organizations: number }[]>(
    `SELECT date_trunc('week', o.created_at) AS week, count(*)::int AS organizations
     FROM organizations o
     WHERE o.deleted_at IS NULL AND o.created_at >= $1 AND o.created_at < $2 AND ${OPTED_IN}
     GROUP BY 1 ORDER BY 1`,
    since,
    until,
  );
}

/** For each signup week and each week since signup: how many of that cohort's organizations had an event. */
export function countCohortActivity(db: DbOrTx, since: Date, until: Date) {
  return db.$queryRawUnsafe<{ week: Date; weeksSince: number; organizations: number }[]>(
    `WITH cohort AS (
       SELECT o.id, date_trunc('week', o.created_at) AS week FROM organizations o
       WHERE o.deleted_at IS NULL AND o.created_at >= $1 AND o.created_at < $2 AND ${OPTED_IN}
     ), activity AS (
       SELECT DISTINCT e.organization_id, date_trunc('week', e.occurred_at) AS week
       FROM product_events e WHERE e.occurred_at >= $1 AND e.occurred_at < $2
     )
     SELECT c.week, (round(extract(epoch FROM (a.week - c.week)) / 604800))::int AS "weeksSince", count(DISTINCT c.id)::int AS organizations
     FROM cohort c JOIN activity a ON a.organization_id = c.id AND a.week >= c.week
     GROUP BY 1, 2 ORDER BY 1, 2`,
    since,
    until,
  );
}

/** Events, organizations and users per feature in [since, until), most used first. */
export function countFeatureUsage(db: DbOrTx, since: Date, until: Date, limit: number) {
  return db.$queryRawUnsafe<{ feature: string; events: number; organizations: number; users: number }[]>(
    `SELECT e.feature, count(*)::int AS events, count(DISTINCT e.organization_id)::int AS organizations, count(DISTINCT e.user_id)::int AS users
     FROM product_events e JOIN organizations o ON o.id = e.organization_id
     WHERE e.occurred_at >= $1 AND e.occurred_at < $2 AND o.deleted_at IS NULL AND ${OPTED_IN}
     GROUP BY e.feature ORDER BY events DESC, e.feature ASC LIMIT $3`,
    since,
    until,
    limit,
  );
}
