import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { AppShell } from "~/components/app-shell";
import { NoOrganization } from "~/components/no-organization";
import { authHref, safeCallbackUrl } from "~/components/callback-url";
import { REQUEST_PATH_HEADER } from "~/server/lib/request-meta";
import { api } from "~/trpc/server";
import { loadSession } from "./_lib/tenant";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { user, tenant } = await loadSession();
  if (!user) {
    const requested = (await headers()).get(REQUEST_PATH_HEADER);
    redirect(authHref("/sign-in", { callbackUrl: safeCallbackUrl(requested) }));
  }
  if (!tenant) return <NoOrganization user={user} />;

  const organizations = await api.tenants.mine();
  return (
    <AppShell
      user={user}
      organization={{ id: tenant.organization.id, name: tenant.organization.name }}
      role={tenant.role}
      permissions={tenant.permissions}
      organizations={organizations}
    >
      {children}
    </AppShell>
  );
}
