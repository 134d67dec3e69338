"use client";

import { Package, Search } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button, buttonVariants } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterInputs } from "~/trpc/react";

export const LISTINGS_PAGE_SIZE = 50;

type Filters = Omit<RouterInputs["listings"]["list"], "limit" | "cursor">;

const STATUSES = ["ACTIVE", "PAUSED", "CLOSED", "UNDER_REVIEW", "INACTIVE"] as const;
const BANDS = ["poor", "fair", "good", "unscored"] as const;
const SORTS = ["recent", "title", "price_asc", "price_desc", "stock_asc", "sold_desc", "health_asc", "health_desc"] as const;
const PROVIDERS = ["MERCADOLIVRE", "SHOPEE"] as const;
const STATUS_TONE = { ACTIVE: "brand", PAUSED: "warning", CLOSED: "neutral", UNDER_REVIEW: "info", INACTIVE: "neutral" } as const;

export function ListingsBrowser() {
  const t = useTranslations("listings");
  const tProviders = useTranslations("providers");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const [filters, setFilters] = useState<Filters>({ sort: "recent" });
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [categories] = api.listings.categories.useSuspenseQuery();
  const [cards] = api.connectors.cards.useSuspenseQuery(undefined, {
    refetchInterval: (query) => (query.state.data?.some((c) => c.sync?.state === "RUNNING" || (c.status === "ACTIVE" && !c.sync)) ? 3000 : false),
  });
  const syncing = cards.find((c) => c.sync?.state === "RUNNING" || (c.status === "ACTIVE" && !c.sync));
  const input = { ...filters, search: deferredSearch || undefined, limit: LISTINGS_PAGE_SIZE };
  const listings = api.listings.list.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // While the first sync runs, new listings keep arriving.
    refetchInterval: syncing ? 4000 : false,
  });
  const set = <K extends keyof Filters>(key: K, value: string) => setFilters((f) => ({ ...f, [key]: value === "" ? undefined : value }));
  const filtering = Object.entries(filters).some(([k, v]) => k !== "sort" && v !== undefined) || !!deferredSearch;
  const items = listings.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <div className="flex flex-col gap-4">
      {syncing && (
        <Banner tone="info" title={t("syncingTitle")} data-testid="listings-syncing">
          {syncing.sync?.total ? t("syncingBody", { done: format.number(syncing.sync.processed), total: format.number(syncing.sync.total) }) : t("syncingStarting")}
        </Banner>
      )}
      <Card className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-6" role="search" aria-label={t("filtersLabel")}>
        <div className="flex flex-col gap-1 lg:col-span-2">
          <Label htmlFor="listing-search">{t("search")}</Label>
          <div className="relative">
            <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" aria-hidden="true" />
            <Input id="listing-search" type="search" className="pl-9" value={search} placeholder={t("searchPlaceholder")} onChange={(e) => setSearch(e.target.value)} />
          </div>
        </div>
        <FilterSelect id="f-provider" label={t("channel")} value={filters.provider} onChange={(v) => set("provider", v)} all={t("all")}
          options={PROVIDERS.map((p) => ({ value: p, label: tProviders(p) }))} />
        <FilterSelect id="f-status" label={t("status")} value={filters.status} onChange={(v) => set("status", v)} all={t("all")}
          options={STATUSES.map((s) => ({ value: s, label: t(`statuses.${s}`) }))} />
        <FilterSelect id="f-health" label={t("health")} value={filters.health} onChange={(v) => set("health", v)} all={t("all")}
          options={BANDS.map((b) => ({ value: b, label: t(`bands.${b}`) }))} />
        <FilterSelect id="f-category" label={t("category")} value={filters.categoryId} onChange={(v) => set("categoryId", v)} all={t("all")}
          options={categories.map((c) => ({ value: c.categoryId, label: `${c.categoryId} (${c.count})` }))} />
        <FilterSelect id="f-sort" label={t("sort")} value={filters.sort} onChange={(v) => set("sort", v || "recent")}
          options={SORTS.map((s) => ({ value: s, label: t(`sorts.${s}`) }))} />
      </Card>

      {listings.isPending ? (
        <p className="text-sm text-slate-600">{tCommon("loading")}</p>
      ) : listings.isError ? (
        <p role="alert" className="text-sm text-red-700">{describe(listings.error).message}</p>
      ) : items.length === 0 ? (
        filtering ? (
          <EmptyState icon={Search} title={t("noMatch")} description={t("noMatchDescription")} />
        ) : (
          <EmptyState
            icon={Package}
            title={t("empty")}
            description={t("emptyDescription")}
            action={<Link href="/settings/connections" className={buttonVariants()}>{t("goToConnections")}</Link>}
          />
        )
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("titleColumn")}</TH>
                <TH>{t("channel")}</TH>
                <TH>{t("status")}</TH>
                <TH className="text-right">{t("price")}</TH>
                <TH className="text-right">{t("stock")}</TH>
                <TH className="text-right">{t("sold")}</TH>
                <TH className="text-right">{t("health")}</TH>
              </TR>
            </THead>
            <TBody>
              {items.map((l) => (
                <TR key={l.id} data-testid="listing-row">
                  <TD className="max-w-md font-medium">
                    <Link href={`/seller/listings/${l.id}`} className="line-clamp-2 text-slate-900 hover:text-brand-700 hover:underline">
                      {l.title}
                    </Link>
                    <span className="text-xs text-slate-500">{l.externalId}{l.categoryId ? ` · ${l.categoryId}` : ""}</span>
                  </TD>
                  <TD>{tProviders(l.provider)}</TD>
                  <TD>
                    <Badge tone={STATUS_TONE[l.status]}>{t(`statuses.${l.status}`)}</Badge>
                  </TD>
                  {/* Prices are integer cents; dividing only for display is exact enough. */}
                  <TD className="text-right tabular-nums">{format.number(l.priceCents / 100, { style: "currency", currency: l.currency })}</TD>
                  <TD className="text-right tabular-nums">{l.stock}</TD>
                  <TD className="text-right tabular-nums">{l.soldQuantity}</TD>
                  <TD className="text-right tabular-nums">{l.healthScore ?? tCommon("none")}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      {listings.hasNextPage && (
        <Button variant="secondary" className="self-center" pending={listings.isFetchingNextPage} onClick={() => void listings.fetchNextPage()}>
          {t("loadMore")}
        </Button>
      )}
    </div>
  );
}

function FilterSelect(props: { id: string; label: string; value: string | undefined; onChange: (value: string) => void; options: { value: string; label: string }[]; all?: string }) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={props.id}>{props.label}</Label>
      <Select id={props.id} value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value)}>
        {props.all !== undefined && <option value="">{props.all}</option>}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}
