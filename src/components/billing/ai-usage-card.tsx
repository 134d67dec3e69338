"use client";

import { Sparkles } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";

import { api } from "~/trpc/react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { EmptyState } from "../ui/empty-state";
import { Label } from "../ui/label";
import { Select } from "../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../ui/table";
import { useErrorMessage } from "../use-error-message";
import { UsageBar } from "./usage-bars";

/** "YYYY-MM" of `month` and the five before it, newest first (the months the picker offers). */
export function lastMonths(month: string, count = 6): string[] {
  const [year, m] = month.split("-").map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(year, m - 1 - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

export function AiUsageCard({ currentMonth }: { currentMonth: string }) {
  const t = useTranslations("billing.ai");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const [month, setMonth] = useState(currentMonth);
  const usage = api.billing.aiUsage.useQuery({ month }, { placeholderData: (previous) => previous });
  const data = usage.data;
  const usd = (micro: number) => format.number(micro / 1_000_000, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 4 });
  // Feature ids hold dots ("actions.title"), which message keys cannot.
  const featureName = (feature: string) => {
    const key = `features.${feature.replace(/\./g, "_")}`;
    return t.has(key) ? t(key) : feature;
  };

  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <CardTitle>{t("title")}</CardTitle>
          <CardDescription>{t("description")}</CardDescription>
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="ai-usage-month">{t("month")}</Label>
          <Select id="ai-usage-month" value={month} onChange={(e) => setMonth(e.target.value)}>
            {lastMonths(currentMonth).map((value) => (
              <option key={value} value={value}>
                {format.dateTime(new Date(`${value}-01T12:00:00Z`), { month: "long", year: "numeric", timeZone: "UTC" })}
              </option>
            ))}
          </Select>
        </div>
      </CardHeader>
      <CardContent className="flex flex-col gap-4" aria-busy={usage.isFetching || undefined}>
        {usage.isError ? (
          <p className="text-sm text-red-700" role="alert">
            {describe(usage.error).message}
          </p>
        ) : !data ? null : (
          <>
            <UsageBar label={t("credits")} used={data.credits} limit={data.creditLimit} testId="ai-credits" />
            {data.calls === 0 ? (
              <EmptyState icon={Sparkles} title={t("empty")} description={t("emptyDescription")} className="border-none py-6" />
            ) : (
              <>
                <dl className="grid gap-4 sm:grid-cols-3">
                  <div>
                    <dt className="text-sm text-slate-600">{t("calls")}</dt>
                    <dd className="text-xl font-semibold text-slate-900 tabular-nums">{format.number(data.calls)}</dd>
                  </div>
                  <div>
                    <dt className="text-sm text-slate-600">{t("tokens")}</dt>
                    <dd className="text-xl font-semibold text-slate-900 tabular-nums">{format.number(data.promptTokens + data.completionTokens)}</dd>
                    <dd className="text-xs text-slate-500">{t("tokensDetail", { prompt: format.number(data.promptTokens), completion: format.number(data.completionTokens) })}</dd>
                  </div>
                  <div>
                    <dt className="text-sm text-slate-600">{t("cost")}</dt>
                    <dd className="text-xl font-semibold text-slate-900 tabular-nums">{usd(data.costMicroUsd)}</dd>
                    <dd className="text-xs text-slate-500">{t("costNote")}</dd>
                  </div>
                </dl>
                <Table aria-label={t("byFeature")}>
                  <THead>
                    <TR>
                      <TH>{t("feature")}</TH>
                      <TH className="text-right">{t("calls")}</TH>
                      <TH className="text-right">{t("credits")}</TH>
                      <TH className="text-right">{t("tokens")}</TH>
                      <TH className="text-right">{t("cost")}</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {data.byFeature.map((row) => (
                      <TR key={row.feature}>
                        <TD>{featureName(row.feature)}</TD>
                        <TD className="text-right tabular-nums">{format.number(row.calls)}</TD>
                        <TD className="text-right tabular-nums">{format.number(row.credits)}</TD>
                        <TD className="text-right tabular-nums">{format.number(row.tokens)}</TD>
                        <TD className="text-right tabular-nums">{usd(row.costMicroUsd)}</TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
              </>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
