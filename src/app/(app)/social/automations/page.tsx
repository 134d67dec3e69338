import { getTranslations } from "next-intl/server";

import { AutomationsView } from "~/components/engagement/automations";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("automations");

export default async function AutomationsPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("automations");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <HydrateClient>
        <AutomationsView canManage={can(session.tenant, "automations:manage")} />
      </HydrateClient>
    </div>
  );
}
