"use client";

import { Bot, Eye, EyeOff, ExternalLink, RotateCcw, Send, X } from "lucide-react";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { toast } from "sonner";

import { Badge } from "~/components/ui/badge";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { cn } from "~/components/ui/cn";
import { fieldClasses } from "~/components/ui/input";
import { Label } from "~/components/ui/label";
import { useErrorMessage } from "~/components/use-error-message";
import { api, type RouterOutputs } from "~/trpc/react";
import { isMoving } from "./moving";
import { NetworkBadge } from "./network-badge";

type Thread = RouterOutputs["engagement"]["thread"];
type ThreadComment = Thread["comments"][number];

export function ThreadPanel({ commentId, canReply, onClose }: { commentId: string; canReply: boolean; onClose: () => void }) {
  const t = useTranslations("inbox");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const heading = useRef<HTMLHeadingElement>(null);
  const thread = api.engagement.thread.useQuery(
    { commentId },
    {
      refetchInterval: (query) => {
        const data = query.state.data;
        if (!data) return false;
        return [data.root, ...data.comments].some((c) => c && isMoving(c)) ? 1500 : 30_000;
      },
    },
  );
  const refresh = async () => {
    await Promise.all([utils.engagement.thread.invalidate({ commentId }), utils.engagement.inbox.invalidate()]);
  };
  // Moves focus (and, on a phone, the view) to the conversation a person just opened.
  const loaded = thread.isSuccess;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [commentId, loaded]);
  const setHidden = api.engagement.setHidden.useMutation({
    onSuccess: async (result) => {
      toast.success(result.visibility === "hiding" ? t("hideQueued") : t("unhideQueued"));
      await refresh();
    },
    onError: (error) => toast.error(describe(error).message),
  });

  if (thread.isPending) return <Card className="p-6 text-sm text-slate-600" role="status">{t("threadLoading")}</Card>;
  if (thread.isError) return <Card className="p-6 text-sm text-red-700" role="alert">{describe(thread.error).message}</Card>;
  const data = thread.data;
  const root = data.root;

  return (
    <Card className="flex flex-col gap-4 p-4">
      <div className="flex flex-wrap items-center gap-2">
        <h2 ref={heading} tabIndex={-1} className="text-base font-semibold text-slate-900 outline-none">{t("threadTitle")}</h2>
        <NetworkBadge network={data.network} />
        <span className="text-sm text-slate-600">{data.account.name}</span>
        <div className="ml-auto flex items-center gap-1">
          {data.permalink && (
            <a href={data.permalink} target="_blank" rel="noreferrer noopener" className="inline-flex items-center gap-1 text-sm text-brand-700 underline-offset-4 hover:underline">
              <ExternalLink className="size-4" aria-hidden="true" />
              {t("viewPost")}
            </a>
          )}
          <Button size="icon" variant="ghost" aria-label={t("close")} onClick={onClose}>
            <X aria-hidden="true" />
          </Button>
        </div>
      </div>

      <ol className="flex flex-col gap-3" aria-live="polite">
        {root && (
          <CommentBubble comment={root} canReply={canReply} onRetried={refresh}>
            {canReply && !root.fromAccount && (
              <Button
                size="sm"
                variant="secondary"
                pending={setHidden.isPending}
                disabled={root.visibility === "hiding" || root.visibility === "unhiding"}
                onClick={() => setHidden.mutate({ commentId: root.id, hidden: root.visibility !== "hidden" })}
              >
                {root.visibility === "hidden" ? <Eye aria-hidden="true" /> : <EyeOff aria-hidden="true" />}
                {root.visibility === "hidden" ? t("unhide") : t("hide")}
              </Button>
            )}
          </CommentBubble>
        )}
        {data.comments.map((c) => (
          <CommentBubble key={c.id} comment={c} canReply={canReply} onRetried={refresh} nested>
            {canReply && !c.fromAccount && (
              <Button size="sm" variant="ghost" pending={setHidden.isPending} disabled={c.visibility === "hiding" || c.visibility === "unhiding"}
                onClick={() => setHidden.mutate({ commentId: c.id, hidden: c.visibility !== "hidden" })}>
                {c.visibility === "hidden" ? <Eye aria-hidden="true" /> : <EyeOff aria-hidden="true" />}
                {c.visibility === "hidden" ? t("unhide") : t("hide")}
              </Button>
            )}
          </CommentBubble>
        ))}
      </ol>

      {canReply ? (
        <ReplyBox key={commentId} commentId={root?.id ?? commentId} max={data.maxReplyLength} onSent={refresh} />
      ) : (
        <p className="text-sm text-slate-600">{t("readOnly")}</p>
      )}
    </Card>
  );
}

function CommentBubble({ comment, canReply, onRetried, nested, children }: { comment: ThreadComment; canReply: boolean; onRetried: () => Promise<void>; nested?: boolean; children?: React.ReactNode }) {
  const t = useTranslations("inbox");
  const format = useFormatter();
  const { describe } = useErrorMessage();
  const retry = api.engagement.retryReply.useMutation({
    onSuccess: async () => {
      toast.success(t("retryQueued"));
      await onRetried();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  return (
    <li className={cn("flex flex-col gap-1.5 rounded-lg border p-3", nested && "ml-4 sm:ml-8", comment.fromAccount ? "border-brand-200 bg-brand-50" : "border-slate-200 bg-white")}>
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <span className="text-sm font-medium text-slate-900">{comment.fromAccount ? t("you") : comment.authorName}</span>
        {comment.automatic && (
          <Badge tone="violet">
            <Bot className="size-3" aria-hidden="true" />
            {t("automatic")}
          </Badge>
        )}
        {comment.delivery && <Badge tone={comment.delivery === "FAILED" ? "danger" : comment.delivery === "SENT" ? "brand" : "info"}>{t(`delivery.${comment.delivery}`)}</Badge>}
        {comment.visibility !== "visible" && <Badge tone={comment.visibility === "failed" ? "danger" : "neutral"}>{t(`visibility.${comment.visibility}`)}</Badge>}
        <time className="ml-auto" dateTime={comment.receivedAt.toISOString()}>{format.dateTime(comment.receivedAt, { dateStyle: "short", timeStyle: "short" })}</time>
      </div>
      <p className={cn("text-sm whitespace-pre-wrap text-slate-800", comment.visibility === "hidden" && "text-slate-500 italic")}>{comment.text}</p>
      {(comment.delivery === "FAILED" || comment.visibility === "failed") && comment.deliveryError && (
        <p className="text-xs text-red-700">{t("failedReason", { reason: comment.deliveryError })}</p>
      )}
      <div className="flex flex-wrap gap-2">
        {children}
        {canReply && comment.delivery === "FAILED" && (
          <Button size="sm" variant="secondary" pending={retry.isPending} onClick={() => retry.mutate({ replyId: comment.id })}>
            <RotateCcw aria-hidden="true" />
            {t("retry")}
          </Button>
        )}
      </div>
    </li>
  );
}

function ReplyBox({ commentId, max, onSent }: { commentId: string; max: number; onSent: () => Promise<void> }) {
  const t = useTranslations("inbox");
  const { describe } = useErrorMessage();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const length = [...text.trim()].length;
  const over = length - max;
  const reply = api.engagement.reply.useMutation({
    onSuccess: async () => {
      setText("");
      setError(null);
      toast.success(t("replyQueued"));
      await onSent();
    },
    onError: (e) => setError(describe(e).message),
  });
  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (length > 0 && over <= 0) reply.mutate({ commentId, text });
      }}
    >
      <Label htmlFor="reply-text">{t("replyLabel")}</Label>
      <textarea
        id="reply-text"
        rows={3}
        value={text}
        placeholder={t("replyPlaceholder")}
        aria-invalid={over > 0 || !!error || undefined}
        aria-describedby="reply-counter reply-error"
        onChange={(e) => setText(e.target.value)}
        className={cn(fieldClasses, "py-2")}
      />
      <div className="flex flex-wrap items-center gap-2">
        <p id="reply-counter" className={cn("text-xs", over > 0 ? "font-medium text-red-700" : "text-slate-600")} aria-live="polite">
          {over > 0 ? t("replyTooLong", { over }) : t("replyCounter", { length, max })}
        </p>
        <Button type="submit" size="sm" className="ml-auto" pending={reply.isPending} disabled={length === 0 || over > 0}>
          <Send aria-hidden="true" />
          {t("send")}
        </Button>
      </div>
      <p id="reply-error" role="alert" className={error ? "text-sm text-red-700" : "sr-only"}>{error}</p>
    </form>
  );
}
