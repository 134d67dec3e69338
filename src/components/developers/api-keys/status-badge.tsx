"use client";

import { useTranslations } from "next-intl";

import { Badge } from "../../ui/badge";

export type ApiKeyStatus = "ACTIVE" | "EXPIRED" | "REVOKED" | "ORPHANED";

const TONE: Record<ApiKeyStatus, "brand" | "neutral" | "danger" | "warning"> = { ACTIVE: "brand", EXPIRED: "neutral", REVOKED: "danger", ORPHANED: "warning" };

export function ApiKeyStatusBadge({ status }: { status: ApiKeyStatus }) {
  const t = useTranslations("apiKeys");
  return (
    <Badge tone={TONE[status]} data-status={status} title={status === "ORPHANED" ? t("orphanedHint") : undefined}>
      {t(`statuses.${status}`)}
    </Badge>
  );
}
