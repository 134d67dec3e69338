import { getTranslations } from "next-intl/server";

import { BillingManager } from "~/components/billing/billing-manager";
import { INVOICES_PAGE_SIZE } from "~/components/billing/constants";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { env } from "~/env";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("billing");

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function BillingPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireTenant();
  if (!session) return null;
  const [t, query] = await Promise.all([getTranslations("billing"), searchParams]);
  const header = <PageHeader title={t("title")} description={t("description")} />;
  if (!can(session.tenant, "billing:read")) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <Banner tone="info">{t("forbidden")}</Banner>
      </div>
    );
  }

  // AI credits are counted per UTC calendar month (src/server/billing/plans.ts).
  const currentMonth = new Date().toISOString().slice(0, 7);
  // Awaited so the first HTML already holds every card (no loading flash, no second request).
  await Promise.all([
    api.billing.current.prefetch(),
    api.billing.plans.prefetch(),
    api.billing.invoices.prefetchInfinite({ limit: INVOICES_PAGE_SIZE }),
    api.billing.aiUsage.prefetch({ month: currentMonth }),
  ]);
  const checkout = query.checkout === "success" || query.checkout === "canceled" ? query.checkout : null;
  return (
    <div className="flex flex-col gap-6">
      {header}
      <HydrateClient>
        <BillingManager
          canManage={can(session.tenant, "billing:manage")}
          webhookUrl={new URL("/api/v1/webhooks/stripe", env.APP_URL).toString()}
          currentMonth={currentMonth}
          checkoutResult={checkout}
        />
      </HydrateClient>
    </div>
  );
}
