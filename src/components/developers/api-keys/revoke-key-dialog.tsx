"use client";

import { useTranslations } from "next-intl";
import { toast } from "sonner";

import { api } from "~/trpc/react";
import { Button } from "../../ui/button";
import { Dialog, DialogFooter } from "../../ui/dialog";
import { FormError } from "../../ui/form-field";
import { useErrorMessage } from "../../use-error-message";

type Target = { id: string; name: string; prefix: string };

/** Confirmation before revoking: the key stops working at once and cannot be restored. */
export function RevokeKeyDialog({ apiKey, onClose }: { apiKey: Target | null; onClose: () => void }) {
  const t = useTranslations("apiKeys");
  const tCommon = useTranslations("common");
  const { describe } = useErrorMessage();
  const utils = api.useUtils();
  const revoke = api.apiKeys.revoke.useMutation({
    onSuccess: async (row) => {
      toast.success(t("revoked", { name: row.name }));
      onClose();
      await utils.apiKeys.list.invalidate();
    },
  });
  const name = apiKey?.name ?? "";
  return (
    <Dialog
      open={apiKey !== null}
      onOpenChange={(open) => {
        if (!open) {
          revoke.reset();
          onClose();
        }
      }}
      title={t("revokeTitle", { name })}
      description={t("revokeDescription", { prefix: apiKey?.prefix ?? "" })}
      closeLabel={tCommon("close")}
    >
      <FormError message={revoke.error ? describe(revoke.error).message : null} />
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {tCommon("cancel")}
        </Button>
        <Button variant="danger" pending={revoke.isPending} onClick={() => apiKey && revoke.mutate({ id: apiKey.id })}>
          {t("revokeConfirm")}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
