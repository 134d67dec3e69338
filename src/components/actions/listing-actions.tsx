"use client";

import { ArrowRight } from "lucide-react";
import Link from "next/link";
import { useTranslations } from "next-intl";

import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { api } from "~/trpc/react";
import { ActionCard, isSettling } from "./action-card";

/** The "Ações" section of a listing's page: its actions of any status, newest first. */
export function ListingActions({ listingId, canApprove }: { listingId: string; canApprove: boolean }) {
  const t = useTranslations("actions");
  const actions = api.actions.list.useQuery(
    { listingId, status: "ALL", limit: 10 },
    { refetchInterval: (q) => (q.state.data?.items.some((a) => isSettling(a.status)) ? 2000 : false) },
  );
  const items = actions.data?.items ?? [];
  return (
    <Card data-testid="listing-actions">
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>{t("listingSection.title")}</CardTitle>
        <Link href="/seller/actions" className="inline-flex items-center gap-1 text-sm font-medium text-brand-700 hover:underline">
          {t("listingSection.seeAll")}
          <ArrowRight className="size-4" aria-hidden="true" />
        </Link>
      </CardHeader>
      <CardContent>
        {actions.isPending ? (
          <p className="text-sm text-slate-600">{t("loading")}</p>
        ) : items.length === 0 ? (
          <p className="text-sm text-slate-600">{t("listingSection.empty")}</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {items.map((a) => (
              <ActionCard key={a.id} action={a} canApprove={canApprove} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
