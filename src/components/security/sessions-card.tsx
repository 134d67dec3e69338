"use client";

import { Monitor, Smartphone, KeyRound } from "lucide-react";
import { useFormatter, useNow, useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api, type RouterOutputs } from "~/trpc/react";
import { signOutAction } from "../server-actions";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { CardLoadError, CardLoading } from "../ui/card-query-states";
import { Dialog, DialogFooter } from "../ui/dialog";
import { FormError } from "../ui/form-field";
import { useErrorMessage } from "../use-error-message";

type Session = RouterOutputs["security"]["sessions"]["list"][number];
type Confirm = { kind: "one"; session: Session } | { kind: "others" } | { kind: "all" } | null;

/** Where the person is signed in (browsers and API tokens), with a way to end each or all of them. */
export function SessionsCard() {
  const t = useTranslations("sessions");
  const { describe } = useErrorMessage();
  const list = api.security.sessions.list.useQuery();
  const [confirm, setConfirm] = useState<Confirm>(null);
  const others = (list.data ?? []).filter((s) => !s.current).length;

  return (
    <Card>
      <CardHeader>
        <CardTitle>{t("title")}</CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      {list.isPending ? (
        <CardLoading />
      ) : list.isError ? (
        <CardLoadError message={describe(list.error).message} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <CardContent className="text-sm text-slate-600">{t("empty")}</CardContent>
      ) : (
        <CardContent className="flex flex-col gap-4">
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200">
            {list.data.map((s) => (
              <SessionRow key={s.id} session={s} onRevoke={() => setConfirm({ kind: "one", session: s })} />
            ))}
          </ul>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={others === 0} onClick={() => setConfirm({ kind: "others" })}>
              {t("revokeOthers")}
            </Button>
            <Button variant="danger" onClick={() => setConfirm({ kind: "all" })}>
              {t("revokeAll")}
            </Button>
          </div>
        </CardContent>
      )}
      <SessionConfirmDialog confirm={confirm} onClose={() => setConfirm(null)} />
    </Card>
  );
}

function SessionRow({ session, onRevoke }: { session: Session; onRevoke: () => void }) {
  const t = useTranslations("sessions");
  const format = useFormatter();
  // A ticking "now": "seen 2 minutes ago" stays right while the page is open.
  const now = useNow({ updateInterval: 30_000 });
  const Icon = session.kind === "API" ? KeyRound : session.device === "mobile" || session.device === "tablet" ? Smartphone : Monitor;
  const name =
    session.kind === "API"
      ? t("apiToken")
      : [session.browser, session.os].filter(Boolean).join(" · ") || t("unknownDevice");
  return (
    <li className="flex flex-col gap-2 p-3 sm:flex-row sm:items-center sm:justify-between">
      <div className="flex min-w-0 items-start gap-3">
        <Icon className="mt-0.5 size-5 shrink-0 text-slate-500" aria-hidden="true" />
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium text-slate-900">
            <span className="truncate">{name}</span>
            {session.current ? <Badge tone="brand">{t("thisDevice")}</Badge> : null}
          </p>
          <p className="text-xs text-slate-600">
            {session.ip ?? t("unknownIp")} ·{" "}
            <time dateTime={session.lastSeenAt.toISOString()} title={format.dateTime(session.lastSeenAt, { dateStyle: "medium", timeStyle: "short" })}>
              {t("lastSeen", { when: format.relativeTime(session.lastSeenAt, now) })}
            </time>
          </p>
        </div>
      </div>
      <Button variant="secondary" size="sm" onClick={onRevoke} aria-label={t("revokeOneLabel", { name })}>
        {t("revoke")}
      </Button>
    </li>
  );
}

function SessionConfirmDialog({ confirm, onClose }: { confirm: Confirm; onClose: () => void }) {
  const t = useTranslations("sessions");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  // Ending the current session (alone or with all): this browser signs out right after.
  const signOutHere = () => signOutAction();
  const done = async (endsHere: boolean, message: string) => {
    toast.success(message);
    onClose();
    if (endsHere) await signOutHere();
    else await utils.security.sessions.list.invalidate();
  };
  const one = api.security.sessions.revoke.useMutation({ onSuccess: (r) => done(r.current, t("revokedOne")) });
  const others = api.security.sessions.revokeOthers.useMutation({ onSuccess: () => done(false, t("revokedOthers")) });
  const all = api.security.sessions.revokeAll.useMutation({ onSuccess: () => done(true, t("revokedAll")) });
  const mutation = confirm?.kind === "one" ? one : confirm?.kind === "others" ? others : all;
  const key = confirm?.kind ?? "one";
  return (
    <Dialog
      open={confirm !== null}
      onOpenChange={(open) => {
        if (!open) {
          mutation.reset();
          onClose();
        }
      }}
      title={t(`confirm.${key}.title`)}
      description={t(`confirm.${key}.description`)}
      closeLabel={tCommon("close")}
    >
      <FormError message={mutation.error ? describe(mutation.error).message : null} />
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {tCommon("cancel")}
        </Button>
        <Button
          variant="danger"
          pending={mutation.isPending}
          onClick={() => {
            if (confirm?.kind === "one") one.mutate({ id: confirm.session.id });
            else if (confirm?.kind === "others") others.mutate();
            else all.mutate();
          }}
        >
          {t(`confirm.${key}.action`)}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
