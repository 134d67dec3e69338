import type { Role } from "~/generated/prisma/enums";

/**
 * The one permission table. Each procedure names exactly one permission in its meta; the tenant
 * guard checks it against the caller's role in the active organization.
 */
export const ROLES = ["OWNER", "MANAGER", "OPERATOR", "VIEWER"] as const satisfies readonly Role[];

/** Higher number = more power. Used to stop managers from acting on owners. */
export const ROLE_RANK: Record<Role, number> = { OWNER: 4, MANAGER: 3, OPERATOR: 2, VIEWER: 1 };

export const PERMISSIONS = {
  "org:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  "org:update": ["OWNER", "MANAGER"],
  "members:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  "members:invite": ["OWNER", "MANAGER"],
  "members:manage": ["OWNER", "MANAGER"],
  "audit:read": ["OWNER"],
  "connections:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  "connections:manage": ["OWNER", "MANAGER"],
  "listings:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  "scores:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  // Recompute now (and regenerate recommendations): work anyone who may act on listings may ask for.
  "scores:recompute": ["OWNER", "MANAGER", "OPERATOR"],
  // Score weights change every listing's score: organization settings.
  "scores:configure": ["OWNER", "MANAGER"],
  "actions:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  // Approve, reject, edit-then-approve, bulk approve, regenerate a suggestion's copy.
  "actions:approve": ["OWNER", "MANAGER", "OPERATOR"],
  "content:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  "content:write": ["OWNER", "MANAGER", "OPERATOR"],
  // Approve or send back a content piece in review (the approval stage before scheduling).
  "content:approve": ["OWNER", "MANAGER"],
  // Schedule, reschedule, cancel and retry publications.
  "social:publish": ["OWNER", "MANAGER", "OPERATOR"],
  // Reply to and hide comments.
  "comments:reply": ["OWNER", "MANAGER", "OPERATOR"],
  // Auto-reply rules act for the organization in public: managers and owners.
  "automations:manage": ["OWNER", "MANAGER"],
  "notifications:read": ["OWNER", "MANAGER", "OPERATOR", "VIEWER"],
  "billing:read": ["OWNER", "MANAGER"],
  "billing:manage": ["OWNER"],
  // Background job runs can carry any feature's errors: owners only.
  "jobs:read": ["OWNER"],
  "jobs:retry": ["OWNER"],
  // API keys and outbound webhook endpoints: credentials that act for the organization.
  "developers:manage": ["OWNER", "MANAGER"],
  // Organization security policy (owners must use two-factor authentication).
  "security:manage": ["OWNER"],
  // LGPD: erase the whole organization, everything in it included.
  "org:erase": ["OWNER"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}

/** The least powerful role that holds a permission (what the access test expects). */
export function minimumRole(permission: Permission): Role {
  const roles = PERMISSIONS[permission] as readonly Role[];
  return [...roles].sort((a, b) => ROLE_RANK[a] - ROLE_RANK[b])[0]!;
}
