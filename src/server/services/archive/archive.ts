/**
 * What owners and managers see and do with their organization's raw archive: its partitions and
 * sizes, its retention, and a reprocess request (run by the `archive-reprocess` function).
 */
import { env } from "~/env";
import type { Db } from "~/server/db";
import { inngest } from "~/server/jobs/client";
import { archiveReprocessRequested, jobContextOf } from "~/server/jobs/events";
import { AppError, notFound } from "~/server/lib/errors";
import { logger } from "~/server/lib/logger";
import { findConnection } from "~/server/repositories/connections";
import { organizationSettingsByIds, setRawArchiveRetentionSetting } from "~/server/repositories/raw-archive";
import { findErasureRequest } from "~/server/repositories/privacy-erasure";
import { findOrganizationSettings } from "~/server/repositories/scores";
import { audit } from "../audit";
import type { TenantCtx } from "../context";
import { isoDay, listArchiveObjects, parseArchiveKey, rawArchiveStorage, type ArchiveKind } from "./raw-archive";
import type { ReprocessKind } from "./reprocess";

/** The longest range one reprocess request covers. */
export const MAX_REPROCESS_DAYS = 366;
const DAY_MS = 86_400_000;

/** settings.rawArchiveRetentionDays when valid, else RAW_ARCHIVE_RETENTION_DAYS. */
export function archiveRetentionDaysOf(settings: unknown): number {
  const stored = typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>).rawArchiveRetentionDays : undefined;
  return typeof stored === "number" && Number.isInteger(stored) && stored >= 1 && stored <= 3650 ? stored : env.RAW_ARCHIVE_RETENTION_DAYS;
}

export type ArchivePartition = { provider: string; date: string; kind: ArchiveKind; objects: number; bytes: number };

/** The organization's partitions (provider × day × kind), newest first, with object counts and sizes. */
export async function listArchive(ctx: TenantCtx, input: { from?: string; to?: string }) {
  const organizationId = ctx.tenant.organizationId;
  const objects = await listArchiveObjects(organizationId, { from: input.from, to: input.to });
  const partitions = new Map<string, ArchivePartition>();
  for (const o of objects) {
    const id = `${o.provider}/${o.date}/${o.kind}`;
    const p = partitions.get(id) ?? { provider: o.provider, date: o.date, kind: o.kind, objects: 0, bytes: 0 };
    p.objects += 1;
    p.bytes += o.size;
    partitions.set(id, p);
  }
  const settings = await findOrganizationSettings(ctx.db, organizationId);
  return {
    partitions: [...partitions.values()].sort((a, b) => b.date.localeCompare(a.date) || a.provider.localeCompare(b.provider) || a.kind.localeCompare(b.kind)),
    totalBytes: objects.reduce((sum, o) => sum + o.size, 0),
    retentionDays: archiveRetentionDaysOf(settings),
    storage: env.RAW_ARCHIVE_S3_BUCKET ? ("s3" as const) : ("local" as const),
    enabled: env.RAW_ARCHIVE_ENABLED,
  };
}

/** Queues a rebuild from the archive; the connection (when named) must be this organization's. */
export async function requestReprocess(ctx: TenantCtx, input: { kind: ReprocessKind; connectionId?: string; from: string; to: string }) {
  if (input.connectionId && !(await findConnection(ctx.db, ctx.tenant.organizationId, input.connectionId))) throw notFound("Connection");
  const days = (Date.parse(`${input.to}T00:00:00Z`) - Date.parse(`${input.from}T00:00:00Z`)) / DAY_MS;
  if (!(days >= 0)) throw new AppError("BAD_REQUEST", "archiveRangeInvalid", "The range must end on or after its first day");
  if (days >= MAX_REPROCESS_DAYS) throw new AppError("BAD_REQUEST", "archiveRangeTooLong", `At most ${MAX_REPROCESS_DAYS} days per request`);
  await audit(ctx.db, { organizationId: ctx.tenant.organizationId, userId: ctx.tenant.userId, request: ctx.request }, "archive.reprocessRequested", undefined, {
    kind: input.kind,
    connectionId: input.connectionId ?? null,
    from: input.from,
    to: input.to,
  });
  await inngest.send(archiveReprocessRequested.create({ ...jobContextOf(ctx), ...input }));
  return { queued: true as const };
}

/** Stores the organization's archive retention (null = the server default), audited. */
export async function setArchiveRetention(ctx: TenantCtx, days: number | null) {
  const organizationId = ctx.tenant.organizationId;
  const before = archiveRetentionDaysOf(await findOrganizationSettings(ctx.db, organizationId));
  await ctx.db.$transaction(async (tx) => {
    await setRawArchiveRetentionSetting(tx, organizationId, days);
    await audit(tx, { organizationId, userId: ctx.tenant.userId, request: ctx.request }, "archive.retentionUpdated", { type: "organization", id: organizationId }, { before, after: days });
  });
  return { retentionDays: days ?? env.RAW_ARCHIVE_RETENTION_DAYS };
}

/**
 * Deletes every archive object older than its organization's retention (whole days: a partition
 * goes once all of it is older). Part of the daily privacy/retention function. An organization
 * this database does not know gets the default retention, not an immediate purge: a bucket shared
 * by two environments must not lose the other one's archive (an erased organization's archive is
 * removed by the erasure itself, removeErasedRawArchive).
 */
export async function pruneRawArchive(db: Db, now = new Date()): Promise<{ organizations: number; removed: number; bytes: number }> {
  const storage = rawArchiveStorage();
  const objects = (await storage.list("")).map(parseArchiveKey).filter((o) => o !== null);
  const byOrg = new Map<string, typeof objects>();
  for (const o of objects) {
    const org = o.key.slice("org=".length, o.key.indexOf("/"));
    byOrg.set(org, [...(byOrg.get(org) ?? []), o]);
  }
  const settings = await organizationSettingsByIds(db, [...byOrg.keys()]);
  let removed = 0;
  let bytes = 0;
  for (const [organizationId, own] of byOrg) {
    const cutoff = isoDay(new Date(now.getTime() - archiveRetentionDaysOf(settings.get(organizationId)) * DAY_MS));
    for (const o of own) {
      if (o.date >= cutoff) continue;
      await storage.remove(o.key);
      removed += 1;
      bytes += o.size;
    }
  }
  logger.info({ organizations: byOrg.size, removed, bytes }, "raw archive pruned");
  return { organizations: byOrg.size, removed, bytes };
}

/**
 * LGPD organization erasure: removes the whole archive of an organization whose erasure is pending
 * (a step of privacy/organization.erase, before its rows go). Once the row is gone, the daily
 * pruning removes whatever is left.
 */
export async function removeErasedRawArchive(db: Db, organizationId: string): Promise<{ removed: number }> {
  const pending = await findErasureRequest(db, organizationId);
  if (!pending?.erasureRequestedAt) return { removed: 0 };
  const storage = rawArchiveStorage();
  const objects = await listArchiveObjects(organizationId);
  for (const o of objects) await storage.remove(o.key);
  return { removed: objects.length };
}
