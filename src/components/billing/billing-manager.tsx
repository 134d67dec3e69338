"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";

import { MONTHLY_LIMITS } from "~/server/billing/plans";
import { api } from "~/trpc/react";
import { Banner } from "../ui/banner";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { AiUsageCard } from "./ai-usage-card";
import { CurrentPlanCard } from "./current-plan-card";
import { InvoicesCard } from "./invoices-card";
import { PlansCard } from "./plans-card";
import { UsageBar } from "./usage-bars";

type BillingManagerProps = {
  canManage: boolean;
  /** Where Stripe should send webhooks (shown in the test-mode banner). */
  webhookUrl: string;
  /** The UTC month ("YYYY-MM") the AI usage card opens on. */
  currentMonth: string;
  /** `?checkout=` after Stripe Checkout sends the browser back. */
  checkoutResult: "success" | "canceled" | null;
};

/** Settings → Billing: current plan, usage bars, plans, invoices and AI usage. */
export function BillingManager({ canManage, webhookUrl, currentMonth, checkoutResult }: BillingManagerProps) {
  const t = useTranslations("billing");
  const [current] = api.billing.current.useSuspenseQuery(undefined, {
    // Back from Checkout the webhook may land a moment later: follow until the paid plan applies.
    refetchInterval: (query) => (checkoutResult === "success" && query.state.data?.basis === "free" ? 3000 : false),
  });
  const [plans] = api.billing.plans.useSuspenseQuery();

  useEffect(() => {
    if (!checkoutResult) return;
    // Keep the banner for this visit but not on reload or a shared link.
    const url = new URL(window.location.href);
    url.searchParams.delete("checkout");
    window.history.replaceState(null, "", url);
  }, [checkoutResult]);

  return (
    <div className="flex flex-col gap-6">
      {checkoutResult && (
        <Banner tone={checkoutResult === "success" ? "info" : "warning"} role="status" data-testid="checkout-result">
          {t(`checkout.${checkoutResult}`)}
        </Banner>
      )}
      {!current.stripeConfigured && (
        <Banner tone="warning" role="note" title={t("testMode.title")} data-testid="test-mode">
          <p>{t("testMode.body")}</p>
          <p className="mt-1">{t("testMode.howTo", { url: webhookUrl })}</p>
        </Banner>
      )}
      {!canManage && <Banner tone="info">{t("readOnlyNote")}</Banner>}
      <div className="grid gap-6 lg:grid-cols-2">
        <CurrentPlanCard current={current} plans={plans} canManage={canManage} />
        <Card>
          <CardHeader>
            <CardTitle>{t("usage.title")}</CardTitle>
            <CardDescription>{t("usage.description", { plan: current.plan.name })}</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-4" data-testid="usage">
            {current.usage.map((row) => (
              <UsageBar
                key={row.key}
                label={t(`limit.${row.key}`)}
                used={row.used}
                limit={row.limit}
                note={MONTHLY_LIMITS.includes(row.key) ? t("usage.resetsMonthly") : undefined}
                testId={`usage-${row.key}`}
              />
            ))}
          </CardContent>
        </Card>
      </div>
      <PlansCard plans={plans} current={current} canManage={canManage} />
      <InvoicesCard />
      <AiUsageCard currentMonth={currentMonth} />
    </div>
  );
}
