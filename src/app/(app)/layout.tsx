import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { AppShell } from "~/components/app-shell";
import { NoOrganization } from "~/components/no-organization";
import { OwnerTwoFactorGate } from "~/components/security/owner-two-factor-gate";
import { PlatformBanners } from "~/components/platform-banners";
import { authHref, safeCallbackUrl } from "~/components/callback-url";
import { REQUEST_PATH_HEADER } from "~/server/lib/request-meta";
import { platformView } from "~/server/services/platform/view";
import { api } from "~/trpc/server";
import { loadSession } from "./_lib/tenant";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { user, tenant, ownerTwoFactorMissing } = await loadSession();
  if (!user) {
    const requested = (await headers()).get(REQUEST_PATH_HEADER);
    redirect(authHref("/sign-in", { callbackUrl: safeCallbackUrl(requested) }));
  }
  const platform = await platformView({ userId: user.id, organizationId: tenant?.organization.id ?? null });
  if (!tenant) {
    return (
      <>
        <PlatformBanners maintenance={platform.maintenance} className="mx-auto flex max-w-3xl flex-col gap-3 px-4 pt-4" />
        <NoOrganization user={{ ...user, isPlatformAdmin: platform.isPlatformAdmin }} />
      </>
    );
  }

  const organizations = await api.tenants.mine();
  return (
    <AppShell
      user={{ ...user, isPlatformAdmin: platform.isPlatformAdmin }}
      organization={{ id: tenant.organization.id, name: tenant.organization.name }}
      role={tenant.role}
      permissions={tenant.permissions}
      organizations={organizations}
    >
      <PlatformBanners maintenance={platform.maintenance} suspended={platform.suspended} ownerTwoFactorMissing={ownerTwoFactorMissing} className="mb-6 flex flex-col gap-3" />
      <OwnerTwoFactorGate locked={ownerTwoFactorMissing}>{children}</OwnerTwoFactorGate>
    </AppShell>
  );
}
