"use client";

import { CalendarClock, ExternalLink, Link2 } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button, buttonVariants } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { EmptyState } from "~/components/ui/empty-state";
import { FormError, FormField } from "~/components/ui/form-field";
import { Input } from "~/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "~/components/ui/table";
import { PlanLimitNotice } from "~/components/billing/plan-limit-notice";
import { useErrorMessage } from "~/components/use-error-message";
import type { SocialNetworkId } from "~/lib/social/networks";
import { zonedParts, zonedWallTimeToUtc } from "~/lib/time/zoned";
import { api, type RouterOutputs } from "~/trpc/react";

type Detail = RouterOutputs["content"]["get"];

const pad = (n: number) => String(n).padStart(2, "0");

/** Tomorrow at 09:00 on the organization's wall clock: a sensible first suggestion. */
function defaultSlot(timeZone: string) {
  const p = zonedParts(new Date(Date.now() + 86_400_000), timeZone);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: "09:00" };
}

const STATUS_TONE = {
  SCHEDULED: "info",
  DISPATCHED: "info",
  PUBLISHING: "info",
  PUBLISHED: "brand",
  UNCONFIRMED: "warning",
  FAILED: "danger",
  CANCELED: "neutral",
} as const;

type Props = {
  content: Detail;
  /** Networks whose variant passes validation with the current media. */
  validNetworks: SocialNetworkId[];
  dirty: boolean;
  canPublish: boolean;
  timeZone: string;
};

/** "Agendar": pick the organization's connected accounts and a time in its zone. */
export function SchedulePanel({ content, validNetworks, dirty, canPublish, timeZone }: Props) {
  const t = useTranslations("content.schedule");
  const tProviders = useTranslations("providers");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [slot, setSlot] = useState(() => defaultSlot(timeZone));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const connections = api.connectors.list.useQuery(undefined, { enabled: canPublish });
  const schedule = api.publications.schedule.useMutation({
    onSuccess: async (rows) => {
      toast.success(t("scheduled", { count: rows.length }));
      setSelected(new Set());
      // The calendar and the publications pages show the new rows too.
      await Promise.all([utils.publications.invalidate(), utils.content.get.invalidate({ id: content.id })]);
    },
  });
  const failure = schedule.error ? describe(schedule.error) : null;

  const networks = content.variants.map((v) => v.network);
  const accounts = (connections.data ?? []).filter((c) => c.kind === "SOCIAL" && c.status === "ACTIVE" && networks.includes(c.provider as SocialNetworkId));
  const needsApproval = content.approvalRequired && content.status !== "APPROVED";
  let scheduledAt: Date | null = null;
  try {
    scheduledAt = slot.date && slot.time ? zonedWallTimeToUtc(slot.date, slot.time, timeZone) : null;
  } catch {
    scheduledAt = null;
  }
  const chosen = accounts.filter((a) => selected.has(a.id));
  const invalidChosen = chosen.filter((a) => !validNetworks.includes(a.provider as SocialNetworkId));
  const blocked = dirty || needsApproval || chosen.length === 0 || invalidChosen.length > 0 || !scheduledAt;

  if (!canPublish) return null;
  return (
    <Card aria-labelledby="schedule-heading">
      <CardHeader>
        <CardTitle id="schedule-heading">{t("title")}</CardTitle>
        <p className="text-sm text-slate-600">{t("description", { zone: timeZone })}</p>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {needsApproval && <Banner tone="warning">{t("needsApproval")}</Banner>}
        {dirty && <Banner tone="info">{t("saveFirst")}</Banner>}
        {networks.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noVariants")}</p>
        ) : connections.isPending ? (
          <p className="text-sm text-slate-600">{t("loadingAccounts")}</p>
        ) : connections.isError ? (
          <p role="alert" className="text-sm text-red-700">{describe(connections.error).message}</p>
        ) : accounts.length === 0 ? (
          <EmptyState
            icon={Link2}
            title={t("noAccounts")}
            description={t("noAccountsDescription")}
            action={
              <Link href="/settings/connections" className={buttonVariants({ variant: "secondary", size: "sm" })}>
                {t("goToConnections")}
              </Link>
            }
          />
        ) : (
          <form
            className="flex flex-col gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              if (blocked || !scheduledAt) return;
              const at = scheduledAt;
              schedule.mutate({ contentId: content.id, targets: chosen.map((a) => ({ connectionId: a.id, scheduledAt: at })) });
            }}
          >
            {failure?.planLimit ? <PlanLimitNotice message={failure.message} limit={failure.planLimit} /> : <FormError message={failure?.message ?? null} />}
            <fieldset className="flex flex-col gap-2">
              <legend className="mb-1 text-sm font-medium text-slate-800">{t("accounts")}</legend>
              {accounts.map((a) => {
                const valid = validNetworks.includes(a.provider as SocialNetworkId);
                return (
                  <label key={a.id} className="flex items-center gap-2 text-sm text-slate-800">
                    <input
                      type="checkbox"
                      className="size-4 accent-brand-700"
                      checked={selected.has(a.id)}
                      onChange={(e) =>
                        setSelected((s) => {
                          const next = new Set(s);
                          if (e.target.checked) next.add(a.id);
                          else next.delete(a.id);
                          return next;
                        })
                      }
                    />
                    <span>
                      {tProviders(a.provider)} · {a.accountName ?? a.externalAccountId}
                    </span>
                    {!valid && <Badge tone="warning">{t("variantHasIssues")}</Badge>}
                  </label>
                );
              })}
            </fieldset>
            <div className="grid gap-3 sm:grid-cols-2">
              <FormField label={t("date")}>
                {(control) => <Input {...control} type="date" required value={slot.date} onChange={(e) => setSlot((s) => ({ ...s, date: e.target.value }))} />}
              </FormField>
              <FormField label={t("time")} hint={t("zoneHint", { zone: timeZone })}>
                {(control) => <Input {...control} type="time" required value={slot.time} onChange={(e) => setSlot((s) => ({ ...s, time: e.target.value }))} />}
              </FormField>
            </div>
            {invalidChosen.length > 0 && <p className="text-sm text-amber-900">{t("fixIssuesFirst")}</p>}
            <Button type="submit" className="self-start" disabled={blocked} pending={schedule.isPending}>
              <CalendarClock aria-hidden="true" />
              {t("submit")}
            </Button>
          </form>
        )}
      </CardContent>
    </Card>
  );
}

/** The content's publications: where, when (organization's zone), status, link or failure. */
export function ContentPublications({ contentId, timeZone }: { contentId: string; timeZone: string }) {
  const t = useTranslations("content.publications");
  const tProviders = useTranslations("providers");
  const tCommon = useTranslations("common");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const rows = api.publications.listForContent.useQuery({ contentId });

  return (
    <Card aria-labelledby="publications-heading">
      <CardHeader>
        <CardTitle id="publications-heading">{t("title")}</CardTitle>
      </CardHeader>
      {rows.isPending ? (
        <CardContent>
          <p className="text-sm text-slate-600">{tCommon("loading")}</p>
        </CardContent>
      ) : rows.isError ? (
        <CardContent>
          <p role="alert" className="text-sm text-red-700">{describe(rows.error).message}</p>
        </CardContent>
      ) : rows.data.length === 0 ? (
        <CardContent>
          <p className="text-sm text-slate-600">{t("empty")}</p>
        </CardContent>
      ) : (
        <Table>
          <caption className="sr-only">{t("title")}</caption>
          <THead>
            <TR>
              <TH>{t("network")}</TH>
              <TH>{t("account")}</TH>
              <TH>{t("when")}</TH>
              <TH>{t("status")}</TH>
              <TH>{t("details")}</TH>
            </TR>
          </THead>
          <TBody>
            {rows.data.map((p) => (
              <TR key={p.id}>
                <TD>{tProviders(p.network)}</TD>
                <TD>{p.accountName ?? tCommon("none")}</TD>
                <TD className="whitespace-nowrap">
                  <time dateTime={(p.publishedAt ?? p.scheduledAt).toISOString()}>
                    {format.dateTime(p.publishedAt ?? p.scheduledAt, { timeZone, dateStyle: "short", timeStyle: "short" })}
                  </time>
                </TD>
                <TD>
                  <Badge tone={STATUS_TONE[p.status]}>{t(`statuses.${p.status}`)}</Badge>
                </TD>
                <TD className="max-w-xs">
                  {p.permalink ? (
                    <a href={p.permalink} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 text-brand-700 underline-offset-4 hover:underline">
                      {t("open")}
                      <ExternalLink className="size-3.5" aria-hidden="true" />
                    </a>
                  ) : p.failureReason ? (
                    <span className="text-red-800">{p.failureReason}</span>
                  ) : (
                    tCommon("none")
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
