"use client";

import { ArrowDownRight, ArrowUpRight, Gauge } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";

import { ScoreBands } from "~/components/score-bands";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { cn } from "~/components/ui/cn";
import { api, type RouterOutputs } from "~/trpc/react";
import { BAND_BADGE, bandOf } from "./score-style";

type Mover = RouterOutputs["scores"]["summary"]["movers"]["up"][number];

export function ScoreBadge({ score, className }: { score: number; className?: string }) {
  return (
    <span className={cn("inline-flex min-w-10 justify-center rounded-md border px-1.5 py-0.5 text-sm font-semibold tabular-nums", BAND_BADGE[bandOf(score)], className)}>
      {score}
    </span>
  );
}

/** The organization's Health Score at a glance: bands, average and confidence, worst, movers. */
export function ScoresOverview() {
  const t = useTranslations("scores");
  const tProviders = useTranslations("providers");
  const format = useFormatter();
  const [summary] = api.scores.summary.useSuspenseQuery();

  if (summary.total === 0) return <EmptyState icon={Gauge} title={t("empty")} description={t("emptyDescription")} />;
  return (
    <div className="flex flex-col gap-6">
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2" data-testid="score-bands">
          <CardHeader>
            <CardTitle>{t("bandsTitle")}</CardTitle>
          </CardHeader>
          <CardContent>
            <ScoreBands summary={summary} />
          </CardContent>
        </Card>
        <Card data-testid="score-average">
          <CardHeader>
            <CardTitle>{t("averageTitle")}</CardTitle>
            <CardDescription>{t("confidenceHelp")}</CardDescription>
          </CardHeader>
          <CardContent className="flex flex-col gap-1">
            {summary.average === null ? (
              <p className="text-sm text-slate-600">{t("noAverage")}</p>
            ) : (
              <>
                <p className="text-3xl font-semibold text-slate-900 tabular-nums">
                  {t("averageValue", { value: format.number(summary.average, { maximumFractionDigits: 1 }) })}
                </p>
                {summary.averageConfidence !== null && (
                  <p className="text-sm text-slate-700">{t("confidence", { percent: Math.round(summary.averageConfidence * 100) })}</p>
                )}
              </>
            )}
          </CardContent>
        </Card>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card data-testid="score-worst">
          <CardHeader>
            <CardTitle>{t("worstTitle")}</CardTitle>
          </CardHeader>
          <CardContent>
            {summary.worst.length === 0 ? (
              <p className="text-sm text-slate-600">{t("worstEmpty")}</p>
            ) : (
              <ol className="flex flex-col divide-y divide-slate-100">
                {summary.worst.map((listing) => (
                  <li key={listing.id} className="flex items-center gap-3 py-2">
                    <ScoreBadge score={listing.score} />
                    <Link href={`/seller/listings/${listing.id}`} className="min-w-0 flex-1 truncate text-sm text-brand-800 hover:underline">
                      {listing.title}
                    </Link>
                    <span className="shrink-0 text-xs text-slate-600">{tProviders(listing.provider)}</span>
                  </li>
                ))}
              </ol>
            )}
          </CardContent>
        </Card>
        <Card data-testid="score-movers">
          <CardHeader>
            <CardTitle>{t("moversTitle")}</CardTitle>
          </CardHeader>
          <CardContent>
            {summary.movers.up.length + summary.movers.down.length === 0 ? (
              <p className="text-sm text-slate-600">{t("moversEmpty")}</p>
            ) : (
              <div className="grid gap-4 sm:grid-cols-2">
                <MoverList title={t("moversUp")} movers={summary.movers.up} direction="up" />
                <MoverList title={t("moversDown")} movers={summary.movers.down} direction="down" />
              </div>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  );
}

function MoverList({ title, movers, direction }: { title: string; movers: Mover[]; direction: "up" | "down" }) {
  const t = useTranslations("scores");
  const Icon = direction === "up" ? ArrowUpRight : ArrowDownRight;
  return (
    <div className="flex flex-col gap-2">
      <h3 className={cn("flex items-center gap-1 text-sm font-medium", direction === "up" ? "text-brand-800" : "text-red-700")}>
        <Icon className="size-4" aria-hidden="true" />
        {title}
      </h3>
      <ul className="flex flex-col gap-2">
        {movers.map((m) => (
          <li key={m.id} className="flex flex-col text-sm">
            <Link href={`/seller/listings/${m.id}`} className="truncate text-brand-800 hover:underline">
              {m.title}
            </Link>
            <span className="text-xs text-slate-600 tabular-nums">
              {t("moverDelta", { previous: m.previous, score: m.score })} ({m.delta > 0 ? `+${m.delta}` : m.delta})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
