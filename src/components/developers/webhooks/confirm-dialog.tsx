"use client";

import { useTranslations } from "next-intl";

import { Button } from "../../ui/button";
import { Dialog, DialogFooter } from "../../ui/dialog";
import { FormError } from "../../ui/form-field";

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  description: string;
  confirmLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
};

/** Asks before a destructive step (delete an endpoint, rotate its secret). */
export function ConfirmDialog({ open, title, description, confirmLabel, pending, error, onConfirm, onClose }: ConfirmDialogProps) {
  const tCommon = useTranslations("common");
  return (
    <Dialog open={open} onOpenChange={(next) => !next && onClose()} title={title} description={description} closeLabel={tCommon("close")}>
      <FormError message={error} />
      <DialogFooter>
        <Button variant="secondary" onClick={onClose}>
          {tCommon("cancel")}
        </Button>
        <Button variant="danger" pending={pending} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
