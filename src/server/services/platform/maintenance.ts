import { z } from "zod";

import type { DbOrTx } from "~/server/db";
import { findSetting } from "~/server/repositories/platform";

export const MAINTENANCE_KEY = "maintenance";
export const ZMaintenance = z.object({ enabled: z.boolean(), message: z.string().max(500).default("") });
export type Maintenance = z.infer<typeof ZMaintenance>;

/**
 * Maintenance mode: a banner on every page, and writes refused for everyone but platform admins
 * while it is on. Read on every mutation, so it is cached for a few seconds per process.
 */
const CACHE_MS = 5_000;
let cached: { value: Maintenance; at: number } | null = null;

export async function getMaintenance(db: DbOrTx, options: { fresh?: boolean } = {}): Promise<Maintenance> {
  if (!options.fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const row = await findSetting(db, MAINTENANCE_KEY);
  const parsed = ZMaintenance.safeParse(row?.value ?? { enabled: false });
  const value = parsed.success ? parsed.data : { enabled: false, message: "" };
  cached = { value, at: Date.now() };
  return value;
}

/** Forget the cached value (after an admin changes it, and in tests). */
export function resetMaintenanceCache() {
  cached = null;
}
