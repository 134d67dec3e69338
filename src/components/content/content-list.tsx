"use client";

import { FileText, Plus, Search } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";

import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { useErrorMessage } from "~/components/use-error-message";
import { SOCIAL_NETWORKS } from "~/lib/social/networks";
import { api, type RouterInputs } from "~/trpc/react";
import { ContentStatusBadge } from "./content-status-badge";
import { NewContentDialog } from "./new-content-dialog";

export const CONTENT_PAGE_SIZE = 25;

type Filters = Pick<RouterInputs["content"]["list"], "status" | "campaignId" | "network">;
const STATUSES = ["DRAFT", "IN_REVIEW", "APPROVED"] as const;

export function ContentList({ canWrite, timeZone, initialCampaignId }: { canWrite: boolean; timeZone: string; initialCampaignId?: string }) {
  const t = useTranslations("content");
  const tProviders = useTranslations("providers");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const [filters, setFilters] = useState<Filters>(() => (initialCampaignId ? { campaignId: initialCampaignId } : {}));
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [creating, setCreating] = useState(false);

  const campaigns = api.content.campaigns.list.useQuery({ limit: 100, includeArchived: true });
  const list = api.content.list.useInfiniteQuery(
    { ...filters, search: deferredSearch || undefined, limit: CONTENT_PAGE_SIZE },
    { getNextPageParam: (page) => page.nextCursor ?? undefined },
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtering = !!filters.status || !!filters.campaignId || !!filters.network || !!deferredSearch;
  const set = (key: keyof Filters, value: string) => setFilters((f) => ({ ...f, [key]: value === "" ? undefined : value }));

  const newButton = canWrite && (
    <Button onClick={() => setCreating(true)}>
      <Plus aria-hidden="true" />
      {t("list.new")}
    </Button>
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex justify-end">{newButton}</div>
      <Card className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-4" role="search" aria-label={t("list.filters")}>
        <div className="flex flex-col gap-1">
          <Label htmlFor="content-search">{t("list.search")}</Label>
          <div className="relative">
            <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" aria-hidden="true" />
            <Input id="content-search" type="search" className="pl-9" value={search} placeholder={t("list.searchPlaceholder")} onChange={(e) => setSearch(e.target.value)} />
          </div>
        </div>
        <FilterSelect id="cf-status" label={t("status")} value={filters.status} all={t("list.all")} onChange={(v) => set("status", v)} options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} />
        <FilterSelect id="cf-campaign" label={t("campaign")} value={filters.campaignId} all={t("list.all")} onChange={(v) => set("campaignId", v)}
          options={(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))} />
        <FilterSelect id="cf-network" label={t("list.network")} value={filters.network} all={t("list.all")} onChange={(v) => set("network", v)}
          options={SOCIAL_NETWORKS.map((n) => ({ value: n, label: tProviders(n) }))} />
      </Card>

      {list.isPending ? (
        <p className="text-sm text-slate-600">{tCommon("loading")}</p>
      ) : list.isError ? (
        <div role="alert" className="flex items-center gap-3 text-sm text-red-700">
          {describe(list.error).message}
          <Button size="sm" variant="secondary" onClick={() => void list.refetch()}>{tCommon("retry")}</Button>
        </div>
      ) : items.length === 0 ? (
        filtering ? (
          <EmptyState icon={Search} title={t("list.noMatch")} description={t("list.noMatchDescription")} />
        ) : (
          <EmptyState icon={FileText} title={t("empty")} description={t("emptyDescription")} action={newButton} />
        )
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("titleColumn")}</TH>
                <TH>{t("campaign")}</TH>
                <TH>{t("networks")}</TH>
                <TH>{t("status")}</TH>
                <TH>{t("list.updated")}</TH>
              </TR>
            </THead>
            <TBody>
              {items.map((c) => (
                <TR key={c.id}>
                  <TD className="font-medium">
                    <Link href={`/social/content/${c.id}`} className="text-brand-700 underline-offset-4 hover:underline">
                      {c.title}
                    </Link>
                  </TD>
                  <TD>{c.campaign?.name ?? tCommon("none")}</TD>
                  <TD>{c.variants.map((v) => tProviders(v.network)).join(", ") || tCommon("none")}</TD>
                  <TD>
                    <ContentStatusBadge status={c.status} />
                  </TD>
                  <TD className="whitespace-nowrap text-slate-600">{format.dateTime(c.updatedAt, { timeZone, dateStyle: "short", timeStyle: "short" })}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      {list.hasNextPage && (
        <Button variant="secondary" className="self-center" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {t("list.loadMore")}
        </Button>
      )}
      {canWrite && <NewContentDialog open={creating} onOpenChange={setCreating} />}
    </div>
  );
}

function FilterSelect(props: { id: string; label: string; value: string | undefined; onChange: (value: string) => void; options: { value: string; label: string }[]; all: string }) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={props.id}>{props.label}</Label>
      <Select id={props.id} value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}
