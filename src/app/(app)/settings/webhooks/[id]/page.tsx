import { getTranslations } from "next-intl/server";

import { DELIVERIES_PAGE_SIZE } from "~/components/developers/webhooks/constants";
import { DeliveriesLog } from "~/components/developers/webhooks/deliveries-log";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { env } from "~/env";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../../_lib/tenant";

export const generateMetadata = titleMetadata("webhooks");

export default async function WebhookDeliveriesPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireTenant();
  if (!session) return null;
  const [t, { id }] = await Promise.all([getTranslations("webhooks"), params]);
  const header = <PageHeader title={t("title")} description={t("description")} />;
  if (!can(session.tenant, "developers:manage")) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <Banner tone="info">{t("forbidden")}</Banner>
      </div>
    );
  }
  // Another organization's (or a deleted) endpoint: the client shows the NOT_FOUND message.
  await Promise.allSettled([api.webhooks.get.prefetch({ id }), api.webhooks.deliveries.prefetchInfinite({ endpointId: id, limit: DELIVERIES_PAGE_SIZE })]);
  return (
    <div className="flex flex-col gap-6">
      {header}
      <HydrateClient>
        <DeliveriesLog endpointId={id} disableAfterHours={env.WEBHOOK_DISABLE_AFTER_HOURS} />
      </HydrateClient>
    </div>
  );
}
