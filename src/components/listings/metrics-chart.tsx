"use client";

import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { cn } from "~/components/ui/cn";
import { api } from "~/trpc/react";

const SERIES = ["visits", "sales", "price", "stock"] as const;
type Series = (typeof SERIES)[number];
const COLORS: Record<Series, string> = { visits: "#0369a1", sales: "#15803d", price: "#7c3aed", stock: "#b45309" };

/** The listing's daily metrics; one series at a time keeps scales readable (price vs visits). */
export function ListingMetricsChart({ listingId }: { listingId: string }) {
  const t = useTranslations("listings");
  const format = useFormatter();
  const [series, setSeries] = useState<Series>("visits");
  const [metrics] = api.listings.metrics.useSuspenseQuery({ id: listingId, days: 30 });
  const data = metrics.points.map((p) => ({ date: p.date, visits: p.visits, sales: p.sales, price: p.priceCents / 100, stock: p.stock }));
  const formatValue = (value: number) =>
    series === "price" ? format.number(value, { style: "currency", currency: metrics.currency }) : format.number(value);

  if (data.length === 0) return <p className="text-sm text-slate-600">{t("noMetrics")}</p>;
  return (
    <div className="flex flex-col gap-3" data-testid="metrics-chart">
      <div role="tablist" aria-label={t("metricsTitle")} className="flex flex-wrap gap-2">
        {SERIES.map((s) => (
          <button
            key={s}
            role="tab"
            type="button"
            aria-selected={series === s}
            onClick={() => setSeries(s)}
            className={cn(
              "rounded-full border px-3 py-1 text-sm",
              series === s ? "border-brand-700 bg-brand-700 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50",
            )}
          >
            {t(`series.${s}`)}
          </button>
        ))}
      </div>
      <div className="h-72 w-full" role="img" aria-label={t("chartLabel", { series: t(`series.${series}`), days: data.length })}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="date" tickFormatter={(d: string) => format.dateTime(new Date(`${d}T12:00:00Z`), { day: "2-digit", month: "2-digit" })} fontSize={12} />
            <YAxis tickFormatter={(v: number) => formatValue(v)} fontSize={12} width={80} allowDecimals={series === "price"} />
            <Tooltip
              formatter={(value) => formatValue(Number(value))}
              labelFormatter={(d) => format.dateTime(new Date(`${String(d)}T12:00:00Z`), { dateStyle: "medium" })}
            />
            <Legend />
            <Line type="monotone" dataKey={series} name={t(`series.${series}`)} stroke={COLORS[series]} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
