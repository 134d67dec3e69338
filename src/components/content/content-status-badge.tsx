"use client";

import { useTranslations } from "next-intl";

import { Badge } from "~/components/ui/badge";

export type ContentStatus = "DRAFT" | "IN_REVIEW" | "APPROVED";

const TONE = { DRAFT: "neutral", IN_REVIEW: "warning", APPROVED: "brand" } as const;

export function ContentStatusBadge({ status }: { status: ContentStatus }) {
  const t = useTranslations("content");
  return <Badge tone={TONE[status]}>{t(`statuses.${status}`)}</Badge>;
}
