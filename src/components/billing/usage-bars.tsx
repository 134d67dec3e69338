"use client";

import { useFormatter, useTranslations } from "next-intl";

import { cn } from "../ui/cn";

/** ok below 80 %, near from 80 %, full at (or past, after a downgrade) the limit. */
export function usageLevel(used: number, limit: number): "ok" | "near" | "full" {
  if (used >= limit) return "full";
  return limit > 0 && used / limit >= 0.8 ? "near" : "ok";
}

const BAR_TONE = { ok: "bg-brand-600", near: "bg-amber-500", full: "bg-red-600" } as const;
const TEXT_TONE = { ok: "text-slate-700", near: "text-amber-800", full: "text-red-700" } as const;

/**
 * One limit as an accessible progress bar: "x de y", amber from 80 %, red at the limit. The bar's
 * value is clamped to the limit (ARIA wants it within min..max); the text keeps the real figure.
 */
export function UsageBar({ label, used, limit, note, testId }: { label: string; used: number; limit: number; note?: string; testId?: string }) {
  const t = useTranslations("billing.usage");
  const format = useFormatter();
  const level = usageLevel(used, limit);
  const text = t("of", { used: format.number(used), limit: format.number(limit) });
  const percent = limit > 0 ? Math.min(100, (used / limit) * 100) : 100;
  return (
    <div className="flex flex-col gap-1.5" data-testid={testId} data-level={level}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-slate-800">{label}</span>
        <span className={cn("tabular-nums", TEXT_TONE[level])}>
          {text}
          {level !== "ok" && <span className="ml-1.5 text-xs font-medium">· {t(level)}</span>}
        </span>
      </div>
      <div
        className="h-2 overflow-hidden rounded-full bg-slate-100"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={limit}
        aria-valuenow={Math.min(used, limit)}
        aria-valuetext={text}
      >
        <div className={cn("h-full rounded-full", BAR_TONE[level])} style={{ width: `${percent}%` }} />
      </div>
      {note && <p className="text-xs text-slate-500">{note}</p>}
    </div>
  );
}
