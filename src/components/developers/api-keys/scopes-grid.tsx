"use client";

import { useTranslations } from "next-intl";

import { SCOPE_DOMAINS, type ScopeLevel, type ScopeSelection } from "./scopes";

type ScopesGridProps = {
  value: ScopeSelection;
  onChange: (next: ScopeSelection) => void;
  error?: string;
  disabled?: boolean;
};

/**
 * Domain × read/write. Ticking write ticks read too (shown checked and locked, "included in
 * write"); unticking read clears the domain.
 */
export function ScopesGrid({ value, onChange, error, disabled }: ScopesGridProps) {
  const t = useTranslations("apiKeys.scopes");
  const set = (domain: string, level: ScopeLevel) => onChange({ ...value, [domain]: level });

  return (
    <fieldset className="flex flex-col gap-2" aria-describedby="api-key-scopes-hint" aria-invalid={error ? true : undefined}>
      <legend className="mb-1 text-sm font-medium text-slate-900">{t("legend")}</legend>
      <table className="w-full border-collapse text-left text-sm" data-testid="scopes-grid">
        <thead className="text-xs text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">
              <span className="sr-only">{t("legend")}</span>
            </th>
            <th scope="col" className="w-24 px-2 py-1 text-center font-medium">
              {t("read")}
            </th>
            <th scope="col" className="w-24 px-2 py-1 text-center font-medium">
              {t("write")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {SCOPE_DOMAINS.map(({ domain, read, write }) => {
            const level = value[domain] ?? "none";
            const name = t(`domains.${domain}`);
            const readIncluded = level === "write" && read !== null;
            return (
              <tr key={domain} data-domain={domain}>
                <th scope="row" className="py-2 pr-2 font-normal text-slate-800">
                  {name}
                </th>
                <td className="px-2 py-2 text-center">
                  {read ? (
                    <input
                      type="checkbox"
                      className="size-4 accent-brand-700"
                      data-scope={read}
                      aria-label={`${name}: ${t("read")}`}
                      title={readIncluded ? t("readIncluded") : undefined}
                      checked={level !== "none"}
                      disabled={disabled || readIncluded}
                      onChange={(e) => set(domain, e.target.checked ? "read" : "none")}
                    />
                  ) : (
                    <span className="text-xs text-slate-500" title={t("notAvailable")}>
                      —<span className="sr-only">{t("notAvailable")}</span>
                    </span>
                  )}
                </td>
                <td className="px-2 py-2 text-center">
                  {write ? (
                    <input
                      type="checkbox"
                      className="size-4 accent-brand-700"
                      data-scope={write}
                      aria-label={`${name}: ${t("write")}`}
                      checked={level === "write"}
                      disabled={disabled}
                      onChange={(e) => set(domain, e.target.checked ? "write" : read ? "read" : "none")}
                    />
                  ) : (
                    <span className="text-xs text-slate-500">
                      —<span className="sr-only">{t("notAvailable")}</span>
                    </span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p id="api-key-scopes-hint" className="text-xs text-slate-600">
        {t("hint")}
      </p>
      {error && (
        <p role="alert" className="text-sm font-medium text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
