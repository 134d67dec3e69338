"use client";

import { Check } from "lucide-react";
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { LIMIT_KEYS } from "~/server/billing/plans";
import { api, type RouterOutputs } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { cn } from "../ui/cn";
import { Dialog, DialogFooter } from "../ui/dialog";
import { useErrorMessage } from "../use-error-message";

type Plan = RouterOutputs["billing"]["plans"][number];
type Current = RouterOutputs["billing"]["current"];
type Interval = "MONTH" | "YEAR";

/** The yearly price's saving over twelve monthly payments, as a fraction (0 when none). */
export function yearlySaving(plan: Pick<Plan, "priceMonthlyCents" | "priceYearlyCents">): number {
  const twelve = plan.priceMonthlyCents * 12;
  return twelve > 0 && plan.priceYearlyCents < twelve ? 1 - plan.priceYearlyCents / twelve : 0;
}

export function PlansCard({ plans, current, canManage }: { plans: Plan[]; current: Current; canManage: boolean }) {
  const t = useTranslations("billing.plans");
  const tBilling = useTranslations("billing");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const router = useRouter();
  const utils = api.useUtils();
  const { toastError } = useErrorMessage();
  const subscribed = current.subscription?.planCode === current.plan.code ? current.subscription : null;
  const [interval, setInterval] = useState<Interval>(subscribed?.interval ?? "MONTH");
  const [confirming, setConfirming] = useState<Plan | null>(null);
  const checkout = api.billing.checkout.useMutation({
    onSuccess: async (result, input) => {
      if (result.kind === "redirect") {
        window.location.assign(result.url);
        return;
      }
      setConfirming(null);
      const name = plans.find((p) => p.code === result.planCode)?.name ?? input.planCode;
      toast.success(current.stripeConfigured ? t("applied", { plan: name }) : t("appliedTest", { plan: name }));
      await utils.billing.invalidate();
      // Limits change what other pages allow (and the layout may show plan state): refresh them too.
      router.refresh();
    },
    onError: (error) => {
      setConfirming(null);
      toastError(error);
    },
  });
  const money = (cents: number, currency: string) => format.number(cents / 100, { style: "currency", currency: currency || "BRL" });
  const isCurrent = (plan: Plan) => plan.code === current.plan.code && (plan.priceMonthlyCents === 0 || (subscribed?.interval ?? "MONTH") === interval);
  // A cheaper plan is a downgrade: confirm first (nothing is deleted, the excess becomes read-only).
  const isDowngrade = (plan: Plan) => plan.priceMonthlyCents < current.plan.priceMonthlyCents;
  const onFreePlan = current.plan.priceMonthlyCents === 0;
  const choose = (plan: Plan) => (isDowngrade(plan) ? setConfirming(plan) : checkout.mutate({ planCode: plan.code, interval }));

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <CardTitle>{t("title")}</CardTitle>
          <CardDescription>{t("description")}</CardDescription>
        </div>
        <div role="radiogroup" aria-label={t("interval")} className="flex gap-1 rounded-xl border border-slate-200 bg-slate-50 p-1">
          {(["MONTH", "YEAR"] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={interval === value}
              onClick={() => setInterval(value)}
              className={cn(
                "rounded-lg px-3 py-1.5 text-sm",
                interval === value ? "bg-white font-medium text-slate-900 shadow-sm" : "text-slate-600 hover:bg-white/60 hover:text-slate-900",
              )}
            >
              {t(value === "MONTH" ? "monthly" : "annual")}
            </button>
          ))}
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {!canManage && <p className="text-sm text-slate-600">{t("manageOnly")}</p>}
        <ul className="grid gap-4 md:grid-cols-3">
          {plans.map((plan) => {
            const currentOne = isCurrent(plan);
            const free = plan.priceMonthlyCents === 0;
            const saving = yearlySaving(plan);
            return (
              <li
                key={plan.code}
                data-testid="plan-option"
                data-plan={plan.code}
                aria-label={plan.name}
                className={cn("flex flex-col gap-3 rounded-xl border p-4", currentOne ? "border-brand-400 bg-brand-50/40" : "border-slate-200")}
              >
                <div className="flex items-center justify-between gap-2">
                  <h3 className="text-lg font-semibold text-slate-900">{plan.name}</h3>
                  {currentOne && <Badge tone="brand">{t("current")}</Badge>}
                </div>
                <div className="flex flex-col gap-0.5">
                  {free ? (
                    <p className="text-2xl font-semibold text-slate-900">{tBilling("perMonth", { price: money(0, plan.currency) })}</p>
                  ) : interval === "MONTH" ? (
                    <p className="text-2xl font-semibold text-slate-900">{tBilling("perMonth", { price: money(plan.priceMonthlyCents, plan.currency) })}</p>
                  ) : (
                    <>
                      <p className="text-2xl font-semibold text-slate-900">{t("annualTotal", { price: money(plan.priceYearlyCents, plan.currency) })}</p>
                      <p className="text-sm text-slate-600">{t("annualEquivalent", { price: money(Math.round(plan.priceYearlyCents / 12), plan.currency) })}</p>
                      {saving > 0 && (
                        <Badge tone="brand" className="self-start">
                          {t("saving", { percent: format.number(saving, { style: "percent", maximumFractionDigits: 0 }) })}
                        </Badge>
                      )}
                    </>
                  )}
                </div>
                <ul className="flex flex-col gap-1 text-sm text-slate-700" aria-label={t("limitsOf", { plan: plan.name })}>
                  {LIMIT_KEYS.map((key) => (
                    <li key={key} className="flex items-start gap-2">
                      <Check className="mt-0.5 size-4 shrink-0 text-brand-600" aria-hidden="true" />
                      <span>{t(`limitLines.${key}`, { count: plan.limits[key] })}</span>
                    </li>
                  ))}
                </ul>
                {canManage && !currentOne && (
                  <Button
                    className="mt-auto"
                    variant={isDowngrade(plan) ? "secondary" : "primary"}
                    pending={checkout.isPending && checkout.variables?.planCode === plan.code}
                    disabled={checkout.isPending}
                    onClick={() => choose(plan)}
                  >
                    {onFreePlan && !free ? t("subscribe") : t("change")}
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      </CardContent>
      <Dialog
        open={!!confirming}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={confirming ? t("downgradeTitle", { plan: confirming.name }) : ""}
        description={confirming ? t("downgradeBody", { plan: confirming.name }) : undefined}
        closeLabel={tCommon("close")}
      >
        <DialogFooter>
          <Button variant="secondary" onClick={() => setConfirming(null)}>
            {tCommon("cancel")}
          </Button>
          <Button pending={checkout.isPending} onClick={() => confirming && checkout.mutate({ planCode: confirming.code, interval })}>
            {confirming ? t("downgradeConfirm", { plan: confirming.name }) : ""}
          </Button>
        </DialogFooter>
      </Dialog>
    </Card>
  );
}
