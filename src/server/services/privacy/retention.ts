/**
 * How long personal data is kept, table by table — the single source of the retention column of
 * the /privacy page and of what the daily `privacy/retention` function deletes.
 */
import { env } from "~/env";
import type { Db } from "~/server/db";
import { allowAuditMaintenance } from "~/server/repositories/audit";
import { deleteBatch } from "~/server/repositories/privacy-retention";
import { audit } from "../audit";
import { JOB_RUN_RETENTION_DAYS, PURGE_AFTER_DAYS } from "../jobs/purge";

const DAY_MS = 86_400_000;
/** 13 months of product telemetry (docs/product-telemetry.md). */
export const PRODUCT_EVENT_RETENTION_DAYS = 395;
/** Rows per DELETE statement. */
export const RETENTION_BATCH = 1_000;
export const RETENTION_AUDIT_ACTION = "privacy.retentionApplied";

export type RetentionRule = {
  key: "auditLogs" | "sessions" | "notifications" | "recoveryCodes" | "externalEvents" | "invitations" | "productEvents";
  table: string;
  /** SQL condition on the row's age; `$1` is the cutoff (now − days). */
  condition: string;
  days: number;
  /** Audit rows are append-only: deleting them needs allowAuditMaintenance in the same transaction. */
  audit?: boolean;
};

export const RETENTION_RULES: readonly RetentionRule[] = [
  // Security and accountability trail: AUDIT_RETENTION_DAYS (default 365, never under 180 — the
  // ANPD asks controllers to be able to reconstruct incidents; 6 months is the Marco Civil floor).
  { key: "auditLogs", table: "audit_logs", condition: "created_at < $1", days: env.AUDIT_RETENTION_DAYS, audit: true },
  // A revoked or expired session only serves to answer "was that me?" on the sessions card for a while.
  { key: "sessions", table: "user_sessions", condition: "(revoked_at < $1 OR expires_at < $1)", days: 30 },
  // Read notifications lose their purpose once seen; 90 days keeps the recent history browsable.
  // Read state is per person (notification_reads): the first reading starts the 90 days.
  { key: "notifications", table: "notifications", condition: "id IN (SELECT notification_id FROM notification_reads WHERE read_at < $1)", days: 90 },
  // A used recovery code is worthless as a credential; kept 30 days to investigate a takeover.
  { key: "recoveryCodes", table: "recovery_codes", condition: "used_at < $1", days: 30 },
  // Idempotency keys of webhooks and automations: providers (Stripe: 3 days) stop retrying long
  // before 30 days, after which a duplicate can no longer arrive.
  { key: "externalEvents", table: "processed_external_events", condition: "processed_at < $1", days: 30 },
  // Invitations never accepted (expired or revoked) hold an e-mail address of someone who is not a
  // member; accepted ones stay (who invited whom is part of the membership's history).
  { key: "invitations", table: "invitations", condition: "accepted_at IS NULL AND (expires_at < $1 OR revoked_at < $1)", days: 30 },
  // Product telemetry (ids and feature names only): 13 months covers a year-over-year comparison
  // of the same month; older usage no longer informs product decisions.
  { key: "productEvents", table: "product_events", condition: "occurred_at < $1", days: PRODUCT_EVENT_RETENTION_DAYS },
  // Not here: finished job runs (purge-soft-deleted prunes them after JOB_RUN_RETENTION_DAYS),
  // webhook deliveries (their own function), soft-deleted rows (PURGE_AFTER_DAYS).
];

/** The retention the /privacy page shows for what other functions already prune. */
export const OTHER_RETENTION_DAYS = {
  softDeleted: PURGE_AFTER_DAYS,
  jobRuns: JOB_RUN_RETENTION_DAYS,
  // The raw archive's default (docs/data-lake.md): an organization may set its own.
  rawArchive: env.RAW_ARCHIVE_RETENTION_DAYS,
} as const;

export type RetentionSummary = Record<RetentionRule["key"], number>;

/** Runs one rule to the end in batches; each batch is its own short transaction. */
export async function applyRetentionRule(db: Db, rule: RetentionRule, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - rule.days * DAY_MS);
  let total = 0;
  for (;;) {
    const deleted = await db.$transaction(async (tx) => {
      if (rule.audit) await allowAuditMaintenance(tx);
      return deleteBatch(tx, rule.table, rule.condition, cutoff, RETENTION_BATCH);
    });
    total += deleted;
    if (deleted < RETENTION_BATCH) return total;
  }
}

/** Writes the one system audit entry of a run: counts only, no personal data. */
export async function auditRetention(db: Db, counts: RetentionSummary, correlationId?: string) {
  await audit(db, { organizationId: null, userId: null, request: correlationId ? { correlationId } : undefined }, RETENTION_AUDIT_ACTION, undefined, {
    counts,
    days: Object.fromEntries(RETENTION_RULES.map((r) => [r.key, r.days])),
  });
}

/** Every rule, then the audit entry (what the daily function does, in one call for tests and scripts). */
export async function applyRetention(db: Db, now = new Date()): Promise<RetentionSummary> {
  const counts = {} as RetentionSummary;
  for (const rule of RETENTION_RULES) counts[rule.key] = await applyRetentionRule(db, rule, now);
  await auditRetention(db, counts);
  return counts;
}
