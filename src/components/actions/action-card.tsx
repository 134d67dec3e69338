"use client";

import { Bot, Check, History, ImageOff, LoaderCircle, Pencil, RefreshCw, Sparkles, X } from "lucide-react";
import Link from "next/link";
import { useFormatter, useTranslations } from "next-intl";
import { useId, useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Banner } from "~/components/ui/banner";
import { Button } from "~/components/ui/button";
import { Input } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterOutputs } from "~/trpc/react";
import { isEditable, needsInput, PayloadEditor, PayloadPreview, type ActionTypeName, type Payload } from "./action-payload";

export type ActionRow = RouterOutputs["actions"]["list"]["items"][number];

export const STATUS_TONE = { PENDING: "neutral", APPROVED: "info", APPLYING: "info", APPLIED: "brand", FAILED: "danger", REJECTED: "neutral" } as const;

/** Still moving: the page keeps asking until the background function settles it. */
export function isSettling(status: ActionRow["status"]) {
  return status === "APPROVED" || status === "APPLYING";
}

/** The reason code rendered through messages `actionReasons.<code>` (the code itself when unknown). */
export function useReasonText() {
  const t = useTranslations("actionReasons");
  return (code: string, payload: Payload) => {
    if (!t.has(code)) return code;
    const params: Record<string, string | number> = {};
    for (const [key, value] of Object.entries(payload)) {
      if (typeof value === "string" || typeof value === "number") params[key] = typeof value === "number" ? Math.round(value * 10) / 10 : value;
      else if (Array.isArray(value)) params[key] = value.length;
      // A missing ICU argument would break the sentence: unknown values read as a dash.
      else if (value === null) params[key] = "—";
    }
    return t(code, params);
  };
}

function StatusBadge({ status }: { status: ActionRow["status"] }) {
  const t = useTranslations("actions");
  return (
    <Badge tone={STATUS_TONE[status]} data-testid="action-status" data-status={status}>
      {isSettling(status) && <LoaderCircle className="size-3 animate-spin" aria-hidden="true" />}
      {t(`statuses.${status}`)}
    </Badge>
  );
}

export function StatusLine({ action }: { action: ActionRow }) {
  const t = useTranslations("actions");
  const format = useFormatter();
  const when = (d: Date | null) => (d ? format.dateTime(d, { dateStyle: "short", timeStyle: "short" }) : "");
  const someone = t("someone");
  const text = {
    PENDING: () => t("statusLine.PENDING", { at: when(action.createdAt) }),
    APPROVED: () => t("statusLine.APPROVED", { at: when(action.approvedAt), actor: action.approvedBy?.name ?? someone }),
    APPLYING: () => t("statusLine.APPLYING", { attempts: Math.max(1, action.attempts) }),
    APPLIED: () => t("statusLine.APPLIED", { at: when(action.appliedAt), actor: action.approvedBy?.name ?? someone }),
    FAILED: () => t("statusLine.FAILED", { at: when(action.failedAt) }),
    REJECTED: () => t("statusLine.REJECTED", { at: when(action.rejectedAt), actor: action.rejectedBy?.name ?? someone }),
  }[action.status]();
  return (
    <p className="text-xs text-slate-600" data-testid="action-status-line" role={isSettling(action.status) ? "status" : undefined}>
      {text}
    </p>
  );
}

function SourceBadge({ source }: { source: ActionRow["source"] }) {
  const t = useTranslations("actions");
  if (source === "AI") {
    return (
      <Badge tone="violet">
        <Sparkles className="size-3" aria-hidden="true" />
        {t("sources.AI")}
      </Badge>
    );
  }
  if (source === "LOCAL_GENERATOR") {
    return (
      <Badge tone="warning">
        <Bot className="size-3" aria-hidden="true" />
        {t("sources.LOCAL_GENERATOR")}
      </Badge>
    );
  }
  return <Badge>{t("sources.RULE")}</Badge>;
}

function Timeline({ id }: { id: string }) {
  const t = useTranslations("actions");
  const format = useFormatter();
  const detail = api.actions.get.useQuery({ id });
  if (!detail.data) return <p className="text-xs text-slate-500">{t("loading")}</p>;
  return (
    <ol className="flex flex-col gap-1 border-l border-slate-200 pl-3 text-xs text-slate-700">
      {detail.data.timeline.map((e, i) => (
        <li key={`${e.event}-${i}`}>
          <span className="font-medium">{t(`timeline.${e.event}`)}</span> · {format.dateTime(e.at, { dateStyle: "short", timeStyle: "medium" })}
          {e.actor && <> · {t("timeline.by", { actor: e.actor.name })}</>}
          {e.note && <span className="block text-slate-500">{e.note}</span>}
        </li>
      ))}
    </ol>
  );
}

type CardProps = {
  action: ActionRow;
  canApprove: boolean;
  selected?: boolean;
  onSelect?: (id: string, selected: boolean) => void;
  /** Called after this action was approved or retried (the queue follows it until it settles). */
  onQueued?: (id: string) => void;
};

export function ActionCard({ action, canApprove, selected, onSelect, onQueued }: CardProps) {
  const t = useTranslations("actions");
  const tProviders = useTranslations("providers");
  const { describe, toastError } = useErrorMessage();
  const tApplicability = useTranslations("actionApplicability");
  // "The marketplace would refuse this" names its rule: say which one.
  const errorText = (error: unknown) => {
    const data = (error as { data?: { reason?: string; details?: { rule?: unknown } } }).data;
    const rule = data?.reason === "actionNotApplicable" && typeof data.details?.rule === "string" ? data.details.rule : null;
    return rule && tApplicability.has(rule) ? tApplicability(rule) : describe(error).message;
  };
  const reasonText = useReasonText();
  const utils = api.useUtils();
  const domId = useId();
  const type = action.type as ActionTypeName;
  const [draft, setDraft] = useState<Payload | null>(null);
  const [rejecting, setRejecting] = useState(false);
  const [note, setNote] = useState("");
  const [showHistory, setShowHistory] = useState(false);
  const [thumbnailBroken, setThumbnailBroken] = useState(false);

  const refresh = async () => {
    await Promise.all([utils.actions.list.invalidate(), utils.actions.get.invalidate({ id: action.id })]);
  };
  const approve = api.actions.approve.useMutation({
    onSuccess: async () => {
      toast.success(t("statuses.APPROVED"));
      setDraft(null);
      onQueued?.(action.id);
      await refresh();
    },
    onError: (error) => toast.error(errorText(error)),
  });
  const reject = api.actions.reject.useMutation({
    onSuccess: async () => {
      toast.success(t("statuses.REJECTED"));
      setRejecting(false);
      await refresh();
    },
    onError: (error) => toast.error(errorText(error)),
  });
  const regenerate = api.actions.regenerateCopy.useMutation({
    onSuccess: async (result) => {
      if (draft) setDraft(result.payload);
      await refresh();
    },
    // The month's AI credits used up: the toast names the limit and offers the plans.
    onError: (error) => (describe(error).planLimit ? toastError(error) : toast.error(errorText(error))),
  });
  const retry = api.actions.retry.useMutation({
    onSuccess: async () => {
      onQueued?.(action.id);
      await refresh();
    },
    onError: (error) => toast.error(errorText(error)),
  });

  const pending = action.status === "PENDING";
  const editing = draft !== null;
  const missing = needsInput(type, action.payload);
  const busy = approve.isPending || reject.isPending || regenerate.isPending;
  const listing = action.listing;

  return (
    <li
      className="flex gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm"
      data-testid="action-row"
      data-action-id={action.id}
      data-action-type={action.type}
      aria-labelledby={`${domId}-title`}
    >
      {onSelect && (
        <div className="pt-1">
          {pending && canApprove && (
            <input
              type="checkbox"
              className="size-4 accent-brand-700"
              checked={!!selected}
              aria-label={t("select", { title: listing?.title ?? action.id })}
              onChange={(e) => onSelect(action.id, e.target.checked)}
            />
          )}
        </div>
      )}
      <div className="hidden size-14 shrink-0 overflow-hidden rounded-lg border border-slate-200 bg-slate-50 sm:block">
        {listing?.thumbnailUrl && !thumbnailBroken ? (
          // Marketplace CDNs vary per seller; a plain <img> avoids listing every host for next/image.
          // An unreachable one (offline, removed picture) falls back to the placeholder.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={listing.thumbnailUrl} alt="" className="size-full object-cover" loading="lazy" onError={() => setThumbnailBroken(true)} />
        ) : (
          <ImageOff className="m-auto mt-4 size-5 text-slate-400" aria-hidden="true" />
        )}
      </div>
      <div className="flex min-w-0 flex-1 flex-col gap-2">
        <div className="flex flex-wrap items-center gap-1.5">
          <Badge tone="brand">{t(`types.${action.type}`)}</Badge>
          {action.expectedGain > 0 && (
            <Badge tone="info" title={t("gainLabel")}>
              {t("gain", { points: action.expectedGain })}
            </Badge>
          )}
          <SourceBadge source={action.source} />
          <StatusBadge status={action.status} />
        </div>
        {listing && (
          <p id={`${domId}-title`} className="text-sm">
            <Link href={`/seller/listings/${listing.id}`} className="font-medium text-slate-900 hover:text-brand-700 hover:underline">
              {listing.title}
            </Link>
            <span className="text-xs text-slate-500">
              {" · "}
              {tProviders(listing.provider)}
              {listing.healthScore !== null && ` · ${t("score", { score: listing.healthScore })}`}
            </span>
          </p>
        )}
        <p className="text-sm text-slate-700" data-testid="action-reason">
          {reasonText(action.reason, action.payload)}
        </p>

        {editing ? (
          <PayloadEditor id={domId} type={type} payload={draft} onChange={setDraft} />
        ) : (
          <PayloadPreview type={type} payload={action.payload} currency={listing?.currency} />
        )}

        <StatusLine action={action} />
        {action.status === "FAILED" && (
          <Banner tone="danger" title={t("failureTitle")} data-testid="action-failure">
            <p>{action.failureReason}</p>
            {action.failureCode && <p className="text-xs opacity-80">{t("failureCode", { code: action.failureCode })}</p>}
          </Banner>
        )}

        {canApprove && (pending || (action.status === "FAILED" && action.retryable)) && (
          <div className="flex flex-wrap items-center gap-2">
            {pending && !editing && !rejecting && (
              <>
                {missing ? (
                  <Button size="sm" onClick={() => setDraft(action.payload)}>
                    <Pencil aria-hidden="true" />
                    {t("fillAndApprove")}
                  </Button>
                ) : (
                  <Button size="sm" pending={approve.isPending} disabled={busy} onClick={() => approve.mutate({ id: action.id })}>
                    <Check aria-hidden="true" />
                    {t("approve")}
                  </Button>
                )}
                {isEditable(type) && !missing && (
                  <Button size="sm" variant="secondary" disabled={busy} onClick={() => setDraft(action.payload)}>
                    <Pencil aria-hidden="true" />
                    {t("edit")}
                  </Button>
                )}
                <Button size="sm" variant="ghost" disabled={busy} onClick={() => setRejecting(true)}>
                  <X aria-hidden="true" />
                  {t("reject")}
                </Button>
              </>
            )}
            {pending && editing && (
              <>
                <Button size="sm" pending={approve.isPending} disabled={busy} onClick={() => approve.mutate({ id: action.id, payload: draft })}>
                  <Check aria-hidden="true" />
                  {t("approveEdited")}
                </Button>
                <Button size="sm" variant="ghost" disabled={busy} onClick={() => setDraft(null)}>
                  {t("cancelEdit")}
                </Button>
              </>
            )}
            {pending && (type === "REWRITE_TITLE" || type === "REWRITE_DESCRIPTION") && !rejecting && (
              <Button size="sm" variant="secondary" pending={regenerate.isPending} disabled={busy} onClick={() => regenerate.mutate({ id: action.id })}>
                <RefreshCw aria-hidden="true" />
                {t("regenerate")}
              </Button>
            )}
            {action.status === "FAILED" && action.retryable && (
              <Button size="sm" variant="secondary" pending={retry.isPending} onClick={() => retry.mutate({ id: action.id })}>
                <RefreshCw aria-hidden="true" />
                {t("retry")}
              </Button>
            )}
          </div>
        )}
        {rejecting && (
          <form
            className="flex flex-wrap items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              reject.mutate({ id: action.id, note: note.trim() || undefined });
            }}
          >
            <div className="flex min-w-56 flex-1 flex-col gap-1">
              <Label htmlFor={`${domId}-note`}>{t("rejectNote")}</Label>
              <Input id={`${domId}-note`} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
            </div>
            <Button type="submit" size="sm" variant="danger-outline" pending={reject.isPending}>
              {t("confirmReject")}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setRejecting(false)}>
              {t("cancelEdit")}
            </Button>
          </form>
        )}
        <div>
          <Button size="sm" variant="link" aria-expanded={showHistory} onClick={() => setShowHistory((v) => !v)}>
            <History aria-hidden="true" />
            {showHistory ? t("hideHistory") : t("history")}
          </Button>
          {showHistory && <Timeline id={action.id} />}
        </div>
      </div>
    </li>
  );
}
