import { AppShell } from "~/components/app-shell";
import { NoOrganization } from "~/components/no-organization";
import { SignInRedirect } from "~/components/sign-in-redirect";
import { api } from "~/trpc/server";
import { loadSession } from "./_lib/tenant";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { user, tenant } = await loadSession();
  if (!user) return <SignInRedirect />;
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
