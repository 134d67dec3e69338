"use client";

import { AlertTriangle, CalendarClock, CheckCircle2, ExternalLink, HelpCircle, RotateCcw, XCircle } from "lucide-react";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterOutputs } from "~/trpc/react";
import { formatInZone, PUBLICATION_TABS, type PublicationTab } from "./format";
import { RescheduleDialog } from "./reschedule-dialog";

type Network = "INSTAGRAM" | "TIKTOK" | "YOUTUBE";
type Row = RouterOutputs["publications"]["list"]["items"][number];

const PAGE_SIZE = 25;
const NETWORKS: Network[] = ["INSTAGRAM", "TIKTOK", "YOUTUBE"];
const TAB_ICON = { scheduled: CalendarClock, published: CheckCircle2, failed: AlertTriangle, unconfirmed: HelpCircle, canceled: XCircle } as const;
const STATUS_TONE: Record<Row["status"], "info" | "warning" | "brand" | "danger" | "violet" | "neutral"> = {
  SCHEDULED: "info",
  DISPATCHED: "info",
  PUBLISHING: "warning",
  PUBLISHED: "brand",
  UNCONFIRMED: "violet",
  FAILED: "danger",
  CANCELED: "neutral",
};
/** Codes whose sentence is ours (translated); any other code carries the network's own text. */
const OWN_CODES = new Set([
  "quota_wait",
  "retrying",
  "retries_exhausted",
  "needs_reconnect",
  "content_not_approved",
  "variant_missing",
  "variant_invalid",
  "media_unavailable",
  "content_deleted",
  "unconfirmed_checking",
  "unconfirmed_needs_check",
  "internal_error",
]);
const MOVING: Row["status"][] = ["DISPATCHED", "PUBLISHING"];

export function PublicationsBoard({ timeZone, initialTab, canPublish }: { timeZone: string; initialTab: PublicationTab; canPublish: boolean }) {
  const t = useTranslations("publications");
  const [tab, setTab] = useState<PublicationTab>(initialTab);
  const [network, setNetwork] = useState<Network | undefined>(undefined);
  const utils = api.useUtils();
  const counts = api.publications.counts.useQuery({ network });
  const list = api.publications.list.useInfiniteQuery(
    { tab, network, limit: PAGE_SIZE },
    {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // Posts on their way out change status in the background: follow them until they settle.
      refetchInterval: (q) => (q.state.data?.pages.some((p) => p.items.some((r) => MOVING.includes(r.status) || r.failureCode === "retrying")) ? 5_000 : false),
    },
  );
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = async () => {
    await Promise.all([utils.publications.list.invalidate(), utils.publications.counts.invalidate()]);
  };
  const selectTab = (next: PublicationTab) => {
    setTab(next);
    // Keep the tab in the address so a notification's link and the back button land on it.
    const url = new URL(window.location.href);
    url.searchParams.set("tab", next);
    window.history.replaceState(null, "", url);
  };

  return (
    <div className="flex flex-col gap-4">
      {!canPublish && <Banner tone="info">{t("readOnly")}</Banner>}
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div role="tablist" aria-label={t("tabsLabel")} className="flex flex-wrap gap-1 rounded-xl border border-slate-200 bg-slate-50 p-1">
          {PUBLICATION_TABS.map((key) => {
            const Icon = TAB_ICON[key];
            const selected = key === tab;
            return (
              <button
                key={key}
                type="button"
                role="tab"
                id={`pub-tab-${key}`}
                aria-selected={selected}
                aria-controls="pub-panel"
                className={
                  selected
                    ? "flex items-center gap-2 rounded-lg bg-white px-3 py-1.5 text-sm font-medium text-slate-900 shadow-sm"
                    : "flex items-center gap-2 rounded-lg px-3 py-1.5 text-sm text-slate-600 hover:bg-white/60 hover:text-slate-900"
                }
                onClick={() => selectTab(key)}
                onKeyDown={(e) => {
                  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
                  if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
                  const i = PUBLICATION_TABS.indexOf(key) + (e.key === "ArrowRight" ? 1 : -1);
                  const next = PUBLICATION_TABS[(i + PUBLICATION_TABS.length) % PUBLICATION_TABS.length]!;
                  selectTab(next);
                  document.getElementById(`pub-tab-${next}`)?.focus();
                }}
              >
                <Icon className="size-4" aria-hidden="true" />
                {t(`tabs.${key}`)}
                <span className="rounded-full bg-slate-200 px-1.5 text-xs tabular-nums text-slate-700">{counts.data?.[key] ?? "…"}</span>
              </button>
            );
          })}
        </div>
        <div className="flex flex-col gap-1">
          <Label htmlFor="pub-network">{t("network")}</Label>
          <Select id="pub-network" value={network ?? ""} onChange={(e) => setNetwork(e.target.value === "" ? undefined : (e.target.value as Network))}>
            <option value="">{t("allNetworks")}</option>
            {NETWORKS.map((n) => (
              <option key={n} value={n}>
                {t(`networks.${n}`)}
              </option>
            ))}
          </Select>
        </div>
      </div>

      <section id="pub-panel" role="tabpanel" aria-labelledby={`pub-tab-${tab}`} className="flex flex-col gap-3">
        {tab === "unconfirmed" && rows.length > 0 && <Banner tone="warning">{t("unconfirmedHint")}</Banner>}
        {list.isPending ? (
          <p className="text-sm text-slate-600">{t("loading")}</p>
        ) : list.isError ? (
          <ListError error={list.error} />
        ) : rows.length === 0 ? (
          <EmptyState icon={TAB_ICON[tab]} title={t(`empty.${tab}.title`)} description={t(`empty.${tab}.description`)} />
        ) : (
          <Card className="overflow-x-auto p-0">
            <Table>
              <THead>
                <TR>
                  <TH>{t("columns.content")}</TH>
                  <TH>{t("columns.network")}</TH>
                  <TH>{t("columns.time")}</TH>
                  <TH>{t("columns.status")}</TH>
                  <TH>{t("columns.details")}</TH>
                  {canPublish && <TH className="text-right">{t("columns.actions")}</TH>}
                </TR>
              </THead>
              <TBody>
                {rows.map((row) => (
                  <PublicationRow key={row.id} row={row} timeZone={timeZone} canPublish={canPublish} onChanged={refresh} />
                ))}
              </TBody>
            </Table>
          </Card>
        )}
        {list.hasNextPage && (
          <Button variant="secondary" className="self-center" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("loadMore")}
          </Button>
        )}
      </section>
    </div>
  );
}

function ListError({ error }: { error: unknown }) {
  const { describe } = useErrorMessage();
  return (
    <p role="alert" className="text-sm text-red-700">
      {describe(error).message}
    </p>
  );
}

function PublicationRow({ row, timeZone, canPublish, onChanged }: { row: Row; timeZone: string; canPublish: boolean; onChanged: () => Promise<void> }) {
  const t = useTranslations("publications");
  const locale = useLocale();
  const { describe } = useErrorMessage();
  const [rescheduling, setRescheduling] = useState(false);
  const onError = (e: unknown) => toast.error(describe(e).message);
  const retry = api.publications.retry.useMutation({ onSuccess: async () => (toast.success(t("retried")), onChanged()), onError });
  const cancel = api.publications.cancel.useMutation({ onSuccess: async () => (toast.success(t("canceled")), onChanged()), onError });
  const when = (d: Date) => formatInZone(d, timeZone, locale);

  const reason = row.failureCode && OWN_CODES.has(row.failureCode) ? t(`failures.${row.failureCode}`) : row.failureReason ? t("networkSaid", { reason: row.failureReason }) : null;
  const canReschedule = ["SCHEDULED", "DISPATCHED", "FAILED"].includes(row.status);
  const canCancel = ["SCHEDULED", "DISPATCHED", "FAILED", "UNCONFIRMED"].includes(row.status);

  return (
    <TR data-testid="publication-row">
      <TD className="max-w-56">
        <Link href={`/social/content/${row.contentId}`} className="font-medium text-brand-800 underline-offset-2 hover:underline">
          {row.contentTitle}
        </Link>
      </TD>
      <TD>
        <div className="text-sm text-slate-900">{t(`networks.${row.network}`)}</div>
        <div className="text-xs text-slate-600">{row.accountName ?? t("noAccountName")}</div>
      </TD>
      <TD className="text-sm whitespace-nowrap">
        {row.publishedAt ? t("publishedAt", { time: when(row.publishedAt) }) : t("scheduledFor", { time: when(row.scheduledAt) })}
      </TD>
      <TD>
        <Badge tone={STATUS_TONE[row.status]}>{t(`statuses.${row.status}`)}</Badge>
      </TD>
      <TD className="max-w-80 text-sm text-slate-700">
        {reason && <p>{reason}</p>}
        {row.nextAttemptAt && !["PUBLISHED", "FAILED", "CANCELED"].includes(row.status) && <p className="text-xs text-slate-600">{t("nextAttempt", { time: when(row.nextAttemptAt) })}</p>}
        {row.permalink && (
          <a href={row.permalink} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-brand-800 underline-offset-2 hover:underline">
            <ExternalLink className="size-3.5" aria-hidden="true" />
            {t("viewPost")}
          </a>
        )}
      </TD>
      {canPublish && (
        <TD className="text-right">
          <div className="flex flex-wrap justify-end gap-2">
            {row.status === "FAILED" && (
              <Button size="sm" pending={retry.isPending} onClick={() => retry.mutate({ id: row.id })}>
                <RotateCcw aria-hidden="true" />
                {t("retry")}
              </Button>
            )}
            {canReschedule && (
              <Button size="sm" variant="secondary" onClick={() => setRescheduling(true)}>
                {t("reschedule")}
              </Button>
            )}
            {canCancel && (
              <Button
                size="sm"
                variant="ghost"
                pending={cancel.isPending}
                onClick={() => {
                  if (window.confirm(t("confirmCancel"))) cancel.mutate({ id: row.id });
                }}
              >
                {t("cancel")}
              </Button>
            )}
          </div>
          {rescheduling && (
            <RescheduleDialog publication={row} timeZone={timeZone} open={rescheduling} onOpenChange={setRescheduling} onDone={() => void onChanged()} />
          )}
        </TD>
      )}
    </TR>
  );
}
