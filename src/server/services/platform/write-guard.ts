import type { DbOrTx } from "~/server/db";
import { assertOrganizationWritable } from "~/server/billing/entitlements";
import { AppError } from "~/server/lib/errors";
import { getMaintenance } from "./maintenance";

/**
 * The platform-level gates every write passes (tRPC mutations and the route handlers that bypass
 * tRPC): maintenance mode refuses writes for everyone but platform admins; a suspended
 * organization is read-only.
 */
export async function assertPlatformWritable(db: DbOrTx, user: { isPlatformAdmin: boolean }) {
  if (user.isPlatformAdmin) return;
  const maintenance = await getMaintenance(db);
  if (maintenance.enabled) {
    throw new AppError("SERVICE_UNAVAILABLE", "maintenance", "The platform is in maintenance: changes are paused for a moment", {
      message: maintenance.message,
    });
  }
}

export async function assertTenantWritable(db: DbOrTx, user: { isPlatformAdmin: boolean }, organizationId: string) {
  await assertPlatformWritable(db, user);
  await assertOrganizationWritable(db, organizationId);
}
