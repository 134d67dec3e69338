import { readdir } from "node:fs/promises";
import path from "node:path";

import type { Db } from "~/server/db";
import { appliedMigrationNames } from "~/server/repositories/health";

/** Migration folders shipped with this build (prisma/migrations/<timestamp>_<name>). */
async function expectedMigrations(): Promise<string[]> {
  const dir = path.join(process.cwd(), "prisma", "migrations");
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

export type Readiness = {
  ready: boolean;
  checks: { database: "ok" | "unreachable"; migrations: "ok" | "pending" | "unknown"; pending?: string[] };
};

export async function checkReadiness(db: Db): Promise<Readiness> {
  let applied: Set<string>;
  try {
    applied = new Set(await appliedMigrationNames(db));
  } catch {
    return { ready: false, checks: { database: "unreachable", migrations: "unknown" } };
  }
  const pending = (await expectedMigrations()).filter((name) => !applied.has(name));
  return pending.length === 0
    ? { ready: true, checks: { database: "ok", migrations: "ok" } }
    : { ready: false, checks: { database: "ok", migrations: "pending", pending } };
}
