"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "../ui/button";
import { Card, CardContent } from "../ui/card";
import { cn } from "../ui/cn";
import { FormError, FormField } from "../ui/form-field";
import { fieldClasses } from "../ui/input";
import { useErrorMessage } from "../use-error-message";
import { LoadError, Loading } from "./shared";

export function MaintenanceAdmin() {
  const current = api.admin.maintenance.useQuery();
  if (current.isPending) return <Loading />;
  if (current.isError) return <LoadError error={current.error} retry={() => void current.refetch()} />;
  return <MaintenanceForm initial={current.data} />;
}

function MaintenanceForm({ initial }: { initial: { enabled: boolean; message: string } }) {
  const t = useTranslations("admin.maintenance");
  const { describe } = useErrorMessage();
  const router = useRouter();
  const utils = api.useUtils();
  const [enabled, setEnabled] = useState(initial.enabled);
  const [message, setMessage] = useState(initial.message);
  const save = api.admin.setMaintenance.useMutation({
    onSuccess: async (saved) => {
      toast.success(saved.enabled ? t("turnedOn") : t("turnedOff"));
      await utils.admin.maintenance.invalidate();
      router.refresh(); // the layout's banner
    },
  });
  return (
    <Card>
      <CardContent className="pt-5">
        <form
          className="flex flex-col gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            save.mutate({ enabled, message: message.trim() });
          }}
        >
          <label className="flex items-start gap-3">
            <input type="checkbox" className="mt-1 size-4 accent-brand-700" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            <span>
              <span className="block text-sm font-medium text-slate-900">{t("enabled")}</span>
              <span className="block text-sm text-slate-600">{t("enabledHint")}</span>
            </span>
          </label>
          <FormField label={t("message")} hint={t("messageHint")}>
            {(field) => <textarea {...field} className={cn(fieldClasses, "min-h-24 py-2")} maxLength={500} value={message} onChange={(e) => setMessage(e.target.value)} placeholder={t("messagePlaceholder")} />}
          </FormField>
          <FormError message={save.error ? describe(save.error).message : null} />
          <Button type="submit" className="self-start" pending={save.isPending}>
            {t("save")}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
