import "server-only";

import { TRPCError } from "@trpc/server";
import { cache } from "react";

import { auth } from "~/server/auth/config";
import { api } from "~/trpc/server";

export type CurrentTenant = Awaited<ReturnType<typeof api.tenants.current>>;

/**
 * The signed-in user and their active organization, loaded once per request and shared by the
 * layout and the page (React `cache`). `tenant` is null when the user belongs to no organization;
 * `user` is null when signed out or the account no longer exists. `ownerTwoFactorMissing`: an
 * OWNER of an organization that requires two-factor authentication, who has not turned it on —
 * the server refuses their organization procedures (trpc.ts) until they do, so the layout shows
 * a banner and pages other than Settings → Security render an explanation instead.
 */
export const loadSession = cache(async () => {
  const session = await auth();
  const sessionUser = session?.user;
  if (!sessionUser?.id) return { user: null, tenant: null, ownerTwoFactorMissing: false } as const;
  const user = { id: sessionUser.id, name: sessionUser.name ?? "", email: sessionUser.email ?? "" };
  try {
    const tenant = await api.tenants.current();
    const ownerTwoFactorMissing = tenant.role === "OWNER" && (await lacksRequiredTwoFactor());
    return { user, tenant, ownerTwoFactorMissing } as const;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return { user: null, tenant: null, ownerTwoFactorMissing: false } as const;
    if (error instanceof TRPCError && error.code === "PRECONDITION_FAILED") return { user, tenant: null, ownerTwoFactorMissing: false } as const;
    throw error;
  }
});

/** Both procedures stay open to an owner without the required second factor (trpc.ts). */
async function lacksRequiredTwoFactor(): Promise<boolean> {
  const policy = await api.security.twoFactor.organizationPolicy();
  if (!policy.requireOwnerTwoFactor) return false;
  const status = await api.security.twoFactor.status();
  return !status.enabled;
}

/**
 * For pages. Null when the layout is already showing the sign-in redirect, the "no organization"
 * screen or the owner two-factor gate instead of the page, so a page can simply render nothing
 * then (and never calls procedures the server would refuse). Settings → Security, where the
 * owner turns two-factor authentication on, passes `allowWithoutOwnerTwoFactor`.
 */
export async function requireTenant(options: { allowWithoutOwnerTwoFactor?: boolean } = {}) {
  const { user, tenant, ownerTwoFactorMissing } = await loadSession();
  if (ownerTwoFactorMissing && !options.allowWithoutOwnerTwoFactor) return null;
  return user && tenant ? { user, tenant } : null;
}

export function can(tenant: CurrentTenant, permission: string): boolean {
  return tenant.permissions.includes(permission);
}
