import { getTranslations } from "next-intl/server";

import { AnalyticsDashboard } from "~/components/analytics/analytics-dashboard";
import { PageHeader } from "~/components/page-header";
import { ProviderOutageBanner } from "~/components/resilience/provider-outage-banner";
import { titleMetadata } from "~/components/page-metadata";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("socialAnalytics");

export default async function SocialAnalyticsPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("socialAnalytics");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <ProviderOutageBanner area="social" />
      <HydrateClient>
        {/* The UI only hides what the server would refuse; the server still decides. */}
        <AnalyticsDashboard canSync={can(session.tenant, "content:write")} timeZone={session.tenant.organization.timeZone} />
      </HydrateClient>
    </div>
  );
}
