"use client";

import { MessagesSquare, Search } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";

import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { cn } from "~/components/ui/cn";
import { EmptyState } from "~/components/ui/empty-state";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterInputs, type RouterOutputs } from "~/trpc/react";
import { isMoving } from "./moving";
import { NetworkBadge } from "./network-badge";
import { ThreadPanel } from "./thread-panel";

export const INBOX_PAGE_SIZE = 25;
const NETWORKS = ["INSTAGRAM", "TIKTOK", "YOUTUBE"] as const;
const STATUSES = ["all", "unanswered", "hidden"] as const;

type Filters = Pick<RouterInputs["engagement"]["inbox"], "network" | "connectionId" | "status">;
export type InboxRow = RouterOutputs["engagement"]["inbox"]["items"][number];


export function Inbox({ canReply }: { canReply: boolean }) {
  const t = useTranslations("inbox");
  const tProviders = useTranslations("providers");
  const { describe } = useErrorMessage();
  const [filters, setFilters] = useState<Filters>({ status: "all" });
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const [selectedId, setSelectedId] = useState<string | null>(null);

  const accounts = api.engagement.accounts.useQuery();
  const list = api.engagement.inbox.useInfiniteQuery(
    { ...filters, search: deferredSearch || undefined, limit: INBOX_PAGE_SIZE },
    {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // New comments arrive in the background (webhooks, polls): refresh now and then, faster while a reply or hide is on its way.
      refetchInterval: (query) =>
        query.state.data?.pages.some((p) => p.items.some((c) => isMoving(c) || (c.lastReply && isMoving(c.lastReply)))) ? 2000 : 30_000,
    },
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtering = filters.status !== "all" || !!filters.network || !!filters.connectionId || !!deferredSearch;
  const set = (key: keyof Filters, value: string) => setFilters((f) => ({ ...f, [key]: value === "" ? undefined : value }));

  return (
    <div className="flex flex-col gap-4">
      <Card className="grid gap-3 p-4 sm:grid-cols-2 lg:grid-cols-5" role="search" aria-label={t("filtersLabel")}>
        <div className="flex flex-col gap-1 lg:col-span-2">
          <Label htmlFor="inbox-search">{t("search")}</Label>
          <div className="relative">
            <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" aria-hidden="true" />
            <Input id="inbox-search" type="search" className="pl-9" value={search} placeholder={t("searchPlaceholder")} onChange={(e) => setSearch(e.target.value)} />
          </div>
        </div>
        <FilterSelect id="inbox-network" label={t("network")} value={filters.network} all={t("allNetworks")} onChange={(v) => set("network", v)}
          options={NETWORKS.map((n) => ({ value: n, label: tProviders(n) }))} />
        <FilterSelect id="inbox-account" label={t("account")} value={filters.connectionId} all={t("allAccounts")} onChange={(v) => set("connectionId", v)}
          options={(accounts.data ?? []).filter((a) => !filters.network || a.network === filters.network).map((a) => ({ value: a.id, label: `${a.name} · ${tProviders(a.network)}` }))} />
        <div className="flex flex-col gap-1">
          <Label htmlFor="inbox-status">{t("status")}</Label>
          <Select id="inbox-status" value={filters.status ?? "all"} onChange={(e) => set("status", e.target.value)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{t(`statuses.${s}`)}</option>
            ))}
          </Select>
        </div>
      </Card>

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
        <section aria-label={t("listCaption")} className="flex flex-col gap-3">
          {list.isPending ? (
            <p className="text-sm text-slate-600" role="status">{t("loading")}</p>
          ) : list.isError ? (
            <p role="alert" className="text-sm text-red-700">{describe(list.error).message}</p>
          ) : items.length === 0 ? (
            filtering ? (
              <EmptyState icon={Search} title={t("noMatch")} description={t("noMatchDescription")} />
            ) : (
              <EmptyState icon={MessagesSquare} title={t("empty")} description={accounts.data?.length === 0 ? t("noAccounts") : t("emptyDescription")} />
            )
          ) : (
            <ul className="flex flex-col gap-2">
              {items.map((c) => (
                <li key={c.id}>
                  <CommentRow row={c} selected={c.id === selectedId} onSelect={() => setSelectedId(c.id)} />
                </li>
              ))}
            </ul>
          )}
          {list.hasNextPage && (
            <Button variant="secondary" className="self-center" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t("loadMore")}
            </Button>
          )}
        </section>

        <section aria-label={t("threadTitle")} className="lg:sticky lg:top-4">
          {selectedId ? (
            <ThreadPanel commentId={selectedId} canReply={canReply} onClose={() => setSelectedId(null)} />
          ) : (
            <Card className="p-6 text-sm text-slate-600">{t("selectPrompt")}</Card>
          )}
        </section>
      </div>
    </div>
  );
}

function CommentRow({ row, selected, onSelect }: { row: InboxRow; selected: boolean; onSelect: () => void }) {
  const t = useTranslations("inbox");
  const format = useFormatter();
  return (
    <button
      type="button"
      onClick={onSelect}
      aria-current={selected ? "true" : undefined}
      className={cn(
        "flex w-full flex-col gap-1.5 rounded-xl border bg-white p-3 text-left shadow-sm transition-colors hover:border-brand-300 focus-visible:outline-2 focus-visible:outline-brand-600",
        selected ? "border-brand-500 ring-1 ring-brand-500" : "border-slate-200",
      )}
    >
      <span className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <NetworkBadge network={row.network} />
        <span className="truncate">{row.account.name}</span>
        <time className="ml-auto" dateTime={row.receivedAt.toISOString()}>{format.dateTime(row.receivedAt, { dateStyle: "short", timeStyle: "short" })}</time>
      </span>
      <span className="text-sm font-medium text-slate-900">{row.authorName}</span>
      <span className={cn("line-clamp-3 text-sm text-slate-800", row.visibility === "hidden" && "text-slate-500 italic")}>{row.text}</span>
      <span className="flex flex-wrap items-center gap-2 text-xs">
        <Badge tone={row.replied ? "brand" : "warning"}>{row.replied ? t("answered") : t("unanswered")}</Badge>
        <span className="text-slate-600">{t("replies", { count: row.replyCount })}</span>
        {row.visibility !== "visible" && <Badge tone={row.visibility === "failed" ? "danger" : "neutral"}>{t(`visibility.${row.visibility}`)}</Badge>}
        {row.lastReply?.delivery && row.lastReply.delivery !== "SENT" && (
          <Badge tone={row.lastReply.delivery === "FAILED" ? "danger" : "info"}>{t(`delivery.${row.lastReply.delivery}`)}</Badge>
        )}
      </span>
    </button>
  );
}

function FilterSelect(props: { id: string; label: string; value: string | undefined; onChange: (value: string) => void; options: { value: string; label: string }[]; all: string }) {
  return (
    <div className="flex flex-col gap-1">
      <Label htmlFor={props.id}>{props.label}</Label>
      <Select id={props.id} value={props.value ?? ""} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.all}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>{o.label}</option>
        ))}
      </Select>
    </div>
  );
}
