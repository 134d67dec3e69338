"use client";

import { CreditCard, FlaskConical } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";

import { api, type RouterOutputs } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "../ui/card";
import { useErrorMessage } from "../use-error-message";

type Current = RouterOutputs["billing"]["current"];
type Plan = RouterOutputs["billing"]["plans"][number];

const STATUS_TONE = { ACTIVE: "brand", TRIALING: "info", PAST_DUE: "warning", CANCELED: "neutral", INCOMPLETE: "warning" } as const;

export function CurrentPlanCard({ current, plans, canManage }: { current: Current; plans: Plan[]; canManage: boolean }) {
  const t = useTranslations("billing");
  const format = useFormatter();
  const { toastError } = useErrorMessage();
  const portal = api.billing.portal.useMutation({
    onSuccess: ({ url }) => window.location.assign(url),
    onError: (error) => toastError(error),
  });
  const { plan, subscription } = current;
  const date = (d: Date) => format.dateTime(d, { dateStyle: "long" });
  const money = (cents: number) => format.number(cents / 100, { style: "currency", currency: plan.currency || "BRL" });
  // The subscription's own plan may differ from the one that applies (a lapsed subscription → free).
  const subscribed = subscription && subscription.planCode === plan.code ? subscription : null;
  const yearly = subscribed?.interval === "YEAR";
  const price =
    plan.priceMonthlyCents === 0 ? t("noCharge") : yearly ? t("perYear", { price: money(plan.priceYearlyCents) }) : t("perMonth", { price: money(plan.priceMonthlyCents) });
  const status = subscription?.status ?? "ACTIVE";

  return (
    <Card data-testid="current-plan">
      <CardHeader>
        <CardTitle>{t("currentPlan")}</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-2xl font-semibold text-slate-900" data-testid="current-plan-name">
            {plan.name}
          </p>
          <Badge tone={STATUS_TONE[status]} data-testid="plan-status">
            <span className="sr-only">{t("statusLabel")}: </span>
            {status === "PAST_DUE" && subscription?.graceUntil ? t("pastDueUntil", { date: date(subscription.graceUntil) }) : t(`statuses.${status}`)}
          </Badge>
          {subscription?.testMode && (
            <Badge tone="violet">
              <FlaskConical aria-hidden="true" className="size-3" />
              {t("testSubscription")}
            </Badge>
          )}
        </div>
        <p className="text-sm text-slate-700">{price}</p>
        {subscribed?.currentPeriodEnd && plan.priceMonthlyCents > 0 && status !== "CANCELED" && (
          <p className="text-sm text-slate-700">{subscribed.cancelAtPeriodEnd ? t("endsOn", { date: date(subscribed.currentPeriodEnd) }) : t("renewsOn", { date: date(subscribed.currentPeriodEnd) })}</p>
        )}
        {status === "PAST_DUE" && subscription?.graceUntil && <p className="text-sm text-amber-800">{t("pastDueNote", { date: date(subscription.graceUntil) })}</p>}
        {subscription && !subscribed && <p className="text-sm text-slate-700">{t("lapsed", { plan: plans.find((p) => p.code === subscription.planCode)?.name ?? subscription.planCode, current: plan.name })}</p>}
        {canManage && current.stripeConfigured && subscription && !subscription.testMode && (
          <div className="flex flex-col items-start gap-1">
            <Button variant="secondary" pending={portal.isPending} onClick={() => portal.mutate()}>
              <CreditCard aria-hidden="true" />
              {t("manage")}
            </Button>
            <p className="text-xs text-slate-500">{t("manageHint")}</p>
          </div>
        )}
      </CardContent>
    </Card>
  );
}
