import { ArrowRight, TrendingUp } from "lucide-react";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";

import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import type { RouterOutputs } from "~/trpc/react";

type Summary = RouterOutputs["actions"]["effectsSummary"];

/** Dashboard card: the measured gain per action type at 7 and 30 days (server component). */
export async function EffectsCard({ summary }: { summary: Summary }) {
  const [t, format] = await Promise.all([getTranslations("actions"), getFormatter()]);
  const signed = (n: number | null, digits = 1) => (n === null ? "—" : `${n > 0 ? "+" : ""}${format.number(n, { maximumFractionDigits: digits })}`);
  return (
    <Card data-testid="effects-card">
      <CardHeader className="flex-row items-center justify-between">
        <div>
          <CardTitle>{t("effects.title")}</CardTitle>
          <CardDescription>{t("effects.description")}</CardDescription>
        </div>
        <Link href="/seller/actions" className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
          {t("openQueue")}
          <ArrowRight className="size-4" aria-hidden="true" />
        </Link>
      </CardHeader>
      <CardContent>
        {summary.length === 0 ? (
          <EmptyState icon={TrendingUp} title={t("effects.empty")} description={t("effects.emptyDescription")} className="border-none py-6" />
        ) : (
          <Table>
            <caption className="sr-only">{t("effects.caption")}</caption>
            <THead>
              <TR>
                <TH>{t("type")}</TH>
                <TH>{t("effects.horizon")}</TH>
                <TH className="text-right">{t("effects.count")}</TH>
                <TH className="text-right">{t("effects.score")}</TH>
                <TH className="text-right">{t("effects.visits")}</TH>
                <TH className="text-right">{t("effects.sales")}</TH>
              </TR>
            </THead>
            <TBody>
              {summary.map((row) => (
                <TR key={`${row.type}-${row.horizonDays}`}>
                  <TD>{t(`types.${row.type}`)}</TD>
                  <TD>{t("effects.days", { days: row.horizonDays })}</TD>
                  <TD className="text-right tabular-nums">{row.count}</TD>
                  <TD className="text-right tabular-nums">{signed(row.avgScoreChange)}</TD>
                  <TD className="text-right tabular-nums">{signed(row.avgVisitsPerDayChange, 2)}</TD>
                  <TD className="text-right tabular-nums">{signed(row.avgSalesPerDayChange, 2)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
