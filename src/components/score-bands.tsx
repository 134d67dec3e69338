import { useTranslations } from "next-intl";

import type { RouterOutputs } from "~/trpc/react";
import { cn } from "./ui/cn";

type Summary = RouterOutputs["scores"]["summary"];

const BANDS = [
  { key: "good", dot: "bg-brand-600", bar: "bg-brand-500" },
  { key: "fair", dot: "bg-amber-500", bar: "bg-amber-400" },
  { key: "poor", dot: "bg-red-600", bar: "bg-red-500" },
  { key: "unscored", dot: "bg-slate-400", bar: "bg-slate-300" },
] as const;

/** Counts per Health Score band; the bar is decoration, the numbers carry the information. */
export function ScoreBands({ summary }: { summary: Summary }) {
  const t = useTranslations("scoreBands");
  return (
    <div className="flex flex-col gap-4">
      <div className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        {BANDS.map((band) =>
          summary.bands[band.key] > 0 ? (
            <div key={band.key} className={band.bar} style={{ width: `${(summary.bands[band.key] / summary.total) * 100}%` }} />
          ) : null,
        )}
      </div>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {BANDS.map((band) => (
          <div key={band.key} className="rounded-lg border border-slate-200 px-3 py-2">
            <dt className="flex items-center gap-2 text-xs font-medium text-slate-600">
              <span className={cn("size-2 rounded-full", band.dot)} aria-hidden="true" />
              {t(band.key)}
            </dt>
            <dd className="text-xl font-semibold text-slate-900 tabular-nums">{summary.bands[band.key]}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-slate-600">
        {t("total", { count: summary.total })} · {t("legend")}
      </p>
    </div>
  );
}
