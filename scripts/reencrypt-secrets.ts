/**
 * `npm run secrets:reencrypt`: re-encrypts every secret at rest under the CURRENT key
 * (TOKEN_ENCRYPTION_KEY), reading older ones with TOKEN_ENCRYPTION_PREVIOUS_KEYS. Step 3 of the key
 * rotation in docs/runbook.md. Safe to re-run (rows already under the current key are skipped) and
 * safe while the app runs (one small conditional update per row).
 *
 *   npm run secrets:reencrypt                         every organization
 *   npm run secrets:reencrypt -- --organization <id>  one organization
 *   npm run secrets:reencrypt -- --batch-size 500
 *
 * Prints the counts per table and the rows that could not be decrypted (ids and key ids only,
 * never a secret). Exit code 1 if any row failed: do NOT remove the old key until it is 0.
 */
import { parseArgs } from "node:util";

import { db } from "../src/server/db";
import { reencryptSecrets } from "../src/server/services/ops/reencrypt";

async function main() {
  const { values } = parseArgs({
    options: { organization: { type: "string" }, "batch-size": { type: "string" } },
    strict: true,
  });
  const batchSize = values["batch-size"] ? Number(values["batch-size"]) : undefined;
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) throw new Error("--batch-size must be a positive integer");

  const report = await reencryptSecrets(db, { organizationId: values.organization, batchSize });
  console.log(`Current key id: ${report.currentKeyId}${values.organization ? ` (organization ${values.organization})` : ""}`);
  console.table(report.tables);
  for (const f of report.failures) {
    console.error(`FAILED ${f.table} ${f.id} (organization ${f.organizationId}) column ${f.column}: key id ${f.keyId ?? "unrecognised format"}: ${f.error}`);
  }
  const failed = report.failures.length;
  console.log(failed === 0 ? "Every secret is under the current key." : `${failed} row(s) could not be decrypted and were left untouched.`);
  return failed === 0 ? 0 : 1;
}

main()
  .then(async (code) => {
    await db.$disconnect();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await db.$disconnect().catch(() => undefined);
    process.exit(2);
  });
