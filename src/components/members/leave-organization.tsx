"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "../ui/button";
import { Dialog, DialogFooter } from "../ui/dialog";
import { FormError } from "../ui/form-field";
import { useErrorMessage } from "../use-error-message";

export function LeaveOrganization({ organizationName, lastOwner }: { organizationName: string; lastOwner: boolean }) {
  const t = useTranslations("members");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const leave = api.tenants.leave.useMutation({
    onSuccess: () => {
      toast.success(t("left", { organization: organizationName }));
      queryClient.clear();
      // A full load: the server picks the next organization (or none) for everything on screen.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose (see above)
      window.location.assign("/dashboard");
    },
  });

  if (lastOwner) {
    return (
      <div className="flex flex-col gap-2">
        <Button variant="danger-outline" disabled aria-describedby="leave-last-owner" className="self-start">
          {t("leave")}
        </Button>
        <p id="leave-last-owner" className="text-sm text-slate-600">
          {t("leaveLastOwner")}
        </p>
      </div>
    );
  }

  return (
    <>
      <Button variant="danger-outline" onClick={() => setOpen(true)} className="self-start">
        {t("leave")}
      </Button>
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) leave.reset();
        }}
        title={t("leaveTitle", { organization: organizationName })}
        description={t("leaveDescription")}
        closeLabel={tCommon("close")}
      >
        <FormError message={leave.error ? describe(leave.error).message : null} />
        <DialogFooter>
          <Button variant="secondary" onClick={() => setOpen(false)}>
            {tCommon("cancel")}
          </Button>
          <Button variant="danger" pending={leave.isPending || leave.isSuccess} onClick={() => leave.mutate()}>
            {t("leaveConfirm")}
          </Button>
        </DialogFooter>
      </Dialog>
    </>
  );
}
