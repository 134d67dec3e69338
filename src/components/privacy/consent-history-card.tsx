"use client";

import { useFormatter, useTranslations } from "next-intl";

import { api } from "~/trpc/react";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { CardLoadError, CardLoading } from "../ui/card-query-states";
import { useErrorMessage } from "../use-error-message";

/** The organization's consent history per connector: provider, text version, granted/withdrawn, who, when. */
export function ConsentHistoryCard() {
  const t = useTranslations("privacySettings.consents");
  const tProviders = useTranslations("providers");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const list = api.privacy.consents.useInfiniteQuery({ limit: 25 }, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      {list.isPending ? (
        <CardLoading />
      ) : list.isError ? (
        <CardLoadError message={describe(list.error).message} onRetry={() => void list.refetch()} />
      ) : rows.length === 0 ? (
        <CardContent className="text-sm text-slate-600">{t("empty")}</CardContent>
      ) : (
        <CardContent className="flex flex-col gap-3">
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200" data-testid="consent-history">
            {rows.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
                <span className="font-medium text-slate-900">{tProviders(r.provider)}</span>
                <Badge tone={r.action === "GRANTED" ? "brand" : "neutral"}>{t(`action.${r.action}`)}</Badge>
                <span className="text-slate-600">{t("version", { version: r.version })}</span>
                <span className="text-slate-600">{r.by ?? t("unknownPerson")}</span>
                <time className="ml-auto text-slate-500" dateTime={r.createdAt.toISOString()}>
                  {format.dateTime(r.createdAt, { dateStyle: "short", timeStyle: "short" })}
                </time>
              </li>
            ))}
          </ul>
          {list.hasNextPage && (
            <div>
              <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                {t("more")}
              </Button>
            </div>
          )}
        </CardContent>
      )}
    </Card>
  );
}
