"use client";

import { ArrowLeft, ChevronDown, ChevronRight, Inbox, RefreshCw } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Badge } from "../../ui/badge";
import { Banner } from "../../ui/banner";
import { Button, buttonVariants } from "../../ui/button";
import { CardLoadError, CardLoading } from "../../ui/card-query-states";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../ui/card";
import { EmptyState } from "../../ui/empty-state";
import { Select } from "../../ui/select";
import { Table, TBody, TD, TH, THead, TR } from "../../ui/table";
import { useErrorMessage } from "../../use-error-message";
import { DELIVERIES_PAGE_SIZE, DELIVERY_STATUSES, type DeliveryStatus, eventLabelKey, WEBHOOK_EVENTS } from "./constants";
import { EndpointStatus } from "./endpoint-status";

const STATUS_TONE: Record<DeliveryStatus, "brand" | "warning" | "danger"> = { SUCCEEDED: "brand", PENDING: "warning", FAILED: "danger" };
const FILTER_EVENTS = [...WEBHOOK_EVENTS, "webhook.test"] as const;
type FilterEvent = (typeof FILTER_EVENTS)[number];

/** Settings → Webhooks → one endpoint: its deliveries, newest first, with details and replay. */
export function DeliveriesLog({ endpointId, disableAfterHours }: { endpointId: string; disableAfterHours: number }) {
  const t = useTranslations("webhooks");
  const td = useTranslations("webhooks.deliveries");
  const format = useFormatter();
  const { describe, toastError } = useErrorMessage();
  const utils = api.useUtils();
  const [status, setStatus] = useState<DeliveryStatus | "">("");
  const [event, setEvent] = useState<FilterEvent | "">("");
  const [open, setOpen] = useState<Set<string>>(new Set());

  const endpoint = api.webhooks.get.useQuery({ id: endpointId });
  const input = { endpointId, limit: DELIVERIES_PAGE_SIZE, ...(status ? { status } : {}), ...(event ? { event } : {}) };
  const list = api.webhooks.deliveries.useInfiniteQuery(input, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const replay = api.webhooks.replay.useMutation({
    onSuccess: async () => {
      toast.success(td("replayed"));
      await utils.webhooks.deliveries.invalidate();
    },
    onError: (error) => toastError(error),
  });
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "short", timeStyle: "medium" }) : td("none"));
  const eventName = (e: string) => (t.has(eventLabelKey(e)) ? t(eventLabelKey(e)) : e);
  const toggleRow = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const filtered = status !== "" || event !== "";

  return (
    <div className="flex flex-col gap-6">
      <Link href="/settings/webhooks" className={buttonVariants({ variant: "link", className: "self-start" })}>
        <ArrowLeft aria-hidden="true" />
        {td("back")}
      </Link>
      {endpoint.data?.state === "disabled" && endpoint.data.disabledReason === "failing" && endpoint.data.disabledAt && (
        <Banner tone="danger" data-testid="endpoint-disabled-banner">
          {t("disabledBanner", { url: endpoint.data.url, date: format.dateTime(endpoint.data.disabledAt, { dateStyle: "medium", timeStyle: "short" }), hours: disableAfterHours })}
        </Banner>
      )}
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="flex flex-col gap-1">
            <CardTitle>{td("title")}</CardTitle>
            {endpoint.data && (
              <CardDescription>
                {td.rich("description", { url: endpoint.data.url, mono: (chunks) => <span className="font-mono text-xs">{chunks}</span> })}
              </CardDescription>
            )}
            {endpoint.isError && <p className="text-sm text-red-700" role="alert">{describe(endpoint.error).message}</p>}
          </div>
          <div className="flex flex-wrap items-center gap-2">
            {endpoint.data && <EndpointStatus endpoint={endpoint.data} />}
            <Button variant="ghost" size="sm" pending={list.isRefetching} onClick={() => void list.refetch()}>
              {!list.isRefetching && <RefreshCw aria-hidden="true" />}
              {td("refresh")}
            </Button>
          </div>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-3 border-b border-slate-100">
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
            {td("filterStatus")}
            <Select value={status} onChange={(e) => setStatus(e.target.value as DeliveryStatus | "")}>
              <option value="">{td("all")}</option>
              {DELIVERY_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {td(`statuses.${s}`)}
                </option>
              ))}
            </Select>
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-700">
            {td("filterEvent")}
            <Select value={event} onChange={(e) => setEvent(e.target.value as FilterEvent | "")}>
              <option value="">{td("all")}</option>
              {FILTER_EVENTS.map((e) => (
                <option key={e} value={e}>
                  {eventName(e)}
                </option>
              ))}
            </Select>
          </label>
        </CardContent>
        {list.isPending ? (
          <CardLoading />
        ) : list.isError ? (
          <CardLoadError message={describe(list.error).message} onRetry={() => void list.refetch()} />
        ) : rows.length === 0 ? (
          <CardContent>
            <EmptyState icon={Inbox} title={filtered ? td("emptyFiltered") : td("empty")} description={filtered ? undefined : td("emptyDescription")} className="border-none py-6" />
          </CardContent>
        ) : (
          <>
            <div className="overflow-x-auto">
              <Table aria-label={td("caption")}>
                <THead>
                  <TR>
                    <TH>
                      <span className="sr-only">{td("details")}</span>
                    </TH>
                    <TH>{td("event")}</TH>
                    <TH>{td("status")}</TH>
                    <TH className="text-right">{td("responseCode")}</TH>
                    <TH className="text-right">{td("latency")}</TH>
                    <TH className="text-right">{td("attempts")}</TH>
                    <TH>{td("nextAttempt")}</TH>
                    <TH>{td("time")}</TH>
                    <TH>{td("actions")}</TH>
                  </TR>
                </THead>
                <TBody>
                  {rows.map((d) => {
                    const expanded = open.has(d.id);
                    return (
                      <Fragment key={d.id}>
                        <TR data-testid="webhook-delivery-row">
                          <TD>
                            <Button variant="ghost" size="sm" aria-expanded={expanded} aria-controls={`delivery-${d.id}`} onClick={() => toggleRow(d.id)} aria-label={expanded ? td("hideDetails") : td("details")}>
                              {expanded ? <ChevronDown aria-hidden="true" /> : <ChevronRight aria-hidden="true" />}
                            </Button>
                          </TD>
                          <TD>
                            <span className="block font-medium text-slate-900">{eventName(d.event)}</span>
                            <code className="text-[11px] text-slate-500">{d.event}</code>
                            {d.replayOfId && (
                              <Badge tone="violet" className="ml-1">
                                {td("replayOf")}
                              </Badge>
                            )}
                          </TD>
                          <TD>
                            <Badge tone={STATUS_TONE[d.status]}>{td(`statuses.${d.status}`)}</Badge>
                          </TD>
                          <TD className="text-right tabular-nums">{d.responseCode ?? td("none")}</TD>
                          <TD className="text-right tabular-nums">{d.latencyMs === null ? td("none") : td("latencyMs", { ms: d.latencyMs })}</TD>
                          <TD className="text-right tabular-nums">{d.attempts}</TD>
                          <TD>{d.status === "PENDING" ? when(d.nextAttemptAt) : td("none")}</TD>
                          <TD>{when(d.createdAt)}</TD>
                          <TD>
                            <Button
                              variant="secondary"
                              size="sm"
                              disabled={endpoint.data ? !endpoint.data.enabled : false}
                              pending={replay.isPending && replay.variables?.deliveryId === d.id}
                              onClick={() => replay.mutate({ deliveryId: d.id })}
                            >
                              {td("replay")}
                            </Button>
                          </TD>
                        </TR>
                        {expanded && (
                          <TR id={`delivery-${d.id}`} data-testid="webhook-delivery-details">
                            <TD colSpan={9} className="bg-slate-50">
                              <div className="flex flex-col gap-3 py-2">
                                <p className="text-xs text-slate-600">{td("eventId", { id: d.eventId })}</p>
                                {d.lastError && (
                                  <div>
                                    <p className="text-xs font-medium text-slate-700">{td("lastError")}</p>
                                    <pre className="mt-1 whitespace-pre-wrap break-all rounded-lg border border-red-200 bg-red-50 p-2 text-xs text-red-800">{d.lastError}</pre>
                                  </div>
                                )}
                                <div>
                                  <p className="text-xs font-medium text-slate-700">{td("payload")}</p>
                                  <pre className="mt-1 max-h-80 overflow-auto rounded-lg border border-slate-200 bg-white p-2 text-xs text-slate-800">{JSON.stringify(d.payload, null, 2)}</pre>
                                </div>
                              </div>
                            </TD>
                          </TR>
                        )}
                      </Fragment>
                    );
                  })}
                </TBody>
              </Table>
            </div>
            <CardContent className="flex justify-center border-t border-slate-100">
              {list.hasNextPage ? (
                <Button variant="secondary" pending={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                  {list.isFetchingNextPage ? td("loadingMore") : td("loadMore")}
                </Button>
              ) : (
                <span className="text-xs text-slate-500">{td("end")}</span>
              )}
            </CardContent>
          </>
        )}
      </Card>
    </div>
  );
}
