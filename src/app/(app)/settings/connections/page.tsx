import { getTranslations } from "next-intl/server";

import { ConnectionsManager } from "~/components/connections/connections-manager";
import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Banner } from "~/components/ui/banner";
import { providerFromSlug } from "~/server/services/connectors/connectors";
import { api, HydrateClient } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("connections");

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ConnectionsPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireTenant();
  if (!session) return null;
  const [t, tErrors, tProviders, query] = await Promise.all([getTranslations("connections"), getTranslations("errors"), getTranslations("providers"), searchParams]);
  await Promise.all([api.connectors.cards.prefetch(), api.connectors.providers.prefetch()]);
  const one = (key: string) => (typeof query[key] === "string" ? query[key] : undefined);
  const connected = one("connected");
  const error = one("error");
  const provider = (slug: string | undefined) => (slug ? providerFromSlug(slug) : null) ?? "MERCADOLIVRE";
  const providerName = (slug: string | undefined) => tProviders(provider(slug));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      {connected && (
        <Banner tone="info" title={t("connectedTitle", { provider: providerName(connected) })} data-testid="connect-result">
          {t("connectedBody")}
        </Banner>
      )}
      {error && (
        <Banner tone="danger" title={t("connectFailedTitle", { provider: providerName(one("provider")) })} data-testid="connect-result">
          {tErrors.has(error) ? tErrors(error) : tErrors("generic")}
        </Banner>
      )}
      <HydrateClient>
        <ConnectionsManager canManage={can(session.tenant, "connections:manage")} />
      </HydrateClient>
    </div>
  );
}
