"use client";

import { TriangleAlert } from "lucide-react";
import { useTranslations } from "next-intl";
import { useState } from "react";

import { api } from "~/trpc/react";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError, FormField } from "../ui/form-field";
import { Input } from "../ui/input";
import { useErrorMessage } from "../use-error-message";

/**
 * The owner erases the active organization: what happens (at once and in the background), the
 * backup retention, and the organization's name as typed confirmation. The step-up prompt comes
 * from the tRPC link. Afterwards a full navigation to /dashboard lands in another organization of
 * theirs, or on the "no organization" screen (create one).
 */
export function OrgErasureForm({ backupRetentionDays }: { backupRetentionDays: number }) {
  const t = useTranslations("orgErasure");
  const { describe } = useErrorMessage();
  const current = api.tenants.current.useQuery();
  const [open, setOpen] = useState(false);
  const [confirmation, setConfirmation] = useState("");
  const erase = api.privacy.eraseOrganization.useMutation({
    onSuccess: () => window.location.assign("/dashboard"), // eslint-disable-line @next/next/no-location-assign-relative-destination
  });
  const organization = current.data?.organization;
  if (!organization || current.data?.role !== "OWNER") return null;
  const matches = confirmation.trim() === organization.name.trim();

  return (
    <Card className="border-red-200" data-testid="org-erasure-card">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-red-800">
          <TriangleAlert className="size-5" aria-hidden />
          {t("title")}
        </CardTitle>
        <CardDescription>{t("description")}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-col gap-2 text-sm text-slate-700">
          <p>{t("effects")}</p>
          <p className="text-slate-600">{t("backups", { days: backupRetentionDays })}</p>
        </div>
        {!open ? (
          <div>
            <Button variant="danger-outline" onClick={() => setOpen(true)} data-testid="org-erasure-start">
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
            <FormField label={t("confirmLabel", { name: organization.name })}>
              {(control) => (
                <Input {...control} autoComplete="off" value={confirmation} onChange={(e) => setConfirmation(e.target.value)} data-testid="org-erasure-confirmation" />
              )}
            </FormField>
            <FormError message={erase.error ? describe(erase.error).message : null} />
            <div className="flex flex-wrap gap-2">
              <Button type="submit" variant="danger" disabled={!matches} pending={erase.isPending} data-testid="org-erasure-confirm">
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
    </Card>
  );
}
