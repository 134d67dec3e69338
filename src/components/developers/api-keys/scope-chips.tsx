"use client";

import { useTranslations } from "next-intl";

import { Badge } from "../../ui/badge";
import { parseScope } from "./scopes";

/** A key's scopes as chips: "Anúncios e saúde: Escrita". */
export function ScopeChips({ scopes }: { scopes: string[] }) {
  const t = useTranslations("apiKeys.scopes");
  return (
    <ul className="flex flex-wrap gap-1" aria-label={t("legend")}>
      {scopes.map((scope) => {
        const { domain, level } = parseScope(scope);
        const domainName = t.has(`domains.${domain}`) ? t(`domains.${domain}`) : domain;
        return (
          <li key={scope}>
            <Badge tone={level === "write" ? "violet" : "info"} data-scope={scope} title={scope}>
              {t("chip", { domain: domainName, level: t(level) })}
            </Badge>
          </li>
        );
      })}
    </ul>
  );
}
