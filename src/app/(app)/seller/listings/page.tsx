import { getTranslations } from "next-intl/server";

import { ListingsBrowser } from "~/components/listings/listings-browser";
import { PageHeader } from "~/components/page-header";
import { ProviderOutageBanner } from "~/components/resilience/provider-outage-banner";
import { titleMetadata } from "~/components/page-metadata";
import { api, HydrateClient } from "~/trpc/server";
import { requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("listings");

export default async function ListingsPage() {
  if (!(await requireTenant())) return null;
  const t = await getTranslations("listings");
  await Promise.all([api.listings.categories.prefetch(), api.connectors.cards.prefetch()]);
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <ProviderOutageBanner area="marketplace" />
      <HydrateClient>
        <ListingsBrowser />
      </HydrateClient>
    </div>
  );
}
