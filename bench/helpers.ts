import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function summarize(samplesMs: number[]) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
  };
}

/** Figures go to docs/benchmarks/<name>.json (committed), next to the prose in docs/benchmarks.md. */
export function record(name: string, figures: Record<string, unknown>) {
  const dir = path.join(import.meta.dirname, "..", "docs", "benchmarks");
  fs.mkdirSync(dir, { recursive: true });
  const body = { name, measuredAt: new Date().toISOString(), machine: machineFacts(), ...figures };
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(body, null, 2) + "\n");
  console.log(`\n${name}:`, JSON.stringify(figures, null, 2));
}

function machineFacts() {
  return { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}
