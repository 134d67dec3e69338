"use client";

import { useFormatter, useTranslations } from "next-intl";

import { Badge } from "../../ui/badge";
import type { EndpointRow } from "./constants";

/** Active / failing since X / disabled (with why). */
export function EndpointStatus({ endpoint }: { endpoint: Pick<EndpointRow, "state" | "failingSince" | "disabledReason"> }) {
  const t = useTranslations("webhooks");
  const format = useFormatter();
  if (endpoint.state === "disabled") {
    const reason = endpoint.disabledReason && t.has(`disabledReasons.${endpoint.disabledReason}`) ? t(`disabledReasons.${endpoint.disabledReason}`) : null;
    return (
      <span className="flex flex-col items-start gap-1">
        <Badge tone="danger">{t("state.disabled")}</Badge>
        {reason && <span className="text-xs text-slate-600">{reason}</span>}
      </span>
    );
  }
  if (endpoint.state === "failing" && endpoint.failingSince) {
    return <Badge tone="warning">{t("state.failing", { since: format.dateTime(endpoint.failingSince, { dateStyle: "short", timeStyle: "short" }) })}</Badge>;
  }
  return <Badge tone="brand">{t("state.active")}</Badge>;
}
