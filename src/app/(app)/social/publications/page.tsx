import { getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { ProviderOutageBanner } from "~/components/resilience/provider-outage-banner";
import { titleMetadata } from "~/components/page-metadata";
import { PUBLICATION_TABS, type PublicationTab } from "~/components/publications/format";
import { PublicationsBoard } from "~/components/publications/publications-board";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("publications");

export default async function PublicationsPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("publications");
  const timeZone = session.tenant.organization.timeZone;
  const { tab } = await searchParams;
  const initialTab: PublicationTab = PUBLICATION_TABS.includes(tab as PublicationTab) ? (tab as PublicationTab) : "scheduled";
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description", { timeZone })} />
      <ProviderOutageBanner area="social" />
      <HydrateClient>
        {/* The UI only hides what the server would refuse; the server still decides. */}
        <PublicationsBoard timeZone={timeZone} initialTab={initialTab} canPublish={can(session.tenant, "social:publish")} />
      </HydrateClient>
    </div>
  );
}
