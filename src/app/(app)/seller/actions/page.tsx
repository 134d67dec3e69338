import { getTranslations } from "next-intl/server";

import { ActionQueue } from "~/components/actions/action-queue";
import { PageHeader } from "~/components/page-header";
import { ProviderOutageBanner } from "~/components/resilience/provider-outage-banner";
import { titleMetadata } from "~/components/page-metadata";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("actions");

export default async function ActionsPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("actions");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <ProviderOutageBanner area="marketplace" />
      <HydrateClient>
        {/* The UI only hides what the server would refuse; the server still decides. */}
        <ActionQueue canApprove={can(session.tenant, "actions:approve")} />
      </HydrateClient>
    </div>
  );
}
