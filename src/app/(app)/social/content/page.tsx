import { getTranslations } from "next-intl/server";

import { ApprovalSetting } from "~/components/content/approval-setting";
import { ContentList } from "~/components/content/content-list";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("content");

export default async function ContentPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("content");
  const campaignId = (await searchParams).campaignId;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <HydrateClient>
        {can(session.tenant, "org:update") && <ApprovalSetting />}
        {/* The UI only hides what the server would refuse; the server still decides. */}
        <ContentList
          canWrite={can(session.tenant, "content:write")}
          timeZone={session.tenant.organization.timeZone}
          initialCampaignId={typeof campaignId === "string" && campaignId.length <= 64 ? campaignId : undefined}
        />
      </HydrateClient>
    </div>
  );
}
