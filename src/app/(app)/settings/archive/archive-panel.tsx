"use client";

import { Archive, RotateCcw } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Select } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { useErrorMessage } from "~/components/use-error-message";
import { api } from "~/trpc/react";

const PROVIDER_NAMES: Record<string, string> = {
  MERCADOLIVRE: "Mercado Livre",
  SHOPEE: "Shopee",
  INSTAGRAM: "Instagram",
  TIKTOK: "TikTok",
  YOUTUBE: "YouTube",
};

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** Settings → Raw archive: partitions and sizes, the organization's retention, and a reprocess request. */
export function ArchivePanel() {
  const t = useTranslations("archive");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const kb = (bytes: number) => `${format.number(bytes / 1024, { maximumFractionDigits: 1 })} KB`;
  const utils = api.useUtils();
  const archive = api.archive.list.useQuery(undefined);
  const [days, setDays] = useState<string | null>(null);
  const [kind, setKind] = useState<"listings" | "metrics">("listings");
  const [from, setFrom] = useState(() => isoDay(new Date(Date.now() - 7 * 86_400_000)));
  const [to, setTo] = useState(() => isoDay(new Date()));

  const setRetention = api.archive.setRetention.useMutation({
    onSuccess: async (result) => {
      toast.success(t("retentionSaved", { days: result.retentionDays }));
      setDays(null);
      await utils.archive.list.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  const reprocess = api.archive.reprocess.useMutation({
    onSuccess: () => toast.success(t("reprocessQueued")),
    onError: (error) => toast.error(describe(error).message),
  });

  if (archive.isPending) return <p className="text-sm text-slate-600">{t("loading")}</p>;
  if (archive.isError) return <p role="alert" className="text-sm text-red-700">{describe(archive.error).message}</p>;
  const data = archive.data;
  const retentionValue = days ?? String(data.retentionDays);
  const retentionNumber = Number(retentionValue);
  const retentionValid = Number.isInteger(retentionNumber) && retentionNumber >= 1 && retentionNumber <= 3650;
  const rangeValid = from !== "" && to !== "" && from <= to;

  return (
    <div className="flex flex-col gap-6">
      <Card>
        <CardHeader>
          <CardTitle>{t("summaryTitle")}</CardTitle>
          <CardDescription>{t("summaryDescription")}</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-6 text-sm">
          <p data-testid="archive-storage">
            <span className="text-slate-600">{t("storage")}: </span>
            <span className="font-medium text-slate-900">{t(`storageKinds.${data.storage}`)}</span>
            {!data.enabled && (
              <Badge tone="warning" className="ml-2">
                {t("disabled")}
              </Badge>
            )}
          </p>
          <p data-testid="archive-total">
            <span className="text-slate-600">{t("totalSize")}: </span>
            <span className="font-medium text-slate-900">{kb(data.totalBytes)}</span>
          </p>
          <p>
            <span className="text-slate-600">{t("retention")}: </span>
            <span className="font-medium text-slate-900">{t("retentionDays", { days: data.retentionDays })}</span>
          </p>
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle as="h3">{t("retentionTitle")}</CardTitle>
            <CardDescription>{t("retentionDescription")}</CardDescription>
          </CardHeader>
          <CardContent>
            <form
              className="flex flex-col gap-3"
              onSubmit={(event) => {
                event.preventDefault();
                if (retentionValid) setRetention.mutate({ days: retentionNumber });
              }}
            >
              <FormField label={t("retentionLabel")} hint={t("retentionHint")} error={retentionValid ? undefined : t("retentionInvalid")}>
                {(control) => <Input {...control} type="number" min={1} max={3650} value={retentionValue} onChange={(e) => setDays(e.target.value)} />}
              </FormField>
              <div className="flex flex-wrap gap-2">
                <Button type="submit" pending={setRetention.isPending && setRetention.variables?.days !== null} disabled={!retentionValid}>
                  {t("retentionSave")}
                </Button>
                <Button variant="secondary" pending={setRetention.isPending && setRetention.variables?.days === null} onClick={() => setRetention.mutate({ days: null })}>
                  {t("retentionDefault")}
                </Button>
              </div>
            </form>
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle as="h3">{t("reprocessTitle")}</CardTitle>
            <CardDescription>{t("reprocessDescription")}</CardDescription>
          </CardHeader>
          <CardContent>
            <form
              className="flex flex-col gap-3"
              onSubmit={(event) => {
                event.preventDefault();
                if (rangeValid) reprocess.mutate({ kind, from, to });
              }}
            >
              <FormField label={t("reprocessKind")}>
                {(control) => (
                  <Select {...control} value={kind} onChange={(e) => setKind(e.target.value as "listings" | "metrics")}>
                    <option value="listings">{t("kinds.listings")}</option>
                    <option value="metrics">{t("kinds.metrics")}</option>
                  </Select>
                )}
              </FormField>
              <div className="grid grid-cols-2 gap-3">
                <FormField label={t("from")}>{(control) => <Input {...control} type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />}</FormField>
                <FormField label={t("to")} error={rangeValid ? undefined : t("rangeInvalid")}>
                  {(control) => <Input {...control} type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />}
                </FormField>
              </div>
              <Button type="submit" className="self-start" pending={reprocess.isPending} disabled={!rangeValid}>
                <RotateCcw aria-hidden="true" />
                {t("reprocessSubmit")}
              </Button>
            </form>
          </CardContent>
        </Card>
      </div>

      {data.partitions.length === 0 ? (
        <EmptyState icon={Archive} title={t("empty")} description={t("emptyDescription")} />
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("tableCaption")}</caption>
            <THead>
              <TR>
                <TH>{t("date")}</TH>
                <TH>{t("provider")}</TH>
                <TH>{t("kind")}</TH>
                <TH className="text-right">{t("objects")}</TH>
                <TH className="text-right">{t("size")}</TH>
              </TR>
            </THead>
            <TBody>
              {data.partitions.map((p) => (
                <TR key={`${p.date}-${p.provider}-${p.kind}`} data-testid="archive-partition">
                  <TD className="whitespace-nowrap">
                    <time dateTime={p.date}>{format.dateTime(new Date(`${p.date}T12:00:00Z`), { dateStyle: "medium" })}</time>
                  </TD>
                  <TD>{PROVIDER_NAMES[p.provider] ?? p.provider}</TD>
                  <TD>{t(`kinds.${p.kind}`)}</TD>
                  <TD className="text-right tabular-nums">{format.number(p.objects)}</TD>
                  <TD className="text-right tabular-nums">{kb(p.bytes)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
