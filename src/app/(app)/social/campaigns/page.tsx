import { getTranslations } from "next-intl/server";

import { CampaignsManager } from "~/components/content/campaigns-manager";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("campaigns");

export default async function CampaignsPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("campaigns");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <HydrateClient>
        <CampaignsManager canWrite={can(session.tenant, "content:write")} timeZone={session.tenant.organization.timeZone} />
      </HydrateClient>
    </div>
  );
}
