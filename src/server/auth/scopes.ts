import type { Permission } from "./permissions";

/**
 * API key scopes: read or write per domain. A request made with an API key may call a tenant
 * procedure only when one of the key's scopes covers the procedure's permission. Permissions mapped
 * to `null` (members, billing, audit, jobs, developer settings) are never reachable with a key:
 * a leaked key can neither mint keys nor change who is in the organization.
 */
export const API_SCOPES = [
  "listings:read",
  "listings:write",
  "actions:read",
  "actions:write",
  "content:read",
  "content:write",
  "connections:read",
  "connections:write",
  "engagement:write",
] as const;

export type ApiScope = (typeof API_SCOPES)[number];

export const SCOPE_OF_PERMISSION: Record<Permission, ApiScope | null> = {
  "org:read": null,
  "org:update": null,
  "members:read": null,
  "members:invite": null,
  "members:manage": null,
  "audit:read": null,
  "connections:read": "connections:read",
  "connections:manage": "connections:write",
  "listings:read": "listings:read",
  "scores:read": "listings:read",
  "scores:recompute": "listings:write",
  "scores:configure": "listings:write",
  "actions:read": "actions:read",
  "actions:approve": "actions:write",
  // content:read also covers media, publications, analytics and comments (they share it today).
  "content:read": "content:read",
  "content:write": "content:write",
  "content:approve": "content:write",
  "social:publish": "content:write",
  "comments:reply": "engagement:write",
  "automations:manage": "engagement:write",
  "notifications:read": null,
  "billing:read": null,
  "billing:manage": null,
  "jobs:read": null,
  "jobs:retry": null,
  "developers:manage": null,
  "security:manage": null,
  "org:erase": null,
};

/** A write scope implies the read scope of the same domain. */
export function scopeAllows(scopes: readonly string[], permission: Permission): boolean {
  const needed = SCOPE_OF_PERMISSION[permission];
  if (!needed) return false;
  if (scopes.includes(needed)) return true;
  const [domain, level] = needed.split(":");
  return level === "read" && scopes.includes(`${domain}:write`);
}
