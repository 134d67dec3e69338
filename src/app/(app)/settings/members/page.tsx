import { getTranslations } from "next-intl/server";

import { MembersManager } from "~/components/members/members-manager";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("members");

export default async function MembersPage() {
  const session = await requireTenant();
  if (!session) return null;
  const { tenant } = session;
  const t = await getTranslations("members");
  // Awaited so the first HTML already holds the lists (no loading flash, no second request).
  await Promise.all([
    api.tenants.members.list.prefetch(),
    can(tenant, "members:invite") ? api.tenants.invitations.list.prefetch() : null,
  ]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description", { organization: tenant.organization.name })} />
      <HydrateClient>
        <MembersManager myRole={tenant.role} permissions={tenant.permissions} organizationName={tenant.organization.name} />
      </HydrateClient>
    </div>
  );
}
