"use client";

import { ShieldCheck } from "lucide-react";
import { useTranslations } from "next-intl";
import { toast } from "sonner";

import { Card } from "~/components/ui/card";
import { useErrorMessage } from "~/components/use-error-message";
import { api } from "~/trpc/react";

/** The organization's "approval required before scheduling" switch (owners and managers). */
export function ApprovalSetting() {
  const t = useTranslations("content.approvalSetting");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const settings = api.content.settings.useQuery();
  const set = api.content.setApprovalRequired.useMutation({
    onSuccess: async (result) => {
      toast.success(result.approvalRequired ? t("turnedOn") : t("turnedOff"));
      utils.content.settings.setData(undefined, result);
      await utils.content.get.invalidate();
    },
    onError: (error) => toast.error(describe(error).message),
  });
  const checked = settings.data?.approvalRequired ?? false;

  return (
    <Card className="flex items-start gap-3 p-4">
      <ShieldCheck className="mt-0.5 size-5 shrink-0 text-brand-700" aria-hidden="true" />
      <div className="flex flex-1 flex-col gap-1">
        <label className="flex items-center gap-2 text-sm font-medium text-slate-900">
          <input
            type="checkbox"
            className="size-4 accent-brand-700"
            checked={checked}
            disabled={settings.isPending || set.isPending}
            aria-describedby="approval-setting-hint"
            onChange={(e) => set.mutate({ required: e.target.checked })}
          />
          {t("label")}
        </label>
        <p id="approval-setting-hint" className="text-sm text-slate-600">{t("hint")}</p>
      </div>
    </Card>
  );
}
