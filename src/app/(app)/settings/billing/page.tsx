import { getFormatter, getTranslations } from "next-intl/server";

import { PageHeader } from "~/components/page-header";
import { titleMetadata } from "~/components/page-metadata";
import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { api } from "~/trpc/server";
import { can, requireTenant } from "../../_lib/tenant";

export const generateMetadata = titleMetadata("billing");

const LIMITS = ["marketplaceAccounts", "listings", "socialAccounts", "postsPerMonth", "aiCreditsPerMonth", "seats"] as const;

export default async function BillingPage() {
  const session = await requireTenant();
  if (!session) return null;
  const [t, format] = await Promise.all([getTranslations("billing"), getFormatter()]);
  const header = <PageHeader title={t("title")} description={t("description")} />;
  if (!can(session.tenant, "billing:read")) {
    return (
      <div className="flex flex-col gap-6">
        {header}
        <Banner tone="info">{t("forbidden")}</Banner>
      </div>
    );
  }

  const billing = await api.billing.current();
  const plan = billing.plan;
  const price = plan && plan.priceMonthlyCents > 0 ? t("perMonth", { price: format.number(plan.priceMonthlyCents / 100, { style: "currency", currency: "BRL" }) }) : t("free");
  const usage = [
    { label: t("seats"), used: billing.usage.seats, limit: plan?.limits.seats },
    { label: t("connections"), used: billing.usage.connections, limit: plan ? plan.limits.marketplaceAccounts + plan.limits.socialAccounts : undefined },
  ];

  return (
    <div className="flex flex-col gap-6">
      {header}
      <Banner tone="construction" title={t("comingSoon")} role="note">
        {t("comingSoonDescription")}
      </Banner>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t("plan")}</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-3">
            {plan ? (
              <>
                <div className="flex flex-wrap items-center gap-3">
                  <p className="text-2xl font-semibold text-slate-900">{plan.name}</p>
                  <Badge tone={billing.status === "ACTIVE" || billing.status === "TRIALING" ? "brand" : "warning"}>
                    <span className="sr-only">{t("status")}: </span>
                    {t(`statuses.${billing.status}`)}
                  </Badge>
                </div>
                <p className="text-sm text-slate-700">{price}</p>
              </>
            ) : (
              <p className="text-sm text-slate-700">{t("noPlan")}</p>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t("usage")}</CardTitle>
          </CardHeader>
          <CardContent className="flex flex-col gap-4">
            {usage.map((u) => (
              <div key={u.label} className="flex flex-col gap-1.5">
                <div className="flex items-baseline justify-between gap-2 text-sm">
                  <span className="font-medium text-slate-800">{u.label}</span>
                  <span className="text-slate-700 tabular-nums">{u.limit !== undefined ? t("usageOf", { used: u.used, limit: u.limit }) : u.used}</span>
                </div>
                {u.limit !== undefined && u.limit > 0 && (
                  <div className="h-2 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
                    <div className="h-full rounded-full bg-brand-500" style={{ width: `${Math.min(100, (u.used / u.limit) * 100)}%` }} />
                  </div>
                )}
              </div>
            ))}
          </CardContent>
        </Card>
      </div>
      {plan && (
        <Card>
          <CardHeader>
            <CardTitle>{t("limits")}</CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
              {LIMITS.map((key) => (
                <div key={key} className="flex items-baseline justify-between gap-2 border-b border-slate-100 pb-2">
                  <dt className="text-sm text-slate-600">{t(`limit.${key}`)}</dt>
                  <dd className="font-medium text-slate-900 tabular-nums">{format.number(plan.limits[key])}</dd>
                </div>
              ))}
            </dl>
          </CardContent>
        </Card>
      )}
    </div>
  );
}
