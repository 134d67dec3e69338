import type { Db } from "~/server/db";
import type { Prisma } from "~/generated/prisma/client";
import {
  countBlockedUsers,
  deleteFinishedRunsBefore,
  PURGEABLE_TABLES,
  purgeTable,
  type PurgeableTable,
} from "~/server/repositories/jobs";
import { allowAuditMaintenance } from "~/server/repositories/audit";
import { audit } from "../audit";

/** Soft-deleted rows are kept this long (the undo window), then removed for good. */
export const PURGE_AFTER_DAYS = 30;
/** Finished runs of the local runner are kept this long for the runs view. */
export const JOB_RUN_RETENTION_DAYS = 30;

const DAY_MS = 86_400_000;

export const PURGE_AUDIT_ACTION = "maintenance.softDeletedPurged";

export type PurgeSummary = {
  cutoff: string;
  /** Rows removed per organization (organizations that still exist) and table. */
  byOrganization: Record<string, Partial<Record<PurgeableTable, number>>>;
  purgedOrganizations: number;
  purgedUsers: number;
  /** Soft-deleted users kept because invitations or API keys still name them as author. */
  blockedUsers: number;
  total: number;
};

/**
 * Removes rows soft-deleted more than PURGE_AFTER_DAYS ago from every table with `deletedAt`,
 * children before parents, and records it in the audit log in the same transaction: one entry per
 * organization affected, plus one system entry (organizationId null) when whole organizations or
 * user accounts were removed (their own audit entries go with them, so the trace must live
 * outside). Idempotent: a retry removes what is left and audits only that.
 *
 * With `organizationId`, only that organization's business rows are considered (never
 * organizations or users).
 */
export async function purgeSoftDeletedRows(
  db: Db,
  opts: { now?: Date; organizationId?: string; correlationId?: string; userId?: string } = {},
): Promise<PurgeSummary> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - PURGE_AFTER_DAYS * DAY_MS);
  const tables = opts.organizationId
    ? PURGEABLE_TABLES.filter((t) => t !== "organizations" && t !== "users")
    : PURGEABLE_TABLES;

  return db.$transaction(
    async (tx) => {
      // Removing an organization or an account removes (or detaches) its audit rows too.
      if (!opts.organizationId) await allowAuditMaintenance(tx);
      const byOrganization: PurgeSummary["byOrganization"] = {};
      const purged: Partial<Record<PurgeableTable, string[]>> = {};
      for (const table of tables) {
        const rows = await purgeTable(tx, table, cutoff, opts.organizationId);
        purged[table] = rows.map((r) => r.id);
        for (const row of rows) {
          if (!row.organizationId) continue;
          const counts = (byOrganization[row.organizationId] ??= {});
          counts[table] = (counts[table] ?? 0) + 1;
        }
      }
      const removedOrgs = new Set(purged.organizations ?? []);
      // Rows of an organization removed in this same run went with it: count them in the system entry.
      for (const orgId of removedOrgs) delete byOrganization[orgId];

      const request = opts.correlationId ? { correlationId: opts.correlationId } : undefined;
      const cutoffIso = cutoff.toISOString();
      for (const [organizationId, counts] of Object.entries(byOrganization)) {
        await audit(tx, { organizationId, userId: opts.userId ?? null, request }, PURGE_AUDIT_ACTION, undefined, {
          olderThan: cutoffIso,
          counts,
        });
      }
      const purgedOrganizations = removedOrgs.size;
      const purgedUsers = purged.users?.length ?? 0;
      const blockedUsers = opts.organizationId ? 0 : await countBlockedUsers(tx, cutoff);
      if (purgedOrganizations > 0 || purgedUsers > 0) {
        const metadata: Prisma.InputJsonObject = {
          olderThan: cutoffIso,
          // Ids only: these rows are gone, and names or e-mails would be personal data kept on.
          organizationIds: [...removedOrgs],
          users: purgedUsers,
          blockedUsers,
        };
        await audit(tx, { organizationId: null, userId: null, request }, PURGE_AUDIT_ACTION, undefined, metadata);
      }
      const total = Object.values(purged).reduce((n, ids) => n + (ids?.length ?? 0), 0);
      return { cutoff: cutoffIso, byOrganization, purgedOrganizations, purgedUsers, blockedUsers, total };
    },
    // A daily batch, not a request: allow it time (the default interactive timeout is 5 s).
    { timeout: 10 * 60_000, maxWait: 30_000 },
  );
}

/** Deletes finished local-runner runs older than JOB_RUN_RETENTION_DAYS. */
export function pruneFinishedJobRuns(db: Db, now: Date = new Date()) {
  return deleteFinishedRunsBefore(db, new Date(now.getTime() - JOB_RUN_RETENTION_DAYS * DAY_MS));
}
