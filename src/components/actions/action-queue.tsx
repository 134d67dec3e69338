"use client";

import { CheckCheck, ListChecks, Search } from "lucide-react";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { toast } from "sonner";

import { Banner } from "~/components/ui/banner";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterInputs } from "~/trpc/react";
import { ActionCard, isSettling } from "./action-card";

export const ACTIONS_PAGE_SIZE = 25;

type Filters = Omit<RouterInputs["actions"]["list"], "limit" | "cursor" | "search">;

const TYPES = ["REWRITE_TITLE", "REWRITE_DESCRIPTION", "COMPLETE_ATTRIBUTES", "ADD_PHOTOS", "ADJUST_PRICE", "ENABLE_FREE_SHIPPING", "RESTOCK_ALERT", "PAUSE_LISTING"] as const;
const PROVIDERS = ["MERCADOLIVRE", "SHOPEE"] as const;
const STATUSES = ["PENDING", "APPROVED", "APPLYING", "APPLIED", "FAILED", "REJECTED"] as const;
const GAINS = [1, 3, 5, 10] as const;

/** Follows one action approved here until the background function settles it. */
function TrackedAction({ id, canApprove, onQueued }: { id: string; canApprove: boolean; onQueued: (id: string) => void }) {
  const detail = api.actions.get.useQuery({ id }, { refetchInterval: (q) => (q.state.data && !isSettling(q.state.data.status) ? false : 1500) });
  if (!detail.data) return null;
  return <ActionCard action={detail.data} canApprove={canApprove} onQueued={onQueued} />;
}

export function ActionQueue({ canApprove }: { canApprove: boolean }) {
  const t = useTranslations("actions");
  const tProviders = useTranslations("providers");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [filters, setFilters] = useState<Filters>({ status: "PENDING" });
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [tracked, setTracked] = useState<string[]>([]);

  const input = { ...filters, search: deferredSearch || undefined, limit: ACTIONS_PAGE_SIZE };
  const actions = api.actions.list.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // Approved actions are applied in the background: refresh until none is moving.
    refetchInterval: (query) => (query.state.data?.pages.some((p) => p.items.some((a) => isSettling(a.status))) ? 2000 : false),
  });
  const items = actions.data?.pages.flatMap((p) => p.items) ?? [];
  const selectable = items.filter((a) => a.status === "PENDING");
  const track = (id: string) => setTracked((ids) => (ids.includes(id) ? ids : [id, ...ids].slice(0, 20)));

  const bulk = api.actions.bulkApprove.useMutation({
    onSuccess: async (result) => {
      toast.success(t("bulkResult", { approved: result.approved, skipped: result.skipped }));
      for (const r of result.results) if (r.outcome === "approved") track(r.id);
      const skipped = result.results.filter((r) => r.outcome === "skipped");
      if (skipped.length > 0) toast.info(skipped.map((r) => describe({ data: { reason: r.reason } }).message).filter((m, i, all) => all.indexOf(m) === i).join(" "));
      setSelected(new Set());
      await utils.actions.list.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });

  const set = <K extends keyof Filters>(key: K, value: string) =>
    setFilters((f) => ({ ...f, [key]: value === "" ? undefined : key === "minExpectedGain" ? Number(value) : value }));
  const filtering = filters.status !== "PENDING" || !!filters.type || !!filters.provider || filters.minExpectedGain !== undefined || !!deferredSearch;
  const select = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  // Tracked actions are shown above the list; the list itself would show them again.
  const listed = items.filter((a) => !tracked.includes(a.id));

  return (
    <div className="flex flex-col gap-4">
      {!canApprove && <Banner tone="info">{t("readOnly")}</Banner>}

      <Card className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-5" role="search" aria-label={t("filtersLabel")}>
        <div className="flex flex-col gap-1 lg:col-span-2">
          <Label htmlFor="action-search">{t("search")}</Label>
          <div className="relative">
            <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" aria-hidden="true" />
            <Input id="action-search" type="search" className="pl-9" value={search} placeholder={t("searchPlaceholder")} onChange={(e) => setSearch(e.target.value)} />
          </div>
        </div>
        <FilterSelect id="af-type" label={t("type")} value={filters.type} all={t("all")} onChange={(v) => set("type", v)} options={TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))} />
        <FilterSelect id="af-provider" label={t("marketplace")} value={filters.provider} all={t("all")} onChange={(v) => set("provider", v)} options={PROVIDERS.map((v) => ({ value: v, label: tProviders(v) }))} />
        <FilterSelect id="af-status" label={t("status")} value={filters.status === "ALL" ? "" : filters.status} all={t("allStatuses")}
          onChange={(v) => setFilters((f) => ({ ...f, status: v === "" ? "ALL" : (v as Filters["status"]) }))}
          options={STATUSES.map((v) => ({ value: v, label: t(`statuses.${v}`) }))} />
        <FilterSelect id="af-gain" label={t("minGain")} value={filters.minExpectedGain?.toString()} all={t("all")} onChange={(v) => set("minExpectedGain", v)}
          options={GAINS.map((g) => ({ value: String(g), label: t("minGainOption", { points: g }) }))} />
        <FilterSelect id="af-sort" label={t("sort")} value={filters.sort} all={t("sortGain")} onChange={(v) => set("sort", v)} options={[{ value: "newest", label: t("sortNewest") }]} />
      </Card>

      {tracked.length > 0 && (
        <section aria-labelledby="tracking-heading" className="flex flex-col gap-2" data-testid="tracked-actions">
          <div className="flex items-center justify-between">
            <div>
              <h2 id="tracking-heading" className="text-sm font-semibold text-slate-900">{t("tracking")}</h2>
              <p className="text-xs text-slate-600">{t("trackingDescription")}</p>
            </div>
            <Button size="sm" variant="ghost" onClick={() => setTracked([])}>{t("dismiss")}</Button>
          </div>
          <ul className="flex flex-col gap-3">
            {tracked.map((id) => (
              <TrackedAction key={id} id={id} canApprove={canApprove} onQueued={track} />
            ))}
          </ul>
        </section>
      )}

      {canApprove && selectable.length > 0 && (
        <div className="flex flex-wrap items-center gap-3 rounded-xl border border-slate-200 bg-slate-50 px-4 py-2">
          <label className="flex items-center gap-2 text-sm text-slate-800">
            <input
              type="checkbox"
              className="size-4 accent-brand-700"
              checked={selectable.length > 0 && selectable.every((a) => selected.has(a.id))}
              onChange={(e) => setSelected(e.target.checked ? new Set(selectable.map((a) => a.id)) : new Set())}
            />
            {t("selectAll")}
          </label>
          <span className="text-sm text-slate-600" aria-live="polite">{t("selectedCount", { count: selected.size })}</span>
          <Button size="sm" className="ml-auto" disabled={selected.size === 0} pending={bulk.isPending} onClick={() => bulk.mutate({ ids: [...selected].slice(0, 100) })}>
            <CheckCheck aria-hidden="true" />
            {t("bulkApprove")}
          </Button>
        </div>
      )}

      {actions.isPending ? (
        <p className="text-sm text-slate-600">{t("loading")}</p>
      ) : actions.isError ? (
        <p role="alert" className="text-sm text-red-700">{describe(actions.error).message}</p>
      ) : listed.length === 0 && tracked.length === 0 ? (
        filtering ? (
          <EmptyState icon={Search} title={t("noMatch")} description={t("noMatchDescription")} />
        ) : (
          <EmptyState icon={ListChecks} title={t("empty")} description={t("emptyDescription")} />
        )
      ) : (
        <ul className="flex flex-col gap-3" aria-label={t("listCaption")}>
          {listed.map((a) => (
            <ActionCard key={a.id} action={a} canApprove={canApprove} selected={selected.has(a.id)} onSelect={select} onQueued={track} />
          ))}
        </ul>
      )}
      {actions.hasNextPage && (
        <Button variant="secondary" className="self-center" pending={actions.isFetchingNextPage} onClick={() => void actions.fetchNextPage()}>
          {t("loadMore")}
        </Button>
      )}
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
