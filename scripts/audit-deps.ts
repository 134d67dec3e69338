/**
 * `npm run audit:deps`: production dependencies against the npm advisory database, high and
 * critical only, minus the exceptions explained in docs/security.md (listed in
 * docs/security-exceptions.json). Exit 0 clean, 1 findings, 3 no verdict (database unreachable —
 * the case on offline machines, where the registry mirror does not serve advisories).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

import { judgeAudit, type AuditException } from "./lib/audit-report";

const root = path.resolve(import.meta.dirname, "..");
const exceptions = JSON.parse(fs.readFileSync(path.join(root, "docs/security-exceptions.json"), "utf8")) as AuditException[];
const result = spawnSync("npm", ["audit", "--omit=dev", "--json"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const verdict = judgeAudit(result.stdout, exceptions);

switch (verdict.kind) {
  case "clean":
    console.log(`npm audit --omit=dev: no high or critical advisory (${verdict.total} lower ones; ${verdict.accepted.length} accepted exceptions).`);
    process.exit(0);
    break;
  case "findings":
    console.error("npm audit --omit=dev: high/critical advisories without an explained exception:");
    for (const finding of verdict.findings) console.error(`  ${finding}`);
    console.error("Upgrade, or explain the exception in docs/security.md and docs/security-exceptions.json.");
    process.exit(1);
    break;
  case "unknown":
    console.warn(`npm audit --omit=dev: no verdict — ${verdict.reason}. Run it where the registry serves advisories.`);
    process.exit(3);
}
