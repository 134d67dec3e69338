import { getTranslations } from "next-intl/server";

import { WebhooksManager } from "~/components/developers/webhooks/webhooks-manager";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { env } from "~/env";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("webhooks");

export default async function WebhooksPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("webhooks");
  const header = <PageHeader title={t("title")} description={t("description")} />;
  if (!can(session.tenant, "developers:manage")) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <Banner tone="info">{t("forbidden")}</Banner>
      </div>
    );
  }
  // Awaited so the first HTML already holds the list (no loading flash, no second request).
  await api.webhooks.list.prefetch();
  return (
    <div className="flex flex-col gap-6">
      {header}
      <HydrateClient>
        <WebhooksManager disableAfterHours={env.WEBHOOK_DISABLE_AFTER_HOURS} />
      </HydrateClient>
    </div>
  );
}
