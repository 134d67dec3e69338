import { ArrowRight, Gauge, Megaphone, Plug, Settings, Store } from "lucide-react";
import Link from "next/link";
import { getTranslations } from "next-intl/server";

import { EffectsCard } from "~/components/actions/effects-card";
import { PageHeader } from "~/components/page-header";
import { ProviderOutageBanner } from "~/components/resilience/provider-outage-banner";
import { titleMetadata } from "~/components/page-metadata";
import { ScoreBands } from "~/components/score-bands";
import { buttonVariants } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { api } from "~/trpc/server";
import { requireTenant } from "../_lib/tenant";

export const generateMetadata = titleMetadata("dashboard");

const AREAS = [
  {
    key: "seller",
    description: "sellerCard",
    icon: Store,
    links: [
      { href: "/seller/listings", label: "listings" },
      { href: "/seller/scores", label: "scores" },
      { href: "/seller/actions", label: "actions" },
    ],
  },
  {
    key: "social",
    description: "socialCard",
    icon: Megaphone,
    links: [
      { href: "/social/content", label: "content" },
      { href: "/social/calendar", label: "calendar" },
    ],
  },
  {
    key: "settings",
    description: "settingsCard",
    icon: Settings,
    links: [
      { href: "/settings/organization", label: "organization" },
      { href: "/settings/members", label: "members" },
      { href: "/settings/connections", label: "connections" },
    ],
  },
] as const;

export default async function DashboardPage() {
  const session = await requireTenant();
  if (!session) return null;
  const { user, tenant } = session;
  const [t, tNav, tRoles, scores, connections, effects] = await Promise.all([
    getTranslations("dashboard"),
    getTranslations("nav"),
    getTranslations("roles"),
    api.scores.summary(),
    api.connectors.list(),
    api.actions.effectsSummary(),
  ]);
  const firstName = user.name.split(/\s+/)[0] ?? user.name;

  return (
    <div className="flex flex-col gap-8">
      <PageHeader
        title={t("greeting", { name: firstName })}
        description={t.rich("intro", {
          organization: tenant.organization.name,
          role: tRoles(tenant.role),
          strong: (chunks) => <strong className="font-semibold text-slate-800">{chunks}</strong>,
        })}
      />
      <ProviderOutageBanner />

      <section aria-labelledby="areas-heading" className="flex flex-col gap-3">
        <h2 id="areas-heading" className="text-sm font-semibold tracking-wide text-slate-600 uppercase">
          {t("areas")}
        </h2>
        <div className="grid gap-4 md:grid-cols-3">
          {AREAS.map((area) => {
            const Icon = area.icon;
            return (
              <Card key={area.key} className="flex flex-col">
                <CardHeader className="border-none pb-2">
                  <div className="flex items-center gap-3">
                    <span className="flex size-9 items-center justify-center rounded-lg bg-brand-50 text-brand-700">
                      <Icon className="size-5" aria-hidden="true" />
                    </span>
                    <CardTitle as="h3">{tNav(area.key)}</CardTitle>
                  </div>
                  <CardDescription>{t(area.description)}</CardDescription>
                </CardHeader>
                <CardContent className="mt-auto pt-0">
                  <ul className="flex flex-wrap gap-2">
                    {area.links.map((link) => (
                      <li key={link.href}>
                        <Link href={link.href} className={buttonVariants({ variant: "secondary", size: "sm" })}>
                          {tNav(link.label)}
                        </Link>
                      </li>
                    ))}
                  </ul>
                </CardContent>
              </Card>
            );
          })}
        </div>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <CardHeader className="flex-row items-center justify-between">
            <CardTitle>{t("scoresTitle")}</CardTitle>
            <Link href="/seller/scores" className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
              {t("open", { area: tNav("scores") })}
              <ArrowRight className="size-4" aria-hidden="true" />
            </Link>
          </CardHeader>
          <CardContent>
            {scores.total === 0 ? (
              <EmptyState icon={Gauge} title={t("scoresEmpty")} description={t("scoresEmptyDescription")} className="border-none py-6" />
            ) : (
              <ScoreBands summary={scores} />
            )}
          </CardContent>
        </Card>

        <Card>
          <CardHeader className="flex-row items-center justify-between">
            <CardTitle>{t("connectionsTitle")}</CardTitle>
            <Link href="/settings/connections" className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
              {t("seeConnections")}
              <ArrowRight className="size-4" aria-hidden="true" />
            </Link>
          </CardHeader>
          <CardContent>
            {connections.length === 0 ? (
              <EmptyState icon={Plug} title={t("connectionsEmpty")} description={t("connectionsEmptyDescription")} className="border-none py-6" />
            ) : (
              <p className="text-3xl font-semibold text-slate-900">{t("connectionsCount", { count: connections.length })}</p>
            )}
          </CardContent>
        </Card>

        <div className="lg:col-span-2">
          <EffectsCard summary={effects} />
        </div>
      </div>
    </div>
  );
}
