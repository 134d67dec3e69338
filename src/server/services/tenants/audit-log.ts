/**
 * The organization's audit log for its owners: filtered pages (action or area, actor, dates in the
 * organization's time zone, target id), each entry with the device read from its user agent, and
 * a CSV export of the filtered log that is itself audited. Rows are append-only in the database
 * (trigger `audit_logs_append_only`); nothing here writes to them except the export's own entry.
 */
import { zonedWallTimeToUtc } from "~/lib/time/zoned";
import { csvDocument } from "~/server/lib/csv";
import { notFound } from "~/server/lib/errors";
import { createLimiter } from "~/server/lib/rate-limit";
import { auditFacets, isAuditActor, listAudit, type AuditFilter } from "~/server/repositories/audit";
import { findOrganization } from "~/server/repositories/organizations";
import { describeDevice } from "../accounts/sessions";
import { audit } from "../audit";
import type { TenantCtx } from "../context";

/** The filter as the page sends it: calendar days ("YYYY-MM-DD") in the organization's time zone. */
export type AuditQuery = { action?: string; actorUserId?: string; targetId?: string; from?: string; to?: string };

/** Most rows one export holds; a larger log is exported by narrowing the dates. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;
const EXPORT_PAGE = 1_000;
// Each export reads up to 50 pages: a few a minute is all a person needs.
const exportLimiter = createLimiter("audit-export", 10, 60 * 60);

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

async function toFilter(ctx: TenantCtx, query: AuditQuery): Promise<AuditFilter> {
  // Another organization's user (or an id that names nobody here) is NOT_FOUND, as any foreign id.
  if (query.actorUserId && !(await isAuditActor(ctx.db, ctx.tenant.organizationId, query.actorUserId))) throw notFound("Member");
  let timeZone = "UTC";
  if (query.from || query.to) {
    const organization = await findOrganization(ctx.db, ctx.tenant.organizationId);
    if (!organization) throw notFound("Organization");
    timeZone = organization.timeZone;
  }
  return {
    action: query.action || undefined,
    actorUserId: query.actorUserId || undefined,
    targetId: query.targetId?.trim() || undefined,
    // From the first minute of `from` to the end of `to`, both days included, on the organization's clock.
    from: query.from ? zonedWallTimeToUtc(query.from, "00:00", timeZone) : undefined,
    to: query.to ? zonedWallTimeToUtc(nextDay(query.to), "00:00", timeZone) : undefined,
  };
}

/** "Chrome 120", "Windows 10", "desktop" — or nulls when the entry has no user agent. */
function withDevice<T extends { userAgent: string | null }>(row: T) {
  return { ...row, device: describeDevice(row.userAgent) };
}

export async function listAuditLog(ctx: TenantCtx, input: AuditQuery & { limit: number; cursor?: string }) {
  const filter = await toFilter(ctx, input);
  const page = await listAudit(ctx.db, ctx.tenant.organizationId, { ...filter, limit: input.limit, cursor: input.cursor });
  return { items: page.items.map(withDevice), nextCursor: page.nextCursor };
}

export function listAuditFacets(ctx: TenantCtx) {
  return auditFacets(ctx.db, ctx.tenant.organizationId);
}

const CSV_HEADER = ["created_at_utc", "actor_name", "actor_email", "action", "target_type", "target_id", "ip", "browser", "os", "device", "user_agent", "metadata"];

export function auditExportFileName(now: Date) {
  return `super-seller-auditoria-${now.toISOString().slice(0, 10)}.csv`;
}

/**
 * The filtered log as CSV (newest first, at most AUDIT_EXPORT_MAX_ROWS rows, read in pages), and
 * an `audit.exported` entry naming the filter and the row count. Cells are CSV-injection safe.
 */
export async function exportAuditLog(ctx: TenantCtx, query: AuditQuery, now = new Date()) {
  await exportLimiter.consume(`${ctx.tenant.organizationId}:${ctx.tenant.userId}`);
  const filter = await toFilter(ctx, query);
  const rows: unknown[][] = [];
  let cursor: string | undefined;
  let truncated = false;
  for (;;) {
    const page = await listAudit(ctx.db, ctx.tenant.organizationId, { ...filter, limit: EXPORT_PAGE, cursor });
    for (const entry of page.items) {
      if (rows.length === AUDIT_EXPORT_MAX_ROWS) {
        truncated = true;
        break;
      }
      const device = describeDevice(entry.userAgent);
      rows.push([
        entry.createdAt,
        entry.actor?.name ?? "",
        entry.actor?.email ?? "",
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.ip,
        device.browser,
        device.os,
        device.device,
        entry.userAgent,
        entry.metadata,
      ]);
    }
    if (truncated || !page.nextCursor) break;
    if (rows.length === AUDIT_EXPORT_MAX_ROWS) {
      truncated = true;
      break;
    }
    cursor = page.nextCursor;
  }
  const csv = csvDocument(CSV_HEADER, rows);
  const applied = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ""));
  await audit(ctx.db, { organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, request: ctx.request }, "audit.exported", undefined, {
    rows: rows.length,
    truncated,
    filter: applied,
  });
  return { fileName: auditExportFileName(now), csv, rows: rows.length, truncated };
}
