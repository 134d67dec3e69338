import type { DbOrTx } from "~/server/db";
import { findFlagWithOverride } from "~/server/repositories/platform";

/**
 * Feature flags: a global value per key, overridden per organization by platform admins. A flag
 * nobody created is off. Known flags are listed in KNOWN_FLAGS (the admin page offers them).
 */
export const KNOWN_FLAGS = {
  // Off → the AI layer answers with the local generator only (a kill switch for LLM spend).
  "ai.llm": { description: "Use the configured LLM for suggestions and replies", defaultEnabled: true },
} as const;
export type KnownFlag = keyof typeof KNOWN_FLAGS;

export async function isFeatureEnabled(db: DbOrTx, key: string, organizationId: string | null): Promise<boolean> {
  const flag = await findFlagWithOverride(db, key, organizationId);
  if (!flag) return key in KNOWN_FLAGS ? KNOWN_FLAGS[key as KnownFlag].defaultEnabled : false;
  const override = Array.isArray(flag.overrides) ? flag.overrides[0] : undefined;
  return override ? override.enabled : flag.enabled;
}
