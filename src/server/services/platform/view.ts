import "server-only";

import { db } from "~/server/db";
import { findOrganizationForAdmin } from "~/server/repositories/platform";
import { findActiveUserById } from "~/server/repositories/users";
import { getMaintenance } from "./maintenance";

/**
 * What the layouts show about the platform's state: the maintenance banner (every page, signed in
 * or not), the suspended-organization banner and whether the user may open /admin. Read by server
 * components only; nothing here is a secret.
 */
export async function platformView(input: { userId: string | null; organizationId: string | null }) {
  const [maintenance, user, org] = await Promise.all([
    getMaintenance(db),
    input.userId ? findActiveUserById(db, input.userId) : null,
    input.organizationId ? findOrganizationForAdmin(db, input.organizationId) : null,
  ]);
  return {
    maintenance: maintenance.enabled ? { message: maintenance.message } : null,
    suspended: org?.status === "SUSPENDED" ? { reason: org.suspendedReason ?? "" } : null,
    isPlatformAdmin: user?.isPlatformAdmin ?? false,
  };
}
