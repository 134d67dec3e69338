"use client";

import { Check, MessageSquare, Send, Undo2 } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { Button } from "~/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "~/components/ui/card";
import { FormError, FormField } from "~/components/ui/form-field";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterOutputs } from "~/trpc/react";
import { ContentStatusBadge } from "./content-status-badge";
import { Textarea } from "./textarea";

type Detail = RouterOutputs["content"]["get"];

/** Status, the review steps the person may take, and the review thread. */
export function ApprovalPanel({ content, canWrite, canApprove, dirty, timeZone }: { content: Detail; canWrite: boolean; canApprove: boolean; dirty: boolean; timeZone: string }) {
  const t = useTranslations("content.review");
  const tStatus = useTranslations("content");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);

  const done = (message: string) => async () => {
    toast.success(message);
    setComment("");
    setError(null);
    await Promise.all([utils.content.get.invalidate({ id: content.id }), utils.content.list.invalidate()]);
  };
  const onError = (e: unknown) => setError(describe(e).message);
  const submit = api.content.submitForReview.useMutation({ onSuccess: done(t("submitted")), onError });
  const approve = api.content.approve.useMutation({ onSuccess: done(t("approved")), onError });
  const requestChanges = api.content.requestChanges.useMutation({ onSuccess: done(t("changesRequested")), onError });
  const addComment = api.content.comment.useMutation({ onSuccess: done(t("commented")), onError });
  const busy = submit.isPending || approve.isPending || requestChanges.isPending || addComment.isPending;
  const text = comment.trim();

  return (
    <Card aria-labelledby="review-heading">
      <CardHeader>
        <div className="flex items-center justify-between gap-2">
          <CardTitle id="review-heading">{t("title")}</CardTitle>
          <ContentStatusBadge status={content.status} />
        </div>
        <p className="text-sm text-slate-600">{content.approvalRequired ? t("required") : t("optional")}</p>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <FormError message={error} />
        {(canWrite || canApprove) && (
          <FormField label={t("comment")} hint={content.status === "IN_REVIEW" && canApprove ? t("commentHintReviewer") : undefined}>
            {(control) => <Textarea {...control} rows={3} value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} />}
          </FormField>
        )}
        <div className="flex flex-wrap gap-2">
          {content.status === "DRAFT" && canWrite && (
            <Button size="sm" disabled={busy || dirty} pending={submit.isPending} title={dirty ? t("saveFirst") : undefined}
              onClick={() => submit.mutate({ id: content.id, comment: text || undefined })}>
              <Send aria-hidden="true" />
              {t("submit")}
            </Button>
          )}
          {content.status === "IN_REVIEW" && canApprove && (
            <>
              <Button size="sm" disabled={busy || dirty} pending={approve.isPending} onClick={() => approve.mutate({ id: content.id, comment: text || undefined })}>
                <Check aria-hidden="true" />
                {t("approve")}
              </Button>
              <Button size="sm" variant="secondary" disabled={busy || !text} pending={requestChanges.isPending} title={!text ? t("commentNeeded") : undefined}
                onClick={() => requestChanges.mutate({ id: content.id, comment: text })}>
                <Undo2 aria-hidden="true" />
                {t("requestChanges")}
              </Button>
            </>
          )}
          {canWrite && (
            <Button size="sm" variant="ghost" disabled={busy || !text} pending={addComment.isPending} onClick={() => addComment.mutate({ id: content.id, body: text })}>
              <MessageSquare aria-hidden="true" />
              {t("addComment")}
            </Button>
          )}
        </div>
        {dirty && content.status !== "APPROVED" && <p className="text-xs text-slate-600">{t("saveFirst")}</p>}

        <section aria-labelledby="thread-heading" className="flex flex-col gap-2">
          <h3 id="thread-heading" className="text-sm font-semibold text-slate-900">{t("thread")}</h3>
          {content.reviewComments.length === 0 ? (
            <p className="text-sm text-slate-600">{t("threadEmpty")}</p>
          ) : (
            <ol className="flex flex-col gap-3">
              {content.reviewComments.map((c) => (
                <li key={c.id} className="rounded-lg border border-slate-200 px-3 py-2 text-sm">
                  <p className="text-xs text-slate-600">
                    <span className="font-medium text-slate-800">{c.author?.name ?? t("someone")}</span>
                    {" · "}
                    <time dateTime={c.createdAt.toISOString()}>{format.dateTime(c.createdAt, { timeZone, dateStyle: "short", timeStyle: "short" })}</time>
                  </p>
                  {c.fromStatus && c.toStatus && (
                    <p className="mt-1 text-xs font-medium text-slate-700">
                      {t("transition", { from: tStatus(`statuses.${c.fromStatus}`), to: tStatus(`statuses.${c.toStatus}`) })}
                      {!c.body && c.toStatus === "DRAFT" ? ` — ${t("resetByEdit")}` : ""}
                    </p>
                  )}
                  {c.body && <p className="mt-1 whitespace-pre-wrap text-slate-800">{c.body}</p>}
                </li>
              ))}
            </ol>
          )}
        </section>
      </CardContent>
    </Card>
  );
}
