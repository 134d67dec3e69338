"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError, FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { useErrorMessage } from "../use-error-message";
import { LoadError, Loading, useMoney } from "./shared";

type Plan = RouterOutputs["admin"]["plans"][number];
const LIMIT_KEYS = ["marketplaceAccounts", "listings", "socialAccounts", "postsPerMonth", "aiCreditsPerMonth", "seats"] as const;
type LimitKey = (typeof LIMIT_KEYS)[number];

export function PlansAdmin() {
  const plans = api.admin.plans.useQuery();
  if (plans.isPending) return <Loading />;
  if (plans.isError) return <LoadError error={plans.error} retry={() => void plans.refetch()} />;
  return (
    <div className="flex flex-col gap-4">
      {plans.data.map((plan) => (
        <PlanForm key={`${plan.code}-${plan.priceMonthlyCents}-${plan.active}`} plan={plan} />
      ))}
    </div>
  );
}

/** "149,90" or "149.90" → 14990; null when not a valid non-negative amount. */
function toCents(value: string): number | null {
  const trimmed = value.trim();
  // With a comma, dots are thousands separators (pt-BR); without one, a dot is the decimal point.
  const normalized = trimmed.includes(",") ? trimmed.replace(/\./g, "").replace(",", ".") : trimmed;
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return null;
  return Math.round(Number(normalized) * 100);
}
const fromCents = (cents: number) => (cents / 100).toFixed(2).replace(".", ",");

function PlanForm({ plan }: { plan: Plan }) {
  const t = useTranslations("admin.plans");
  const tLimits = useTranslations("admin.plans.limits");
  const money = useMoney();
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [name, setName] = useState(plan.name);
  const [monthly, setMonthly] = useState(fromCents(plan.priceMonthlyCents));
  const [yearly, setYearly] = useState(fromCents(plan.priceYearlyCents));
  const [limits, setLimits] = useState<Record<LimitKey, string>>(() => Object.fromEntries(LIMIT_KEYS.map((k) => [k, String(plan.limits[k])])) as Record<LimitKey, string>);
  const [active, setActive] = useState(plan.active);
  const [stripeMonthly, setStripeMonthly] = useState(plan.stripePriceMonthlyId ?? "");
  const [stripeYearly, setStripeYearly] = useState(plan.stripePriceYearlyId ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const update = api.admin.updatePlan.useMutation({
    onSuccess: async (saved) => {
      toast.success(t("saved", { name: saved.name }));
      await utils.admin.plans.invalidate();
    },
  });
  const described = update.error ? describe(update.error) : null;

  const submit = () => {
    const found: Record<string, string> = {};
    if (name.trim().length < 2) found.name = t("errors.name");
    const monthlyCents = plan.isDefault ? 0 : toCents(monthly);
    const yearlyCents = plan.isDefault ? 0 : toCents(yearly);
    if (monthlyCents === null) found.monthly = t("errors.price");
    if (yearlyCents === null) found.yearly = t("errors.price");
    const parsed = {} as Record<LimitKey, number>;
    for (const key of LIMIT_KEYS) {
      const n = Number(limits[key]);
      const min = key === "seats" ? 1 : 0;
      if (!/^\d+$/.test(limits[key].trim()) || n < min) found[key] = t("errors.limit", { min });
      parsed[key] = n;
    }
    for (const [field, value] of [["stripeMonthly", stripeMonthly], ["stripeYearly", stripeYearly]] as const) {
      if (value.trim() && !/^price_[A-Za-z0-9_]+$/.test(value.trim())) found[field] = t("errors.stripe");
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    update.mutate({
      code: plan.code,
      name: name.trim(),
      priceMonthlyCents: monthlyCents!,
      priceYearlyCents: yearlyCents!,
      limits: parsed,
      active: plan.isDefault ? true : active,
      stripePriceMonthlyId: stripeMonthly.trim() || null,
      stripePriceYearlyId: stripeYearly.trim() || null,
    });
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          {plan.name}
          <Badge>{plan.code}</Badge>
          {plan.isDefault && <Badge tone="info">{t("defaultPlan")}</Badge>}
          {!plan.active && <Badge tone="warning">{t("inactive")}</Badge>}
        </CardTitle>
        <CardDescription>
          {t("summary", { monthly: money(plan.priceMonthlyCents), yearly: money(plan.priceYearlyCents), subscriptions: plan.subscriptions })}
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          noValidate
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <div className="grid gap-4 sm:grid-cols-3">
            <FormField label={t("name")} error={errors.name}>
              {(field) => <Input {...field} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />}
            </FormField>
            <FormField label={t("monthly")} hint={plan.isDefault ? t("freeHint") : undefined} error={errors.monthly}>
              {(field) => <Input {...field} inputMode="decimal" value={monthly} disabled={plan.isDefault} onChange={(e) => setMonthly(e.target.value)} />}
            </FormField>
            <FormField label={t("yearly")} error={errors.yearly}>
              {(field) => <Input {...field} inputMode="decimal" value={yearly} disabled={plan.isDefault} onChange={(e) => setYearly(e.target.value)} />}
            </FormField>
          </div>
          <fieldset className="grid gap-4 sm:grid-cols-3">
            <legend className="mb-2 text-sm font-medium text-slate-900">{t("limitsTitle")}</legend>
            {LIMIT_KEYS.map((key) => (
              <FormField key={key} label={tLimits(key)} error={errors[key]}>
                {(field) => <Input {...field} inputMode="numeric" value={limits[key]} onChange={(e) => setLimits({ ...limits, [key]: e.target.value })} />}
              </FormField>
            ))}
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label={t("stripeMonthly")} error={errors.stripeMonthly}>
              {(field) => <Input {...field} value={stripeMonthly} placeholder="price_…" onChange={(e) => setStripeMonthly(e.target.value)} />}
            </FormField>
            <FormField label={t("stripeYearly")} error={errors.stripeYearly}>
              {(field) => <Input {...field} value={stripeYearly} placeholder="price_…" onChange={(e) => setStripeYearly(e.target.value)} />}
            </FormField>
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" className="size-4 accent-brand-700" checked={plan.isDefault ? true : active} disabled={plan.isDefault} onChange={(e) => setActive(e.target.checked)} />
            {t("activeLabel")}
            {plan.isDefault && <span className="text-xs text-slate-500">({t("freeAlwaysActive")})</span>}
          </label>
          <FormError message={described?.message} />
          <Button type="submit" className="self-start" pending={update.isPending}>
            {t("save")}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
