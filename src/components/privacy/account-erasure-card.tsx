"use client";

import { TriangleAlert } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";

import { api } from "~/trpc/react";
import { CardLoadError, CardLoading } from "../ui/card-query-states";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError, FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { useErrorMessage } from "../use-error-message";

/**
 * Settings → Privacy, danger zone: the person erases their own account. Shows what will happen
 * (privacy.erasurePreview: organizations left, erased along, or blocking), asks for the e-mail as
 * typed confirmation; the step-up prompt comes from the tRPC link. Afterwards the session is gone:
 * a full navigation to /sign-in shows the notice.
 */
export function AccountErasureCard() {
  const t = useTranslations("privacySettings.accountErasure");
  const { describe } = useErrorMessage();
  const preview = api.privacy.erasurePreview.useQuery();
  const [open, setOpen] = useState(false);
  const [confirmation, setConfirmation] = useState("");
  const erase = api.privacy.eraseAccount.useMutation({
    // A full navigation: the session is gone, nothing cached may survive.
    onSuccess: () => window.location.assign("/sign-in?erased=1"), // eslint-disable-line @next/next/no-location-assign-relative-destination
  });
  const data = preview.data;
  const matches = data ? confirmation.trim().toLowerCase() === data.email.toLowerCase() : false;

  return (
    <Card className="border-red-200" data-testid="account-erasure-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-red-800">
          <TriangleAlert className="size-5" aria-hidden />
          {t("title")}
        </CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      {preview.isPending && <CardLoading />}
      {preview.isError && <CardLoadError message={describe(preview.error).message} onRetry={() => void preview.refetch()} />}
      {data && (
        <CardContent className="flex flex-col gap-4">
          <div className="flex flex-col gap-2 text-sm text-slate-700">
            <p className="font-medium text-slate-900">{t("willHappen")}</p>
            <p>{t("effects")}</p>
            {data.kept.length > 0 && <OrgList label={t("kept")} names={data.kept.map((o) => o.name)} />}
            {data.erased.length > 0 && <OrgList label={t("erased")} names={data.erased.map((o) => o.name)} tone="danger" />}
            {data.blocking.length > 0 && (
              <OrgList label={t("blocking")} names={data.blocking.map((o) => `${o.name} (${t("members", { count: o.members })})`)} tone="danger" testId="erasure-blocking" />
            )}
            <p className="text-slate-600">{t("backups", { days: data.backupRetentionDays })}</p>
          </div>
          {!open ? (
            <div>
              <Button variant="danger-outline" disabled={!data.allowed} onClick={() => setOpen(true)} data-testid="account-erasure-start">
                {t("start")}
              </Button>
            </div>
          ) : (
            <form
              className="flex flex-col gap-3 rounded-lg border border-red-200 bg-red-50/50 p-4"
              onSubmit={(event) => {
                event.preventDefault();
                if (matches) erase.mutate({ confirmation });
              }}
            >
              <FormField label={t("confirmLabel", { email: data.email })} hint={t("stepUpHint")}>
                {(control) => (
                  <Input {...control} type="email" autoComplete="off" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} data-testid="account-erasure-confirmation" />
                )}
              </FormField>
              <FormError message={erase.error ? describe(erase.error).message : null} />
              <div className="flex flex-wrap gap-2">
                <Button type="submit" variant="danger" disabled={!matches} pending={erase.isPending} data-testid="account-erasure-confirm">
                  {t("confirm")}
                </Button>
                <Button
                variant="ghost"
                onClick={() => {
                  setOpen(false);
                  setConfirmation("");
                  erase.reset();
                }}
              >
                  {t("cancel")}
                </Button>
              </div>
            </form>
          )}
        </CardContent>
      )}
    </Card>
  );
}

function OrgList({ label, names, tone, testId }: { label: string; names: string[]; tone?: "danger"; testId?: string }) {
  return (
    <div data-testid={testId}>
      <p className={tone === "danger" ? "font-medium text-red-800" : "font-medium text-slate-800"}>{label}</p>
      <ul className="mt-1 list-disc pl-5">
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
    </div>
  );
}
