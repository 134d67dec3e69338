import { getTranslations } from "next-intl/server";

import { Inbox } from "~/components/engagement/inbox";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("inbox");

export default async function InboxPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("inbox");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <HydrateClient>
        {/* The UI only hides what the server would refuse; the server still decides. */}
        <Inbox canReply={can(session.tenant, "comments:reply")} />
      </HydrateClient>
    </div>
  );
}
