import "server-only";

import { TRPCError } from "@trpc/server";
import { cache } from "react";

import { auth } from "~/server/auth/config";
import { api } from "~/trpc/server";

export type CurrentTenant = Awaited<ReturnType<typeof api.tenants.current>>;

/**
 * The signed-in user and their active organization, loaded once per request and shared by the
 * layout and the page (React `cache`). `tenant` is null when the user belongs to no organization;
 * `user` is null when signed out or the account no longer exists.
 */
export const loadSession = cache(async () => {
  const session = await auth();
  const sessionUser = session?.user;
  if (!sessionUser?.id) return { user: null, tenant: null } as const;
  const user = { id: sessionUser.id, name: sessionUser.name ?? "", email: sessionUser.email ?? "" };
  try {
    const tenant = await api.tenants.current();
    return { user, tenant } as const;
  } catch (error) {
    if (error instanceof TRPCError && error.code === "UNAUTHORIZED") return { user: null, tenant: null } as const;
    if (error instanceof TRPCError && error.code === "PRECONDITION_FAILED") return { user, tenant: null } as const;
    throw error;
  }
});

/**
 * For pages. Null only when the layout is already showing the sign-in redirect or the
 * "no organization" screen instead of the page, so a page can simply render nothing then.
 */
export async function requireTenant() {
  const { user, tenant } = await loadSession();
  return user && tenant ? { user, tenant } : null;
}

export function can(tenant: CurrentTenant, permission: string): boolean {
  return tenant.permissions.includes(permission);
}
