import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { ConnectionsManager } from "~/components/connections/connections-manager";
import { PageHeader } from "~/components/page-header";
import { ProviderOutageBanner } from "~/components/resilience/provider-outage-banner";
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
  const [t, tErrors, tProviders, tLimits, query] = await Promise.all([
    getTranslations("connections"),
    getTranslations("errors"),
    getTranslations("providers"),
    getTranslations("limits"),
    searchParams,
  ]);
  await Promise.all([api.connectors.cards.prefetch(), api.connectors.providers.prefetch()]);
  const one = (key: string) => (typeof query[key] === "string" ? query[key] : undefined);
  const connected = one("connected");
  const error = one("error");
  const provider = (slug: string | undefined) => (slug ? providerFromSlug(slug) : null) ?? "MERCADOLIVRE";
  const providerName = (slug: string | undefined) => tProviders(provider(slug));
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title={t("title")} description={t("description")} />
      <ProviderOutageBanner />
      {connected && (
        <Banner tone="info" title={t("connectedTitle", { provider: providerName(connected) })} data-testid="connect-result">
          {t("connectedBody")}
        </Banner>
      )}
      {error && (
        <Banner tone="danger" title={t("connectFailedTitle", { provider: providerName(one("provider")) })} data-testid="connect-result">
          {error === "planLimitReached" ? (
            <>
              {tErrors("planLimitReached", planLimitParams(one, (key) => (tLimits.has(key) ? tLimits(key) : key)))}{" "}
              <Link href="/settings/billing" className="font-medium underline">
                {t("seePlans")}
              </Link>
            </>
          ) : tErrors.has(error) ? (
            tErrors(error)
          ) : (
            tErrors("generic")
          )}
        </Banner>
      )}
      <HydrateClient>
        <ConnectionsManager canManage={can(session.tenant, "connections:manage")} />
      </HydrateClient>
    </div>
  );
}

/** The refused limit from the callback's redirect (see planLimitQuery), as the message's parameters. */
function planLimitParams(one: (key: string) => string | undefined, limitName: (key: string) => string) {
  const count = (key: string) => {
    const n = Number(one(key));
    return Number.isFinite(n) ? n : 0;
  };
  return {
    limit: limitName(one("limit") ?? ""),
    used: count("used"),
    max: count("max"),
    plan: one("plan") ?? "",
    upgradePlan: one("upgradePlan") || "none",
    upgradeLimit: count("upgradeLimit"),
  };
}
