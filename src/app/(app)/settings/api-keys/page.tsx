import { getTranslations } from "next-intl/server";

import { ApiKeysManager } from "~/components/developers/api-keys/api-keys-manager";
import { API_KEYS_PAGE_SIZE } from "~/components/developers/api-keys/constants";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("apiKeys");

export default async function ApiKeysPage() {
  const session = await requireTenant();
  if (!session) return null;
  const t = await getTranslations("apiKeys");
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
  await api.apiKeys.list.prefetchInfinite({ limit: API_KEYS_PAGE_SIZE });
  return (
    <div className="flex flex-col gap-6">
      {header}
      <HydrateClient>
        <ApiKeysManager />
      </HydrateClient>
    </div>
  );
}
