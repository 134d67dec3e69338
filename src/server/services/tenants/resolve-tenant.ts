import { memberRoleWithinPlan } from "~/server/billing/entitlements";
import { AppError } from "~/server/lib/errors";
import { listUserOrganizations } from "~/server/repositories/memberships";
import { findActiveUserById, setActiveOrganization } from "~/server/repositories/users";
import type { Tenant, UserCtx } from "../context";

/**
 * The caller's active organization and role, re-checked against memberships on every request:
 * a removed member loses access at once even with a valid session. If the remembered organization
 * is gone, fall back to the user's oldest membership. After a downgrade, members beyond the plan's
 * seats (the newest memberships; never owners) act as VIEWER: the role, the seat rank and the plan
 * come from one query.
 */
export async function resolveTenant(
  ctx: UserCtx,
  /** The user row when the caller loaded it already in this request (saves a query). */
  loaded?: { id: string; activeOrganizationId: string | null },
): Promise<Tenant> {
  const user = loaded ?? (await findActiveUserById(ctx.db, ctx.userId));
  if (!user) throw new AppError("UNAUTHORIZED", "signInRequired", "Sign in to continue");

  if (user.activeOrganizationId) {
    const role = await memberRoleWithinPlan(ctx.db, user.activeOrganizationId, user.id);
    if (role) return { organizationId: user.activeOrganizationId, userId: user.id, role };
  }

  const [first] = await listUserOrganizations(ctx.db, user.id);
  if (!first) {
    throw new AppError("PRECONDITION_FAILED", "noOrganization", "You are not a member of any organization");
  }
  await setActiveOrganization(ctx.db, user.id, first.organization.id);
  const role = (await memberRoleWithinPlan(ctx.db, first.organization.id, user.id)) ?? first.role;
  return { organizationId: first.organization.id, userId: user.id, role };
}
