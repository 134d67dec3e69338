"use client";

import { useLocale, useTranslations } from "next-intl";

import { Banner } from "~/components/ui/banner";
import { api, type RouterOutputs } from "~/trpc/react";

type Status = RouterOutputs["connectors"]["circuits"];
type Provider = Status["circuits"][number]["provider"];

const MARKETPLACES: Provider[] = ["MERCADOLIVRE", "SHOPEE"];
const SOCIAL: Provider[] = ["INSTAGRAM", "TIKTOK", "YOUTUBE"];
export type OutageArea = "all" | "marketplace" | "social";

/** HH:MM of an instant on the organization's clock (not the browser's). */
export function resumeTime(at: Date, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(at);
}

/**
 * One banner per open circuit breaker (docs/resilience.md): "Mercado Livre indisponível — retomando
 * às HH:MM", or the account's name when only that connection is affected. Background work for it
 * waits until then; nothing needs doing by the person.
 */
export function ProviderOutageBanners({ status, area = "all", now = new Date() }: { status: Status; area?: OutageArea; now?: Date }) {
  const t = useTranslations("providerOutage");
  const tProviders = useTranslations("providers");
  const locale = useLocale();
  const shown = status.circuits.filter((c) => area === "all" || (area === "marketplace" ? MARKETPLACES : SOCIAL).includes(c.provider));
  if (shown.length === 0) return null;
  return (
    <div className="flex flex-col gap-3" data-testid="provider-outage">
      {shown.map((c) => {
        const provider = tProviders(c.provider);
        // Half-open: the probe is out now; its lease end is no resume time to promise.
        const resumes = c.state === "OPEN" && c.resumesAt && c.resumesAt > now ? resumeTime(c.resumesAt, status.timeZone, locale) : null;
        const title =
          c.scope === "provider"
            ? resumes
              ? t("providerTitle", { provider, time: resumes })
              : t("providerProbing", { provider })
            : resumes
              ? t("connectionTitle", { provider, account: c.accountName ?? "", time: resumes })
              : t("connectionProbing", { provider, account: c.accountName ?? "" });
        return (
          <Banner key={`${c.scope}:${c.connectionId ?? c.provider}`} tone="warning" role="status" title={title}>
            {c.scope === "provider" ? t("providerBody", { provider }) : t("connectionBody")}
          </Banner>
        );
      })}
    </div>
  );
}

/** The banners, fed by connectors.circuits and refreshed every 30 s. */
export function ProviderOutageBanner({ area = "all" }: { area?: OutageArea }) {
  const { data } = api.connectors.circuits.useQuery(undefined, { refetchInterval: 30_000 });
  if (!data) return null;
  return <ProviderOutageBanners status={data} area={area} />;
}
