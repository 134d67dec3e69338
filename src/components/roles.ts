import type { Role } from "./role-badge";

/**
 * Role order as the server sees it (src/server/auth/permissions.ts). The UI uses it only to avoid
 * offering what the server would refuse; the server still decides.
 */
export const ROLES: readonly Role[] = ["OWNER", "MANAGER", "OPERATOR", "VIEWER"];
export const ROLE_RANK: Record<Role, number> = { OWNER: 4, MANAGER: 3, OPERATOR: 2, VIEWER: 1 };

/** Roles the caller may grant: only owners grant ownership. */
export function grantableRoles(myRole: Role): readonly Role[] {
  return myRole === "OWNER" ? ROLES : ROLES.filter((role) => role !== "OWNER");
}
