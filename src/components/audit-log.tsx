"use client";

import { Download, ScrollText } from "lucide-react";
import { usePathname, useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { AUDIT_FILTER_PARAMS, AUDIT_PAGE_SIZE, type AuditFilterValues } from "~/lib/audit-filter";
import { api } from "~/trpc/react";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { EmptyState } from "./ui/empty-state";
import { Input } from "./ui/input";
import { Label } from "./ui/label";
import { Select } from "./ui/select";
import { Table, TBody, TD, TH, THead, TR } from "./ui/table";
import { useErrorMessage } from "./use-error-message";

function toSearch(filter: AuditFilterValues): string {
  const params = new URLSearchParams();
  for (const [key, param] of Object.entries(AUDIT_FILTER_PARAMS) as [keyof AuditFilterValues, string][]) {
    const value = filter[key]?.trim();
    if (value) params.set(param, value);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

function download(fileName: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function AuditFilters({ filter }: { filter: AuditFilterValues }) {
  const t = useTranslations("audit");
  const router = useRouter();
  const pathname = usePathname();
  const facets = api.tenants.auditFacets.useQuery();
  const [draft, setDraft] = useState<AuditFilterValues>(filter);
  const set = (key: keyof AuditFilterValues) => (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setDraft((d) => ({ ...d, [key]: event.target.value }));
  const label = (action: string) => (t.has(`actions.${action}`) ? t(`actions.${action}`) : action);
  const areaLabel = (area: string) => (t.has(`areas.${area}`) ? t(`areas.${area}`) : area);

  const actions = facets.data?.actions ?? [];
  const areas = [...new Set(actions.map((a) => a.split(".")[0]!).filter(Boolean))].sort();
  // The current filter stays selectable even before the choices load (or when it names nothing known).
  const current = draft.action && !actions.includes(draft.action) && !areas.some((a) => `${a}.` === draft.action) ? draft.action : null;
  const actors = facets.data?.actors ?? [];
  const unknownActor = draft.actorUserId && !actors.some((a) => a.id === draft.actorUserId) ? draft.actorUserId : null;
  const hasFilter = Object.values(filter).some(Boolean);

  return (
    <Card>
      <form
        className="grid gap-4 p-4 sm:grid-cols-2 lg:grid-cols-5"
        aria-label={t("filters.label")}
        onSubmit={(event) => {
          event.preventDefault();
          router.replace(`${pathname}${toSearch(draft)}`, { scroll: false });
        }}
      >
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-action">{t("filters.action")}</Label>
          <Select id="audit-action" value={draft.action ?? ""} onChange={set("action")}>
            <option value="">{t("filters.allActions")}</option>
            {current && <option value={current}>{label(current)}</option>}
            {areas.length > 0 && (
              <optgroup label={t("filters.areas")}>
                {areas.map((area) => (
                  <option key={area} value={`${area}.`}>
                    {t("filters.areaOption", { area: areaLabel(area) })}
                  </option>
                ))}
              </optgroup>
            )}
            {actions.length > 0 && (
              <optgroup label={t("filters.actions")}>
                {actions.map((action) => (
                  <option key={action} value={action}>
                    {label(action)}
                  </option>
                ))}
              </optgroup>
            )}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-actor">{t("filters.actor")}</Label>
          <Select id="audit-actor" value={draft.actorUserId ?? ""} onChange={set("actorUserId")}>
            <option value="">{t("filters.allActors")}</option>
            {unknownActor && <option value={unknownActor}>{unknownActor}</option>}
            {actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {`${actor.name} (${actor.email})`}
              </option>
            ))}
          </Select>
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-from">{t("filters.from")}</Label>
          <Input id="audit-from" type="date" value={draft.from ?? ""} max={draft.to || undefined} onChange={set("from")} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-to">{t("filters.to")}</Label>
          <Input id="audit-to" type="date" value={draft.to ?? ""} min={draft.from || undefined} onChange={set("to")} />
        </div>
        <div className="flex flex-col gap-1.5">
          <Label htmlFor="audit-target">{t("filters.target")}</Label>
          <Input id="audit-target" value={draft.targetId ?? ""} maxLength={200} placeholder={t("filters.targetPlaceholder")} onChange={set("targetId")} />
        </div>
        <p className="text-xs text-slate-600 sm:col-span-2 lg:col-span-3">{t("filters.timeZoneNote")}</p>
        <div className="flex justify-end gap-2 sm:col-span-2 lg:col-span-2">
          {hasFilter && (
            <Button
              variant="ghost"
              onClick={() => {
                setDraft({});
                router.replace(pathname, { scroll: false });
              }}
            >
              {t("filters.clear")}
            </Button>
          )}
          <Button type="submit" variant="secondary">
            {t("filters.apply")}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function ExportButton({ filter }: { filter: AuditFilterValues }) {
  const t = useTranslations("audit");
  const { describe } = useErrorMessage();
  const exporter = api.tenants.auditExport.useMutation({
    onSuccess: (result) => {
      download(result.fileName, result.csv);
      toast.success(result.truncated ? t("exportCsv.truncated", { count: result.rows }) : t("exportCsv.done", { count: result.rows }));
    },
    onError: (error) => toast.error(describe(error).message),
  });
  return (
    <Button variant="secondary" className="self-end" pending={exporter.isPending} onClick={() => exporter.mutate(filter)}>
      <Download aria-hidden="true" />
      {exporter.isPending ? t("exportCsv.exporting") : t("exportCsv.button")}
    </Button>
  );
}

export function AuditLog({ timeZone, filter }: { timeZone: string; filter: AuditFilterValues }) {
  const t = useTranslations("audit");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const log = api.tenants.audit.useInfiniteQuery({ limit: AUDIT_PAGE_SIZE, ...filter }, { getNextPageParam: (page) => page.nextCursor ?? undefined });
  const hasFilter = Object.values(filter).some(Boolean);

  // Known actions read as sentences; new kinds still show, as their raw name, until translated.
  const label = (action: string) => (t.has(`actions.${action}`) ? t(`actions.${action}`) : action);
  const target = (type: string | null) => (type ? (t.has(`targets.${type}`) ? t(`targets.${type}`) : type) : "—");
  const device = (d: { browser: string | null; os: string | null; device: string | null }) =>
    d.browser && d.os ? t("location.device", { browser: d.browser, os: d.os }) : (d.browser ?? d.os ?? null);

  let body: React.ReactNode;
  if (log.isPending) body = <p className="text-sm text-slate-600">{t("loadingMore")}</p>;
  else if (log.isError) body = <p role="alert" className="text-sm text-red-700">{describe(log.error).message}</p>;
  else {
    const entries = log.data.pages.flatMap((page) => page.items);
    body =
      entries.length === 0 ? (
        <EmptyState icon={ScrollText} title={hasFilter ? t("filters.noResults") : t("empty")} description={hasFilter ? t("filters.noResultsHint") : undefined} />
      ) : (
        <>
          <Card>
            <Table>
              <caption className="sr-only">{t("tableCaption")}</caption>
              <THead>
                <TR>
                  <TH>{t("when")}</TH>
                  <TH>{t("who")}</TH>
                  <TH>{t("what")}</TH>
                  <TH>{t("target")}</TH>
                  <TH>{t("location.header")}</TH>
                </TR>
              </THead>
              <TBody>
                {entries.map((entry) => (
                  <TR key={entry.id}>
                    <TD className="whitespace-nowrap text-slate-700">
                      <time dateTime={entry.createdAt.toISOString()}>{format.dateTime(entry.createdAt, { dateStyle: "short", timeStyle: "short", timeZone })}</time>
                    </TD>
                    <TD>
                      {entry.actor ? (
                        <div className="flex flex-col">
                          <span className="font-medium text-slate-900">{entry.actor.name}</span>
                          <span className="text-xs text-slate-600">{entry.actor.email}</span>
                        </div>
                      ) : (
                        <span className="text-slate-600">{t("system")}</span>
                      )}
                    </TD>
                    <TD>
                      <div className="flex flex-col">
                        <span>{label(entry.action)}</span>
                        {label(entry.action) !== entry.action && <code className="text-xs text-slate-500">{entry.action}</code>}
                      </div>
                    </TD>
                    <TD className="text-slate-700">
                      <div className="flex flex-col">
                        <span>{target(entry.targetType)}</span>
                        {entry.targetId && <code className="max-w-48 truncate text-xs text-slate-500" title={entry.targetId}>{entry.targetId}</code>}
                      </div>
                    </TD>
                    <TD className="text-slate-700">
                      <div className="flex flex-col">
                        <span>{entry.ip ?? t("location.unknownIp")}</span>
                        <span className="text-xs text-slate-600" title={entry.userAgent ?? undefined}>
                          {device(entry.device) ?? t("location.unknownDevice")}
                        </span>
                      </div>
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </Card>
          {log.hasNextPage ? (
            <Button variant="secondary" className="self-center" pending={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {log.isFetchingNextPage ? t("loadingMore") : t("loadMore")}
            </Button>
          ) : (
            <p className="text-center text-sm text-slate-600">{t("end")}</p>
          )}
        </>
      );
  }

  return (
    <div className="flex flex-col gap-4">
      <AuditFilters key={toSearch(filter)} filter={filter} />
      <ExportButton filter={filter} />
      {body}
    </div>
  );
}
