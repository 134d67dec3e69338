"use client";

import { useLocale, useTranslations } from "next-intl";
import { useFormStatus } from "react-dom";

import { cn } from "./ui/cn";
import { setLocaleAction } from "./server-actions";

const OPTIONS = [
  { locale: "pt-BR", short: "ptBRShort", full: "ptBR" },
  { locale: "en", short: "enShort", full: "en" },
] as const;

/**
 * Two buttons in one form posting to a server action: it works before hydration too, and each
 * button is named in its own language so a person who cannot read the current one finds theirs.
 */
export function LanguageSwitch({ className }: { className?: string }) {
  const t = useTranslations("language");
  return (
    <form action={setLocaleAction} className={className}>
      <fieldset className="flex items-center rounded-lg border border-slate-300 bg-white p-0.5 shadow-sm">
        <legend className="sr-only">{t("label")}</legend>
        {OPTIONS.map((option) => (
          <LanguageButton key={option.locale} locale={option.locale} short={t(option.short)} full={t(option.full)} />
        ))}
      </fieldset>
    </form>
  );
}

function LanguageButton({ locale, short, full }: { locale: string; short: string; full: string }) {
  const current = useLocale();
  const { pending } = useFormStatus();
  const active = current === locale;
  return (
    <button
      type="submit"
      name="locale"
      value={locale}
      lang={locale}
      aria-label={full}
      aria-pressed={active}
      disabled={pending}
      className={cn(
        "rounded-md px-2 py-1 text-xs font-semibold transition-colors disabled:opacity-60",
        active ? "bg-brand-700 text-white" : "text-slate-700 hover:bg-slate-100",
      )}
    >
      {short}
    </button>
  );
}
