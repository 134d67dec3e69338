/**
 * Type-checks sst.config.ts and infra/ against SST's generated platform types
 * (tsconfig.sst.json). Those types live in .sst/platform, which `npx sst install` (or any sst
 * command) creates; without it there is nothing to check against, so this prints why and exits 0.
 * Errors inside .sst/ itself (SST's own sources, e.g. two @types/node copies) are not ours: ignored.
 *
 *   node --import tsx scripts/typecheck-infra.ts
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
if (!existsSync(path.join(root, ".sst/platform/config.d.ts"))) {
  console.log("typecheck-infra: skipped, .sst/platform is missing (run `npx sst install` once to generate SST's types).");
  process.exit(0);
}

const tsc = path.join(root, "node_modules/typescript/bin/tsc");
const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.sst.json", "--pretty", "false"], { cwd: root, encoding: "utf8" });
const lines = `${run.stdout}${run.stderr}`.split("\n").filter((l) => l.trim() !== "");
// An error line starts with its file; continuation lines (indented) belong to the error above.
const ours: string[] = [];
let keep = false;
for (const line of lines) {
  if (!/^\s/.test(line)) keep = !line.startsWith(".sst/");
  if (keep) ours.push(line);
}
if (ours.length > 0) {
  console.error(ours.join("\n"));
  process.exit(1);
}
const ignored = lines.length > 0 ? ` (${lines.filter((l) => l.startsWith(".sst/")).length} error(s) inside .sst/ ignored)` : "";
console.log(`typecheck-infra: sst.config.ts and infra/ type-check${ignored}.`);
