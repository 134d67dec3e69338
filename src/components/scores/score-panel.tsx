"use client";

import { useFormatter, useTranslations } from "next-intl";
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import { Banner } from "~/components/ui/banner";
import { cn } from "~/components/ui/cn";
import { SCORE_BANDS } from "~/server/services/scores/types";
import { api, type RouterOutputs } from "~/trpc/react";
import { BAND_BAR, BAND_TEXT, bandOf } from "./score-style";

type Current = NonNullable<RouterOutputs["scores"]["listing"]["current"]>;
type Component = Current["components"][number];

/** A listing's Health Score: the score and band, each component with its explanation, what was
 * missing, the penalty cap, and the history. */
export function ScorePanel({ listingId }: { listingId: string }) {
  const t = useTranslations("scorePanel");
  const tBands = useTranslations("scoreBands");
  const tInputs = useTranslations("scoreInputs");
  const format = useFormatter();
  const [data] = api.scores.listing.useSuspenseQuery({ listingId });
  const current = data.current;

  if (!current) {
    return (
      <div className="flex flex-col gap-1" data-testid="score-panel-empty">
        <p className="font-medium text-slate-900">{t("notScored")}</p>
        <p className="text-sm text-slate-600">{t("notScoredDescription")}</p>
      </div>
    );
  }
  const band = bandOf(current.score);
  return (
    <div className="flex flex-col gap-5" data-testid="score-panel">
      <div className="flex flex-wrap items-end gap-x-4 gap-y-1">
        <p className={cn("text-4xl font-semibold tabular-nums", BAND_TEXT[band])} data-testid="score-value">
          {current.score}
          <span className="ml-1 text-base font-normal text-slate-600">{t("outOf")}</span>
        </p>
        <span className="text-sm font-medium text-slate-800">{tBands(band)}</span>
        <span className="text-sm text-slate-600">{t("confidence", { percent: Math.round(current.confidence * 100) })}</span>
        <span className="text-xs text-slate-600">{t("computedAt", { date: format.dateTime(current.computedAt, { dateStyle: "medium", timeStyle: "short" }) })}</span>
      </div>
      {current.penalty && (
        <Banner tone="warning" data-testid="score-penalty">
          {t(`penalties.${current.penalty}`)}
        </Banner>
      )}
      <ul className="flex flex-col gap-3" aria-label={t("title")}>
        {current.components.map((component) => (
          <ComponentRow key={component.key} component={component} />
        ))}
      </ul>
      {current.missingInputs.length > 0 && (
        <p className="text-sm text-slate-700" data-testid="score-missing">
          {t("missingInputs", { inputs: format.list(current.missingInputs.map((input) => (tInputs.has(input) ? tInputs(input) : input)), { type: "conjunction" }) })}
        </p>
      )}
      <ScoreHistory history={data.history} />
    </div>
  );
}

function ComponentRow({ component }: { component: Component }) {
  const t = useTranslations("scorePanel");
  const tComponents = useTranslations("scoreComponents");
  const tExplanations = useTranslations("scoreExplanations");
  const explanationKey = `${component.key}.${component.explanation.code}`;
  const explanation = tExplanations.has(explanationKey) ? tExplanations(explanationKey, component.explanation.params ?? {}) : "";
  const value = component.value;
  return (
    <li className="flex flex-col gap-1" data-testid={`score-component-${component.key}`}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-900">{tComponents(component.key)}</span>
        <span className="text-slate-700 tabular-nums">
          {value === null ? t("componentMissing") : value}
          {value !== null && <span className="ml-2 text-xs text-slate-500">{t("componentWeight", { percent: Math.round(component.weight * 100) })}</span>}
        </span>
      </div>
      <div
        className="h-2 w-full overflow-hidden rounded-full bg-slate-100"
        role="meter"
        aria-label={tComponents(component.key)}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value ?? undefined}
      >
        {value !== null && <div className={cn("h-full rounded-full", BAND_BAR[bandOf(value)])} style={{ width: `${Math.max(value, 2)}%` }} />}
      </div>
      <p className="text-xs text-slate-600">{explanation}</p>
    </li>
  );
}

function ScoreHistory({ history }: { history: RouterOutputs["scores"]["listing"]["history"] }) {
  const t = useTranslations("scorePanel");
  const format = useFormatter();
  if (history.length < 2) return <p className="text-sm text-slate-600">{t("historyEmpty")}</p>;
  const data = history.map((point) => ({ at: point.computedAt.getTime(), score: point.score }));
  return (
    <div className="flex flex-col gap-2">
      <h3 className="text-sm font-medium text-slate-900">{t("historyTitle")}</h3>
      <div className="h-48 w-full" role="img" aria-label={t("historyLabel")} data-testid="score-history">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="at" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={(v: number) => format.dateTime(new Date(v), { day: "2-digit", month: "2-digit" })} fontSize={12} />
            <YAxis domain={[0, 100]} ticks={[0, SCORE_BANDS.poorBelow, SCORE_BANDS.goodFrom, 100]} fontSize={12} width={32} />
            <ReferenceLine y={SCORE_BANDS.poorBelow} stroke="#fca5a5" strokeDasharray="4 4" />
            <ReferenceLine y={SCORE_BANDS.goodFrom} stroke="#86efac" strokeDasharray="4 4" />
            <Tooltip labelFormatter={(v) => format.dateTime(new Date(Number(v)), { dateStyle: "medium", timeStyle: "short" })} />
            <Line type="stepAfter" dataKey="score" name={t("score")} stroke="#0369a1" strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
