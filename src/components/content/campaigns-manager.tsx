"use client";

import { Archive, Megaphone, Pencil, Plus } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { Dialog, DialogFooter } from "~/components/ui/dialog";
import { EmptyState } from "~/components/ui/empty-state";
import { FormError, FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { Select } from "~/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { useErrorMessage } from "~/components/use-error-message";
import { zonedParts, zonedWallTimeToUtc } from "~/lib/time/zoned";
import { api, type RouterOutputs } from "~/trpc/react";

type Campaign = RouterOutputs["content"]["campaigns"]["list"]["items"][number];
type Status = Campaign["status"];

const OBJECTIVES = ["awareness", "engagement", "traffic", "sales", "launch", "other"] as const;
const STATUSES = ["PLANNED", "ACTIVE", "FINISHED", "ARCHIVED"] as const;
const TONE = { PLANNED: "info", ACTIVE: "brand", FINISHED: "neutral", ARCHIVED: "neutral" } as const;
const PAGE_SIZE = 25;

const pad = (n: number) => String(n).padStart(2, "0");
/** A stored day boundary as the yyyy-mm-dd the organization sees. */
function toDateInput(date: Date | null, timeZone: string): string {
  if (!date) return "";
  const p = zonedParts(date, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

export function CampaignsManager({ canWrite, timeZone }: { canWrite: boolean; timeZone: string }) {
  const t = useTranslations("campaigns");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [status, setStatus] = useState<Status | "">("");
  const [editing, setEditing] = useState<Campaign | "new" | null>(null);
  const [archiving, setArchiving] = useState<Campaign | null>(null);

  const list = api.content.campaigns.list.useInfiniteQuery({ limit: PAGE_SIZE, status: status || undefined }, { getNextPageParam: (p) => p.nextCursor ?? undefined });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const archive = api.content.campaigns.archive.useMutation({
    onSuccess: async () => {
      toast.success(t("archived"));
      setArchiving(null);
      await utils.content.campaigns.list.invalidate();
    },
  });
  const day = (d: Date | null) => (d ? format.dateTime(d, { timeZone, dateStyle: "medium" }) : tCommon("none"));

  const newButton = canWrite && (
    <Button onClick={() => setEditing("new")}>
      <Plus aria-hidden="true" />
      {t("new")}
    </Button>
  );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex w-full flex-col gap-1 sm:w-56">
          <Label htmlFor="campaign-status">{t("status")}</Label>
          <Select id="campaign-status" value={status} onChange={(e) => setStatus(e.target.value as Status | "")}>
            <option value="">{t("allButArchived")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </Select>
        </div>
        {newButton}
      </div>

      {list.isPending ? (
        <p className="text-sm text-slate-600">{tCommon("loading")}</p>
      ) : list.isError ? (
        <div role="alert" className="flex items-center gap-3 text-sm text-red-700">
          {describe(list.error).message}
          <Button size="sm" variant="secondary" onClick={() => void list.refetch()}>{tCommon("retry")}</Button>
        </div>
      ) : items.length === 0 ? (
        <EmptyState icon={Megaphone} title={status ? t("noMatch") : t("empty")} description={status ? undefined : t("emptyDescription")} action={status ? undefined : newButton} />
      ) : (
        <Card>
          <Table>
            <caption className="sr-only">{t("title")}</caption>
            <THead>
              <TR>
                <TH>{t("name")}</TH>
                <TH>{t("objective")}</TH>
                <TH>{t("status")}</TH>
                <TH>{t("period")}</TH>
                <TH>{t("contents")}</TH>
                {canWrite && <TH><span className="sr-only">{t("actions")}</span></TH>}
              </TR>
            </THead>
            <TBody>
              {items.map((c) => (
                <TR key={c.id}>
                  <TD className="font-medium">{c.name}</TD>
                  <TD>{c.objective ? t(`objectives.${c.objective}`) : tCommon("none")}</TD>
                  <TD>
                    <Badge tone={TONE[c.status]}>{t(`statuses.${c.status}`)}</Badge>
                  </TD>
                  <TD className="whitespace-nowrap">{c.startsAt || c.endsAt ? `${day(c.startsAt)} – ${day(c.endsAt)}` : tCommon("none")}</TD>
                  <TD>
                    <Link href={`/social/content?campaignId=${c.id}`} className="text-brand-700 underline-offset-4 hover:underline">
                      {t("contentCount", { count: c.contentCount })}
                    </Link>
                  </TD>
                  {canWrite && (
                    <TD className="text-right whitespace-nowrap">
                      <Button size="sm" variant="ghost" onClick={() => setEditing(c)} aria-label={t("editNamed", { name: c.name })}>
                        <Pencil aria-hidden="true" />
                        {t("edit")}
                      </Button>
                      {c.status !== "ARCHIVED" && (
                        <Button size="sm" variant="ghost" onClick={() => setArchiving(c)} aria-label={t("archiveNamed", { name: c.name })}>
                          <Archive aria-hidden="true" />
                          {t("archive")}
                        </Button>
                      )}
                    </TD>
                  )}
                </TR>
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

      {editing && <CampaignDialog campaign={editing === "new" ? null : editing} timeZone={timeZone} onClose={() => setEditing(null)} />}
      <Dialog open={archiving !== null} onOpenChange={(open) => !open && setArchiving(null)} title={t("archiveTitle")} description={archiving ? t("archiveDescription", { name: archiving.name }) : undefined} closeLabel={tCommon("close")}>
        <FormError message={archive.error ? describe(archive.error).message : null} />
        <DialogFooter>
          <Button variant="secondary" onClick={() => setArchiving(null)}>{tCommon("cancel")}</Button>
          <Button variant="danger" pending={archive.isPending} onClick={() => archiving && archive.mutate({ id: archiving.id })}>{t("archive")}</Button>
        </DialogFooter>
      </Dialog>
    </div>
  );
}

function CampaignDialog({ campaign, timeZone, onClose }: { campaign: Campaign | null; timeZone: string; onClose: () => void }) {
  const t = useTranslations("campaigns");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [form, setForm] = useState({
    name: campaign?.name ?? "",
    objective: campaign?.objective ?? "",
    status: campaign?.status ?? "PLANNED",
    startsAt: toDateInput(campaign?.startsAt ?? null, timeZone),
    endsAt: toDateInput(campaign?.endsAt ?? null, timeZone),
  });
  const onSuccess = async () => {
    toast.success(campaign ? t("updated") : t("created"));
    await utils.content.campaigns.list.invalidate();
    onClose();
  };
  const create = api.content.campaigns.create.useMutation({ onSuccess });
  const update = api.content.campaigns.update.useMutation({ onSuccess });
  const failure = create.error ?? update.error;
  const error = failure ? describe(failure) : null;
  // Days are the organization's: a campaign starting "1 Dec" starts at its midnight.
  const toDate = (value: string) => (value ? zonedWallTimeToUtc(value, "00:00", timeZone) : null);
  const datesInvalid = !!form.startsAt && !!form.endsAt && form.endsAt < form.startsAt;

  return (
    <Dialog open onOpenChange={(open) => !open && onClose()} title={campaign ? t("editTitle") : t("newTitle")} closeLabel={tCommon("close")}>
      <form
        className="flex flex-col gap-4"
        onSubmit={(event) => {
          event.preventDefault();
          if (datesInvalid) return;
          const data = {
            name: form.name.trim(),
            objective: form.objective ? (form.objective as (typeof OBJECTIVES)[number]) : null,
            startsAt: toDate(form.startsAt),
            endsAt: toDate(form.endsAt),
          };
          if (campaign) update.mutate({ id: campaign.id, ...data, status: form.status });
          else create.mutate({ ...data, status: form.status === "ARCHIVED" ? undefined : form.status });
        }}
      >
        <FormError message={error && !error.field ? error.message : null} />
        <FormField label={t("name")} error={error?.fields.name}>
          {(control) => <Input {...control} value={form.name} required maxLength={120} autoFocus onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))} />}
        </FormField>
        <FormField label={t("objective")} hint={tCommon("optional")}>
          {(control) => (
            <Select {...control} value={form.objective} onChange={(e) => setForm((f) => ({ ...f, objective: e.target.value }))}>
              <option value="">{tCommon("none")}</option>
              {OBJECTIVES.map((o) => (
                <option key={o} value={o}>
                  {t(`objectives.${o}`)}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <FormField label={t("status")}>
          {(control) => (
            <Select {...control} value={form.status} onChange={(e) => setForm((f) => ({ ...f, status: e.target.value as Status }))}>
              {STATUSES.filter((s) => s !== "ARCHIVED" || campaign?.status === "ARCHIVED").map((s) => (
                <option key={s} value={s}>
                  {t(`statuses.${s}`)}
                </option>
              ))}
            </Select>
          )}
        </FormField>
        <div className="grid gap-3 sm:grid-cols-2">
          <FormField label={t("startsAt")} hint={tCommon("optional")}>
            {(control) => <Input {...control} type="date" value={form.startsAt} onChange={(e) => setForm((f) => ({ ...f, startsAt: e.target.value }))} />}
          </FormField>
          <FormField label={t("endsAt")} hint={tCommon("optional")} error={datesInvalid ? t("datesInvalid") : error?.fields.endsAt}>
            {(control) => <Input {...control} type="date" min={form.startsAt || undefined} value={form.endsAt} onChange={(e) => setForm((f) => ({ ...f, endsAt: e.target.value }))} />}
          </FormField>
        </div>
        <DialogFooter>
          <Button variant="secondary" onClick={onClose}>{tCommon("cancel")}</Button>
          <Button type="submit" pending={create.isPending || update.isPending} disabled={!form.name.trim() || datesInvalid}>
            {campaign ? tCommon("save") : t("create")}
          </Button>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
