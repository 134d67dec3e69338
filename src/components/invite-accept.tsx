"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "./ui/button";
import { FormError } from "./ui/form-field";
import { useErrorMessage } from "./use-error-message";

export function InviteAccept({ token, organizationName }: { token: string; organizationName: string }) {
  const t = useTranslations("invite");
  const { describe } = useErrorMessage();
  const queryClient = useQueryClient();
  const accept = api.tenants.invitations.accept.useMutation({
    onSuccess: () => {
      toast.success(t("acceptedToast", { organization: organizationName }));
      queryClient.clear();
      // The accepted organization is now the active one; load the app fresh for it.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load on purpose (see above)
      window.location.assign("/dashboard");
    },
  });
  return (
    <div className="flex flex-col gap-3">
      <FormError message={accept.error ? describe(accept.error).message : null} />
      <Button size="lg" className="w-full" pending={accept.isPending || accept.isSuccess} onClick={() => accept.mutate({ token })}>
        {accept.isPending || accept.isSuccess ? t("accepting") : t("accept")}
      </Button>
    </div>
  );
}
