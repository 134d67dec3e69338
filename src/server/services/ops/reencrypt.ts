/**
 * Key rotation, step 3 (docs/runbook.md): re-encrypts every secret at rest under the CURRENT key
 * of the ring. Rows already under the current key are skipped, so it is idempotent and can be
 * re-run after an interruption. Each row is its own small conditional update (no long
 * transaction, no lock on a table the app is using). A row that cannot be decrypted with the ring
 * is reported and left exactly as it is: overwriting it would lose the token for good.
 */
import type { Db } from "~/server/db";
import { ciphertextKeyId, decryptSecret, encryptSecret, keyId, type KeyRing } from "~/server/lib/crypto";
import { keyRing } from "~/server/lib/secrets";
import { SEALED_TABLES, type SealedRow, type SealedTable } from "~/server/repositories/secrets-at-rest";
import { audit } from "~/server/services/audit";

export type TableCounts = {
  /** Rows read (rows with at least one secret). */
  scanned: number;
  /** Rows rewritten under the current key. */
  reencrypted: number;
  /** Rows whose secrets were all under the current key already. */
  alreadyCurrent: number;
  /** Rows the app changed between our read and our write (their new values are current-key). */
  changedConcurrently: number;
  /** Rows that could not be decrypted with the ring: left untouched. */
  failed: number;
};

export type ReencryptFailure = { table: string; id: string; organizationId: string; column: string; keyId: string | null; error: string };

export type ReencryptReport = {
  /** Key id of the current key: every re-encrypted row carries it. */
  currentKeyId: string;
  tables: Record<string, TableCounts>;
  failures: ReencryptFailure[];
};

export type ReencryptOptions = {
  /** Rows read per query (default 200). */
  batchSize?: number;
  /** Key ring to use (default: the process's ring from the environment). */
  ring?: KeyRing;
  /** Tables to process (default: all of them). */
  tables?: readonly SealedTable[];
  /** Only this organization's rows (default: every organization). */
  organizationId?: string;
};

type RowOutcome = { kind: "current" } | { kind: "failed"; failure: Omit<ReencryptFailure, "table" | "id" | "organizationId"> } | { kind: "sealed"; after: Record<string, string | null> };

function resealRow(row: SealedRow, ring: KeyRing, currentId: string): RowOutcome {
  const after: Record<string, string | null> = {};
  let stale = false;
  for (const [column, value] of Object.entries(row.columns)) {
    if (value === null) {
      after[column] = null;
      continue;
    }
    const id = ciphertextKeyId(value);
    if (id === currentId) {
      after[column] = value;
      continue;
    }
    try {
      after[column] = encryptSecret(decryptSecret(value, ring), ring);
      stale = true;
    } catch (error) {
      // Never the plaintext or the ciphertext in the report: the key id and the reason only.
      return { kind: "failed", failure: { column, keyId: id, error: error instanceof Error ? error.message : "undecryptable" } };
    }
  }
  return stale ? { kind: "sealed", after } : { kind: "current" };
}

export async function reencryptSecrets(db: Db, options: ReencryptOptions = {}): Promise<ReencryptReport> {
  const ring = options.ring ?? keyRing();
  const batchSize = options.batchSize ?? 200;
  const currentKeyId = keyId(ring.current);
  const report: ReencryptReport = { currentKeyId, tables: {}, failures: [] };

  for (const table of options.tables ?? SEALED_TABLES) {
    const counts: TableCounts = { scanned: 0, reencrypted: 0, alreadyCurrent: 0, changedConcurrently: 0, failed: 0 };
    report.tables[table.name] = counts;
    let after: string | null = null;
    for (;;) {
      const rows = await table.page(db, after, batchSize, options.organizationId);
      if (rows.length === 0) break;
      for (const row of rows) {
        counts.scanned++;
        const outcome = resealRow(row, ring, currentKeyId);
        if (outcome.kind === "current") counts.alreadyCurrent++;
        else if (outcome.kind === "failed") {
          counts.failed++;
          report.failures.push({ table: table.name, id: row.id, organizationId: row.organizationId, ...outcome.failure });
        } else if (await table.replace(db, row.id, row.columns, outcome.after)) counts.reencrypted++;
        else counts.changedConcurrently++;
      }
      after = rows[rows.length - 1]!.id;
      if (rows.length < batchSize) break;
    }
  }

  const reencrypted = Object.values(report.tables).reduce((sum, t) => sum + t.reencrypted, 0);
  if (reencrypted > 0 || report.failures.length > 0) {
    await audit(db, { organizationId: null, userId: null }, "platform.secretsReencrypted", undefined, {
      currentKeyId,
      ...(options.organizationId ? { organizationId: options.organizationId } : {}),
      tables: report.tables,
      failed: report.failures.map((f) => ({ table: f.table, id: f.id, column: f.column, keyId: f.keyId })),
    });
  }
  return report;
}
